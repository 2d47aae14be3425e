import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { printable } from './printable.js';

/**
 * YAML validated against a zod schema, with errors a person can act on: the line of the key at
 * fault, its path, and what was expected. Profiles and the config file both read through here.
 */

export type Path = (string | number)[];

/** What went wrong: `location` is the dotted path ('' for the whole file), `line` 1-based. */
export type YamlErrorFactory = (location: string, reason: string, line?: number) => Error;

export interface ValidatedYaml<T> {
  data: T;
  /** The line of the node at a path (for checks beyond the schema). */
  lineOf: (path: Path) => number | undefined;
}

/** An empty document is `emptyAs` (e.g. {} for an empty config), else a schema error. */
export function parseValidatedYaml<S extends z.ZodType>(
  text: string, schema: S, fail: YamlErrorFactory, emptyAs?: unknown,
): ValidatedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;
  const lineOf = (path: Path): number | undefined => lineAt(offsetOf(doc, path));

  const syntax = doc.errors[0];
  if (syntax) throw fail('', `YAML syntax error: ${printable(firstLine(syntax.message))}`, lineAt(syntax.pos[0]));

  let data: unknown;
  try {
    // Alias bombs and other unresolvable structures end here, not in an out-of-memory crash.
    data = doc.toJS({ maxAliasCount: 100 }) ?? emptyAs;
  } catch (err) {
    throw fail('', `cannot read the YAML: ${printable(firstLine((err as Error).message))}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const { path, reason } = describeIssue(parsed.error.issues[0]!, data);
    throw fail(location(path), reason, lineOf(path));
  }
  return { data: parsed.data, lineOf };
}

/** The dotted path of a YAML node; keys come from the file, so controls in them are escaped. */
export function location(path: Path): string {
  return path.map((segment) => printable(String(segment), 80)).join('.');
}

/**
 * Offset of the YAML node at `path`: the key of a mapping entry (so the line is the key's), an
 * item of a list, or, when the path runs out (a missing key), the deepest node that exists.
 */
export function offsetOf(doc: Document, path: Path): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
}

/** The first schema issue as a path into the YAML and a sentence saying what was expected. */
export function describeIssue(issue: z.core.$ZodIssue, data: unknown): { path: Path; reason: string } {
  const path: Path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const value = valueAt(data, path);
  const missing = value === undefined && path.length > 0 && isObject(valueAt(data, path.slice(0, -1)));
  switch (issue.code) {
    case 'unrecognized_keys': {
      const [first, ...rest] = issue.keys;
      const more = rest.length > 0 ? ` (also ${rest.map((k) => `'${printable(k, 80)}'`).join(', ')})` : '';
      return { path: [...path, first ?? ''], reason: `unknown key '${printable(first ?? '', 80)}'${more}` };
    }
    case 'invalid_value':
      if (missing) return { path, reason: `missing required key '${printable(String(path[path.length - 1]), 80)}'` };
      return {
        path,
        reason: issue.values.length === 1
          ? `expected ${String(issue.values[0])}, got ${show(value)}`
          : `expected one of ${issue.values.map(String).join('|')}, got ${show(value)}`,
      };
    case 'invalid_type':
      if (missing) return { path, reason: `missing required key '${printable(String(path[path.length - 1]), 80)}'` };
      if (path.length === 0) return { path, reason: `expected a mapping (key: value pairs) at the top level, got ${typeName(value)}` };
      return { path, reason: `expected ${expectedName(issue.expected)}, got ${show(value)}` };
    case 'invalid_union':
      return { path, reason: `expected ${unionExpectation(issue)}, got ${show(value)}` };
    case 'invalid_format':
      return { path, reason: `${issue.message}, got ${show(value)}` };
    case 'too_small':
      return { path, reason: tooSmall(issue, value) };
    case 'too_big':
      return { path, reason: `expected ${issue.inclusive ? 'at most' : 'less than'} ${Number(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}` };
    default:
      return { path, reason: printable(issue.message) };
  }
}

function tooSmall(issue: z.core.$ZodIssueTooSmall, value: unknown): string {
  const min = Number(issue.minimum);
  if (issue.origin === 'array') return `expected at least ${min} item${min === 1 ? '' : 's'}, got ${Array.isArray(value) ? value.length : 0}`;
  if (issue.origin === 'string') return min === 1 ? 'must not be empty' : `expected at least ${min} characters`;
  return `expected ${issue.inclusive ? 'at least' : 'more than'} ${min}, got ${show(value)}`;
}

function unionExpectation(issue: z.core.$ZodIssueInvalidUnion): string {
  const expected = issue.errors.flatMap((branch) => branch.filter((i) => i.code === 'invalid_type').map((i) => expectedName(i.expected)));
  return expected.length > 0 ? [...new Set(expected)].join(' or ') : 'another value';
}

function expectedName(expected: string): string {
  const names: Record<string, string> = {
    int: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false',
    array: 'a list', object: 'a mapping', record: 'a mapping',
  };
  return names[expected] ?? expected;
}

export function valueAt(data: unknown, path: Path): unknown {
  let v: unknown = data;
  for (const segment of path) {
    if (Array.isArray(v)) v = v[Number(segment)];
    else if (isObject(v)) v = Object.prototype.hasOwnProperty.call(v, segment) ? v[String(segment)] : undefined;
    else return undefined;
  }
  return v;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function show(value: unknown): string {
  // JSON.stringify escapes C0 controls but leaves C1, bidi overrides and line separators raw.
  if (typeof value === 'string') return printable(JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeName(value);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
