import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { describeTargets, loadBuiltinProfile, resolveTargets } from '../../src/profiles/load.js';

const fixture = join(import.meta.dirname, 'fixtures', 'my-npu.yaml');
const dir = mkdtempSync(join(tmpdir(), 'port-check-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the fixture under another id. */
function profileWithId(id: string, name = `${id}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, readFileSync(fixture, 'utf8').replace('id: my-npu', `id: ${id}`));
  return file;
}

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('no UsageError');
}

describe('resolveTargets', () => {
  it('returns built-ins in the order named, once each, from lists or comma-separated ids', () => {
    expect(resolveTargets(['ascend-910c,h20', 'ascend-910c'], []).map((p) => p.id)).toEqual(['ascend-910c', 'h20']);
  });

  it('rejects an unknown target and lists the choices', () => {
    expect(usageErrorOf(() => resolveTargets(['ascend-910x'], [])).message).toBe(
      "unknown target 'ascend-910x': choose one of h20, ascend-910b, ascend-910c, or pass --profile FILE",
    );
  });

  it('adds a --profile file to the targets, and lets --target name it', () => {
    expect(resolveTargets(['h20'], [fixture]).map((p) => p.id)).toEqual(['h20', 'my-npu']);
    expect(resolveTargets(['my-npu', 'ascend-910b'], [fixture]).map((p) => p.id)).toEqual(['my-npu', 'ascend-910b']);
    expect(usageErrorOf(() => resolveTargets(['nope'], [fixture])).message).toBe(
      "unknown target 'nope': choose one of h20, ascend-910b, ascend-910c, my-npu, or pass --profile FILE",
    );
  });

  it('lets a --profile file replace a built-in of the same id', () => {
    const [profile] = resolveTargets(['ascend-910b'], [profileWithId('ascend-910b')]);
    expect(profile?.name).toBe('My NPU');
  });

  it('refuses two --profile files with the same id', () => {
    const a = profileWithId('twin', 'a.yaml');
    const b = profileWithId('twin', 'b.yaml');
    expect(usageErrorOf(() => resolveTargets([], [a, b])).message).toBe(`profiles ${a} and ${b} both have id 'twin': give each its own id`);
  });
});

describe('built-in profile cache', () => {
  it('parses a built-in once and hands out a frozen profile', () => {
    const first = loadBuiltinProfile('ascend-910b');
    expect(loadBuiltinProfile('ascend-910b')).toBe(first);
    expect(Object.isFrozen(first.ops.entries[0])).toBe(true);
  });
});

describe('describeTargets', () => {
  it('gives id, name and a one-line summary per built-in', () => {
    const rows = describeTargets();
    expect(rows.map((r) => r.id)).toEqual(['h20', 'ascend-910b', 'ascend-910c']);
    expect(rows[1]).toMatchObject({ name: 'Huawei Ascend 910B' });
    for (const r of rows) expect(r.summary).not.toContain('\n');
    expect(rows[1]!.summary).toMatch(/opsets 8-18/);
  });
});
