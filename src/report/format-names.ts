/**
 * The names `--format` takes, apart from the formatters themselves so that `--help` lists them
 * without loading every formatter. report/index.ts maps each name to its formatter (a name
 * without one, or one without a name, does not compile).
 */
export const FORMAT_NAMES = ['text', 'json', 'markdown', 'html', 'sarif', 'junit', 'github'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
