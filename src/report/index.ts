import { formatCodeClimate } from './codeclimate.js';
import type { FormatOptions } from './format-options.js';
import { FORMAT_NAMES, isFormatName, type FormatName } from './format-names.js';
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatName, logSafeFormatter, type Formatter } from './load-formatter.js';
import { formatText } from './text.js';
import type { Report } from './types.js';

export { FORMAT_NAMES, isFormatName, type FormatName, type Formatter };

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
} satisfies Record<FormatName, Formatter>;

/**
 * The formatter for `--format NAME`, its output passed through logSafe: whatever reaches a job
 * log cannot start a workflow command or carry a control character (see log-safe.ts).
 */
export function formatterFor(name: string): Formatter {
  const format = formatName(name);
  return logSafeFormatter(format, FORMATTERS[format]);
}
