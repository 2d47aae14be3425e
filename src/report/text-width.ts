/**
 * Cutting terminal lines to a width. A message's values are wrapped in MARK_START/MARK_END while
 * it is cut, so that the cut counts only what is seen and a value cut in half is still closed;
 * paintMarked then turns the marks into colour (or nothing).
 */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

const MARKS = /[\u0001\u0002]/g;

/** Columns the text takes: code points, marks not counted (names from models are sanitised before). */
export function visibleWidth(s: string): number {
  return [...s.replace(MARKS, '')].length;
}

/** The text cut to `width` columns, ending in "…" when cut; marks stay balanced. */
export function fitLine(s: string, width: number): string {
  if (visibleWidth(s) <= width) return s;
  const keep = Math.max(0, width - 1);
  let out = '';
  let seen = 0;
  let open = false;
  for (const ch of s) {
    if (ch === MARK_START || ch === MARK_END) {
      open = ch === MARK_START;
      out += ch;
      continue;
    }
    if (seen === keep) break;
    out += ch;
    seen += 1;
  }
  return `${out.trimEnd()}${open ? MARK_END : ''}…`;
}

/** Marked spans through `paint`, marks removed. */
export function paintMarked(s: string, paint: (span: string) => string): string {
  return s.replace(/\u0001([^\u0001\u0002]*)\u0002/g, (_whole, span: string) => paint(span)).replace(MARKS, '');
}
