import { UsageError } from '../errors.js';
import type { FormatOptions } from './format-options.js';
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { Report } from './types.js';

export type Formatter = (reports: Report[], options: FormatOptions) => string;

/** Every output format by name: `--format NAME`. */
export const FORMATTERS: Record<string, Formatter> = {
  text: formatText,
  json: formatJson,
  markdown: formatMarkdown,
  html: formatHtml,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
};

export function formatterFor(name: string): Formatter {
  const f = FORMATTERS[name];
  if (!f) throw new UsageError(`unknown format '${name}': choose one of ${Object.keys(FORMATTERS).join(', ')}`);
  return f;
}
