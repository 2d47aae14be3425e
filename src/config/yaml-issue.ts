import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { z } from 'zod';

export type Path = (string | number)[];

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
  const missing = value === undefined && path.length > 0;
  switch (issue.code) {
    case 'unrecognized_keys':
      return { path: [...path, issue.keys[0] ?? ''], reason: `unknown key '${issue.keys[0]}'` };
    case 'invalid_value':
      if (missing) return { path, reason: `missing required key '${path[path.length - 1]}'` };
      return { path, reason: `expected one of ${issue.values.map(String).join('|')}, got ${show(value)}` };
    case 'invalid_type':
      if (missing) return { path, reason: `missing required key '${path[path.length - 1]}'` };
      if (path.length === 0) return { path, reason: `expected a mapping (key: value pairs) at the top level, got ${typeName(value)}` };
      return { path, reason: `expected ${expectedName(issue.expected)}, got ${show(value)}` };
    case 'invalid_union':
      return { path, reason: `expected ${unionExpectation(issue)}, got ${show(value)}` };
    case 'too_small':
      if (issue.origin === 'string') return { path, reason: 'must not be empty' };
      return { path, reason: `expected ${issue.inclusive ? 'at least' : 'more than'} ${Number(issue.minimum)}, got ${show(value)}` };
    case 'too_big':
      return { path, reason: `expected ${issue.inclusive ? 'at most' : 'less than'} ${Number(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}` };
    default:
      return { path, reason: issue.message };
  }
}

function unionExpectation(issue: z.core.$ZodIssueInvalidUnion): string {
  const expected = issue.errors.flatMap((branch) => branch.filter((i) => i.code === 'invalid_type').map((i) => expectedName(i.expected)));
  return expected.length > 0 ? [...new Set(expected)].join(' or ') : 'another value';
}

function valueAt(data: unknown, path: Path): unknown {
  let v: unknown = data;
  for (const segment of path) {
    if (Array.isArray(v)) v = v[Number(segment)];
    else if (v !== null && typeof v === 'object') {
      v = Object.prototype.hasOwnProperty.call(v, segment) ? (v as Record<string, unknown>)[String(segment)] : undefined;
    } else return undefined;
  }
  return v;
}

function expectedName(expected: string): string {
  const names: Record<string, string> = {
    int: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false',
    array: 'a list', object: 'a mapping', record: 'a mapping',
  };
  return names[expected] ?? expected;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeName(value);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
