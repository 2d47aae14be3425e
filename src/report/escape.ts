/**
 * Escaping for every output format. Strings from a model (node names, op types, producer, doc
 * strings) are untrusted: they must not run as markup, forge terminal output, or break a file's
 * syntax. Each function here is total: any string in, a safe string out.
 */

/**
 * ANSI/ECMA-48 escape sequences: CSI (ESC [ ... final), string commands terminated by BEL or ST
 * (OSC ESC ], DCS ESC P, SOS ESC X, PM ESC ^, APC ESC _), and two-character escapes. Each
 * alternative is a linear scan, so a hostile name cannot make this backtrack.
 */
const ANSI_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -/]*[0-~]?/g;

/** C0 and C1 controls and DEL, tab / newline / carriage return excepted (handled per format). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Line breaks of every kind: terminal and Markdown output keep names on one line. */
const LINE_BREAK = /\r\n|[\t\n\r\u000b\u000c\u0085\u2028\u2029]/g;

/**
 * Bidirectional overrides and isolates can make text display in another order than it reads
 * ("Trojan Source"); a node name has no business carrying them.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Unpaired UTF-16 surrogates: not text, and not allowed in XML. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Code points XML 1.0 forbids even as character references (beyond controls and surrogates). */
const XML_NONCHARACTER = /[\ufffe\uffff]/g;

/** Removes escape sequences, controls and bidi overrides; keeps \t, \n and \r. */
function stripControls(s: string): string {
  return s
    .replace(ANSI_SEQUENCE, '')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

/**
 * For the terminal: one line of inert text. ANSI escapes and control characters are removed and
 * line breaks become spaces, so a name can neither recolour the screen nor forge a line of output.
 */
export function sanitizeTerminal(s: string): string {
  return stripControls(s).replace(LINE_BREAK, ' ');
}

/** For HTML text and double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return stripControls(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * For XML text and attribute values (JUnit, SVG). `>` is always escaped, so `]]>` cannot close a
 * CDATA section or appear raw; characters XML 1.0 forbids are dropped; tab and line breaks become
 * character references so that attribute-value normalisation keeps them.
 */
export function escapeXml(s: string): string {
  return stripControls(s)
    .replace(XML_NONCHARACTER, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** ASCII punctuation that can start Markdown syntax (CommonMark allows escaping all of it). */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~]/g;

/**
 * For inline Markdown text, table cells included (GitHub-flavoured). The result is one line with
 * every syntax character backslash-escaped and `<`, `>`, `&` as entities, so raw HTML cannot
 * appear. `@` gets a zero-width space after it so that a model string cannot mention (and notify)
 * a GitHub user or team.
 */
export function escapeMarkdown(s: string): string {
  return sanitizeTerminal(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b');
}
