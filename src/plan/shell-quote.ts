/**
 * One POSIX shell word holding exactly `s`: single quotes, inside which nothing is special, with
 * each ' written as '\'' . Node and input names come from the model (untrusted): quoted this way,
 * `$(...)`, backticks, quotes and line breaks stay text. NUL cannot be in an argument at all, and
 * is refused by the caller (kit-shapes / keep-dtype-file never let one through).
 */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
