import type { ArgValue, Finding, FindingArgs } from './finding.js';
import { formatBytes, formatNumber, listNames, percent, plural } from './format-values.js';
import type { RuleDef } from './rule.js';

/**
 * How a formatter dresses the two kinds of text in a message: our words (`text`) and the values
 * from the model or profile (`value`). The terminal makes values bold, HTML escapes and wraps
 * them, Markdown puts them in code spans; the plain style leaves both alone.
 */
export interface MessageStyle {
  text(words: string): string;
  value(value: string, key: string): string;
}

export const PLAIN_STYLE: MessageStyle = { text: (s) => s, value: (s) => s };

const PLACEHOLDER = /\{(\w+)(?::(\w+)(?:\(([^)]*)\))?)?\}/g;
const OPTIONAL = /\[([^\]]*)\]/g;

/**
 * The one renderer of message and remedy templates (see MessageDef.text for the syntax). A
 * placeholder without a value stays as written, so that a typo in a template shows.
 */
export function formatMessage(template: string, args: FindingArgs, style: MessageStyle = PLAIN_STYLE): string {
  const kept = template.replace(OPTIONAL, (_whole, inner: string) =>
    [...inner.matchAll(PLACEHOLDER)].every((m) => present(args[m[1]!])) ? inner : '',
  );
  let out = '';
  let last = 0;
  for (const m of kept.matchAll(PLACEHOLDER)) {
    out += style.text(kept.slice(last, m.index));
    last = m.index + m[0].length;
    const [whole, key, format, params] = m as unknown as [string, string, string | undefined, string | undefined];
    const value = Object.hasOwn(args, key) ? args[key] : undefined;
    out += value === undefined ? style.text(whole) : renderValue(key, value, format, params, args, style);
  }
  return out + style.text(kept.slice(last));
}

function present(v: ArgValue | undefined): boolean {
  return v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
}

function renderValue(
  key: string, value: ArgValue, format: string | undefined, params: string | undefined, args: FindingArgs, style: MessageStyle,
): string {
  const num = typeof value === 'number' ? value : Array.isArray(value) ? value.length : Number(value);
  switch (format) {
    case 'count': {
      // "3 nodes": the number is a value, the noun is ours.
      const [noun = 'item', many] = (params ?? '').split(',').map((s) => s.trim());
      const words = many ? plural(num, noun, many) : plural(num, noun);
      return style.value(String(num), key) + style.text(words.slice(String(num).length));
    }
    case 'bytes':
      return style.value(formatBytes(num), key);
    case 'percent':
      return style.value(percent(num), key);
    case 'number':
      return style.value(formatNumber(num), key);
    case 'list':
    case undefined:
      if (Array.isArray(value)) return renderList(key, value as readonly string[], params, args, style);
      return style.value(String(value), key);
    default:
      return style.value(String(value), key);
  }
}

/** "a, b and 3 more", each name a value; `list(max,totalKey)` bounds it and names the full count's arg. */
function renderList(key: string, names: readonly string[], params: string | undefined, args: FindingArgs, style: MessageStyle): string {
  const [maxText, totalKey] = (params ?? '').split(',').map((s) => s.trim());
  const max = maxText ? Number(maxText) : 5;
  const totalArg = totalKey ? args[totalKey] : undefined;
  const total = typeof totalArg === 'number' ? totalArg : names.length;
  const shown = names.slice(0, max);
  const words = listNames(shown, max, Math.max(total, names.length));
  const rest = words.slice(shown.join(', ').length);
  return shown.map((n) => style.value(n, key)).join(style.text(', ')) + style.text(rest);
}

/** Rules by id, built once per registry array. */
const books = new WeakMap<readonly RuleDef[], Map<string, RuleDef>>();

export function ruleById(rules: readonly RuleDef[], id: string): RuleDef | undefined {
  let book = books.get(rules);
  if (!book) books.set(rules, (book = new Map(rules.map((r) => [r.id, r]))));
  return book.get(id);
}

/** A finding's message in words; a code the registry does not know prints as rule/code and its args. */
export function messageOf(f: Finding, rules: readonly RuleDef[], style: MessageStyle = PLAIN_STYLE): string {
  const spec = ruleById(rules, f.rule)?.messages[f.code];
  if (!spec) return style.text(`${f.rule}/${f.code}`) + style.value(` ${JSON.stringify(f.args)}`, 'args');
  return formatMessage(spec.text, f.args, style);
}

/** What to do: the profile's remedy for the case where it gave one, else the code's template. */
export function remedyOf(f: Finding, rules: readonly RuleDef[], style: MessageStyle = PLAIN_STYLE): string {
  if (f.remedy !== undefined) return style.text(f.remedy);
  const spec = ruleById(rules, f.rule)?.messages[f.code];
  return spec ? formatMessage(spec.remedy, f.args, style) : '';
}
