/**
 * Untrusted text (a model's node names, a YAML key) inside a one-line error message. Errors go to
 * a terminal or a CI log unformatted, so an ANSI escape, a bidi override or a line separator
 * from a file would recolour the screen, forge a link (OSC 8) or a line. Each such character is
 * shown as a \uXXXX escape instead: inert, and the user can still see it is there.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** `s` with controls escaped, cut in the middle when longer than `maxChars`. */
export function printable(s: string, maxChars = 300): string {
  const cut = s.length > maxChars ? `${s.slice(0, maxChars / 2)}...${s.slice(-maxChars / 2)}` : s;
  return cut.replace(UNPRINTABLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** One line, controls escaped: errors repeat what the user typed (a glob, a target id, a path). */
export function oneLine(s: string): string {
  return printable(s.replace(/[\r\n]+/g, ' ').trim(), 2000);
}
