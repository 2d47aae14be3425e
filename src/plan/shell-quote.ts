/**
 * One POSIX shell word holding exactly `s`: single quotes, inside which nothing is special, with
 * each ' written as '\'' . Node and input names come from the model (untrusted): quoted this way,
 * `$(...)`, backticks, quotes and line breaks stay text. The script itself stays inert when it is
 * printed in a terminal or a CI job log (src/report/log-safe.ts): a line break is written inside
 * double quotes, so the next line of the file begins with `"'`, never with a workflow command's
 * `::`; any other control character (ESC, CR, C1) is made at run time by printf from its octal
 * bytes, so the file holds none. NUL cannot be in an argument at all, and is refused by the
 * caller (atc-shapes / keep-dtype-file never let one through).
 */
export function shellQuote(s: string): string {
  const body = s.replace(/'/g, `'\\''`).replace(/\n/g, `'"\n"'`).replace(CONTROL, (c) => `'"$(printf '${octal(c)}')"'`);
  return `'${body}'`;
}

/** C0 controls but tab (inert), line break (handled apart) and NUL (refused); DEL and C1 controls. */
const CONTROL = /[\u0001-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `c`'s UTF-8 bytes as printf octal escapes (C1 controls take two bytes). */
function octal(c: string): string {
  return [...new TextEncoder().encode(c)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}
