import { UsageError } from '../errors.js';
import type { FormatOptions } from './format-options.js';
import { FORMAT_NAMES, isFormatName, type FormatName } from './format-names.js';
import { logSafe } from './log-safe.js';
import type { Report } from './types.js';

export type Formatter = (reports: Report[], options: FormatOptions) => string;

/**
 * Each format's module, loaded when it is asked for: the CLI prints one format per run, and the
 * eight of them (HTML's styles, SARIF's rule metadata...) are a good part of its start-up.
 * FORMATTERS (index.ts) is the same table, loaded at once, for the library. A name without a
 * loader fails to compile.
 */
const LOADERS: Readonly<Record<FormatName, () => Promise<Formatter>>> = {
  text: async () => (await import('./text.js')).formatText,
  json: async () => (await import('./json.js')).formatJson,
  markdown: async () => (await import('./markdown.js')).formatMarkdown,
  html: async () => (await import('./html.js')).formatHtml,
  sarif: async () => (await import('./sarif.js')).formatSarif,
  junit: async () => (await import('./junit.js')).formatJunit,
  github: async () => (await import('./github.js')).formatGithub,
  codeclimate: async () => (await import('./codeclimate.js')).formatCodeClimate,
} satisfies Record<FormatName, () => Promise<Formatter>>;

/** `--format NAME` checked: a UsageError naming the formats otherwise. */
export function formatName(name: string): FormatName {
  if (!isFormatName(name)) throw new UsageError(`unknown format '${name}': choose one of ${FORMAT_NAMES.join(', ')}`);
  return name;
}

/**
 * A formatter whose output passes through logSafe: whatever reaches a job log cannot start a
 * workflow command or carry a control character (see log-safe.ts).
 */
export function logSafeFormatter(name: FormatName, f: Formatter): Formatter {
  return (reports, options) => logSafe(name, f(reports, options), options);
}

/** The formatter for `--format NAME`, loaded on demand, its output log-safe. */
export async function loadFormatter(name: string): Promise<Formatter> {
  const format = formatName(name);
  return logSafeFormatter(format, await LOADERS[format]());
}
