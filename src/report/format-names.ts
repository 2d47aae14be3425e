/**
 * The output formats, in the order `--help` lists them: the CLI's `--format` choices, the config's
 * `format:` values and the keys of FORMATTERS. Its own file so that the config schema and `--help`
 * can name them without loading a formatter.
 */
export const FORMAT_NAMES = ['text', 'json', 'markdown', 'html', 'sarif', 'junit', 'github', 'codeclimate'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/**
 * Markdown's default budget: GitHub caps a comment at 65,536 characters. Here rather than in
 * markdown.ts so that `--help` can say it without loading a formatter.
 */
export const MARKDOWN_MAX_CHARS = 60_000;
