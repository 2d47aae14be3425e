import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileError } from '../../src/errors.js';
import { loadProfileFile } from '../../src/profiles/load.js';

/** Broken profiles: each error is one line naming the file, the line and the path inside it. */

const fixture = join(import.meta.dirname, 'fixtures', 'my-npu.yaml');
const good = readFileSync(fixture, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'port-check-profile-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` with `find` replaced; returns the file and the 1-based line of the change. */
function broken(name: string, find: string, replace: string): { file: string; line: number } {
  const at = good.indexOf(find);
  if (at < 0) throw new Error(`fixture has no '${find}'`);
  const file = join(dir, name);
  writeFileSync(file, good.slice(0, at) + replace + good.slice(at + find.length));
  return { file, line: good.slice(0, at).split('\n').length };
}

function errorOf(file: string): ProfileError {
  try {
    loadProfileFile(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return err as ProfileError;
  }
  throw new Error(`${file} loaded without an error`);
}

describe('loadProfileFile on broken profiles', () => {
  it('loads the intact fixture', () => {
    expect(loadProfileFile(fixture).id).toBe('my-npu');
  });

  it('names a wrong enum value, its path and line', () => {
    const { file, line } = broken('enum.yaml', '    - op: Loop\n      level: unsupported', '    - op: Loop\n      level: maybe');
    expect(errorOf(file).message).toBe(
      `${file}:${line + 1}: ops.entries.1.level: expected one of supported|degraded|unsupported|unknown, got "maybe"`,
    );
  });

  it('names an unknown key', () => {
    const { file, line } = broken('key.yaml', '  runtime: myrt', '  runtime: myrt\n  foo: 1');
    expect(errorOf(file).message).toBe(`${file}:${line + 1}: software.foo: unknown key 'foo'`);
  });

  it('names an unknown key in a precision table', () => {
    const { file, line } = broken('family.yaml', '    fp16:\n      level: supported', '    fp12:\n      level: supported');
    expect(errorOf(file).message).toBe(`${file}:${line}: precision.support.fp12: unknown key 'fp12'`);
  });

  it('names a missing required key, at the line of the mapping that lacks it', () => {
    const { file, line } = broken('missing.yaml', '    - op: Conv\n      level: supported\n', '    - op: Conv\n');
    expect(errorOf(file).message).toBe(`${file}:${line}: ops.entries.0.level: missing required key 'level'`);
  });

  it('names a wrong type', () => {
    const { file, line } = broken('type.yaml', '      since: 11', '      since: eleven');
    expect(errorOf(file).message).toBe(`${file}:${line}: ops.entries.0.since: expected a number, got "eleven"`);
  });

  it('names a source key that does not resolve in sources', () => {
    const { file, line } = broken('source.yaml', '      remedy: unroll it\n      source: [vendor-doc]', '      remedy: unroll it\n      source: [vendor-doc, nope]');
    expect(errorOf(file).message).toBe(
      `${file}:${line + 1}: ops.entries.1.source.1: unknown source 'nope': not a key of sources (known: vendor-doc)`,
    );
  });

  it('names an inverted opset range', () => {
    const { file, line } = broken('range.yaml', '      until: 17', '      until: 9');
    expect(errorOf(file).message).toBe(`${file}:${line}: ops.entries.0.until: until (9) is before since (11)`);
  });

  it('reports a YAML syntax error with its line', () => {
    const { file, line } = broken('syntax.yaml', '  runtime: myrt', '  runtime: [myrt');
    const err = errorOf(file);
    expect(err.message).toMatch(new RegExp(`^${escape(file)}:\\d+: YAML syntax error: `));
    expect(err.line).toBeGreaterThanOrEqual(line);
    expect(err.message).not.toContain('\n');
  });

  it('rejects a document that is not a mapping', () => {
    const file = join(dir, 'scalar.yaml');
    writeFileSync(file, 'just a string\n');
    expect(errorOf(file).message).toBe(`${file}:1: expected a mapping (key: value pairs) at the top level, got a string`);
  });

  it('says when the file is missing, a folder, or too big to be a profile', () => {
    expect(errorOf(join(dir, 'absent.yaml')).message).toBe(`${join(dir, 'absent.yaml')}: file not found`);
    const folder = join(dir, 'folder.yaml');
    mkdirSync(folder);
    expect(errorOf(folder).message).toBe(`${folder}: not a file`);
    const huge = join(dir, 'huge.yaml');
    writeFileSync(huge, '');
    truncateSync(huge, 9 * 1024 * 1024);
    expect(errorOf(huge).message).toMatch(/: file is 9437184 bytes; a profile may be at most 8388608 bytes \(8 MiB\)$/);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const file = join(dir, 'bomb.yaml');
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(errorOf(file).message).toMatch(/cannot read the YAML/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
