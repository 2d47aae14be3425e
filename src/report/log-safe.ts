/**
 * The last step of every format: whatever a formatter wrote, the text that reaches a terminal, a CI
 * job log or a file is inert there. Formatters escape each model string for their own syntax; this
 * guard makes two promises about the whole output, so that one string a formatter forgot to
 * escape (a rule id from a merged JSON file, a path) cannot turn into a command:
 * - no line begins (after whitespace, which the GitHub runner trims) with `::`, the prefix of a
 *   GitHub Actions workflow command (`::error file=...::`, `::add-mask::`, `::stop-commands::`);
 * - no C0 or C1 control character survives (ESC starts terminal escapes; CR starts a new log
 *   line for the runner), except tab and newline, and the colour sequences of the text view itself
 *   when colour is on.
 * How a character is made inert depends on the format, so that the output stays valid and shows
 * the same text: a JSON string escape, a Markdown backslash, an HTML/XML character reference.
 */

/**
 * A line's leading `::` (after any Unicode whitespace, or a colour sequence of the text view):
 * the first colon is the one rewritten.
 */
const COMMAND_START = /(^|\n)((?:[^\S\n]|\u001b\[[0-9;]*m)*):(?=:)/g;

/** Controls other than tab and newline; with colour, the text view's own SGR sequences are kept. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_KEEPING_SGR = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

interface Inert {
  /** How the colon that would start a workflow command is written; undefined: the format's own commands (github). */
  colon?: string;
  /** How a control character is written (a JSON escape keeps it as data; markup drops it). */
  control: (c: string) => string;
}

const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const dropped = () => '';

/** Formats not listed here (a new one) get the plain-text treatment, which is inert everywhere. */
const INERT: Record<string, Inert> = {
  text: { colon: '\\u003a', control: unicodeEscape },
  json: { colon: '\\u003a', control: unicodeEscape },
  sarif: { colon: '\\u003a', control: unicodeEscape },
  codeclimate: { colon: '\\u003a', control: unicodeEscape },
  markdown: { colon: '\\:', control: dropped },
  html: { colon: '&#58;', control: dropped },
  junit: { colon: '&#58;', control: dropped },
  // The github format's own lines are workflow commands; it escapes every model string inside them.
  github: { control: dropped },
};

/**
 * Whether `text`, written as it is, would not be inert: it holds a control character other than
 * tab and newline, or a line of it begins with `::`. For files whose syntax has no escape for
 * these (a line of ATC's keep_dtype file is a node name as it is): such a text is left out.
 */
export function breaksLog(text: string): boolean {
  return text.search(CONTROL) >= 0 || text.search(COMMAND_START) >= 0;
}

/** `text` as written in format `format`, made inert for job logs and terminals (see above). */
export function logSafe(format: string, text: string, options: { color?: boolean } = {}): string {
  const inert = INERT[format] ?? INERT.text!;
  const keepColour = format === 'text' && options.color === true;
  let out = text.replace(keepColour ? CONTROL_KEEPING_SGR : CONTROL, (c) => (c.length > 1 ? c : inert.control(c)));
  if (inert.colon !== undefined) out = out.replace(COMMAND_START, `$1$2${inert.colon}`);
  return out;
}
