import { UsageError } from '../errors.js';
import { formatCodeClimate } from './codeclimate.js';
import type { FormatOptions } from './format-options.js';
import { FORMAT_NAMES, isFormatName, type FormatName } from './format-names.js';
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { Report } from './types.js';

export { FORMAT_NAMES, isFormatName, type FormatName };

export type Formatter = (reports: Report[], options: FormatOptions) => string;

/** Every output format by name: `--format NAME`. A name without a formatter fails to compile. */
export const FORMATTERS: Readonly<Record<FormatName, Formatter>> = {
  text: formatText,
  json: formatJson,
  markdown: formatMarkdown,
  html: formatHtml,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
  codeclimate: formatCodeClimate,
};

export function formatterFor(name: string): Formatter {
  if (!isFormatName(name)) throw new UsageError(`unknown format '${name}': choose one of ${FORMAT_NAMES.join(', ')}`);
  return FORMATTERS[name];
}
