/**
 * The output formats, in the order `--help` lists them: the CLI's `--format` choices, the config's
 * `format:` values and the keys of FORMATTERS. Its own file so that the config schema can name them
 * without loading a formatter.
 */
export const FORMAT_NAMES = ['text', 'json', 'markdown', 'html', 'sarif', 'junit', 'github', 'codeclimate'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}
