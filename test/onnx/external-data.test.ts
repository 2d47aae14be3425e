import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/onnx/load.js';
import { encodeModel } from '../../src/onnx/writer.js';
import type { ExternalDataRef } from '../../src/onnx/ir.js';
import type { TensorSpec } from '../../src/onnx/model-spec.js';

let root: string;
let modelDir: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'port-check-ext-')));
  modelDir = join(root, 'model');
  mkdirSync(join(modelDir, 'data'), { recursive: true });
  writeFileSync(join(modelDir, 'weights.bin'), new Uint8Array(64));
  writeFileSync(join(modelDir, 'data', 'w.bin'), new Uint8Array(32));
  writeFileSync(join(root, 'secret.bin'), new Uint8Array(1024));
  mkdirSync(join(root, 'elsewhere'));
  writeFileSync(join(root, 'elsewhere', 'w.bin'), new Uint8Array(1024));
  symlinkSync(join(root, 'secret.bin'), join(modelDir, 'link-out.bin'));
  symlinkSync(join(root, 'elsewhere'), join(modelDir, 'dir-link'));
  symlinkSync(join(modelDir, 'weights.bin'), join(modelDir, 'link-in.bin'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a model whose initializers all point at external data, loads it, returns the refs by name. */
async function externalRefs(tensors: Record<string, TensorSpec['external'] & object>, dims = [8]): Promise<Record<string, ExternalDataRef>> {
  const path = join(modelDir, 'model.onnx');
  writeFileSync(path, encodeModel({
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [], inputs: [], outputs: [],
      initializers: Object.entries(tensors).map(([name, external]) => ({ name, dtype: 'FLOAT' as const, dims, external })),
    },
  }));
  const model = await loadModel(path);
  return Object.fromEntries(model.graphs[0]!.initializers.map((t) => [t.name, t.external!]));
}

describe('external data that resolves', () => {
  test('files in the folder and below it are stat\'ed: path and size recorded', async () => {
    const refs = await externalRefs({
      a: { location: 'weights.bin', offset: 0, length: 32 },
      b: { location: 'weights.bin', offset: 32 }, // no length: dims × dtype = 32 bytes
      c: { location: 'data/w.bin' },
      d: { location: 'link-in.bin' }, // a link that stays inside is fine
    });
    expect(refs.a).toEqual({ location: 'weights.bin', offset: 0, length: 32, resolvedPath: join(modelDir, 'weights.bin'), fileSize: 64 });
    expect(refs.b).toEqual({ location: 'weights.bin', offset: 32, resolvedPath: join(modelDir, 'weights.bin'), fileSize: 64 });
    expect(refs.c).toMatchObject({ resolvedPath: join(modelDir, 'data', 'w.bin'), fileSize: 32 });
    expect(refs.c!.problem).toBeUndefined();
    expect(refs.d).toMatchObject({ resolvedPath: join(modelDir, 'weights.bin'), fileSize: 64 });
  });

  test('a Constant node\'s external tensor is resolved too', async () => {
    const path = join(modelDir, 'const.onnx');
    writeFileSync(path, encodeModel({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Constant', inputs: [], outputs: ['c'], attributes: { value: { t: { name: 'c', dtype: 'FLOAT', dims: [4], external: { location: 'weights.bin' } } } } }],
        inputs: [], outputs: [],
      },
    }));
    const model = await loadModel(path);
    expect(model.graphs[0]!.nodes[0]!.attributes[0]!.tensors![0]!.external).toMatchObject({ resolvedPath: join(modelDir, 'weights.bin'), fileSize: 64 });
  });
});

describe('hostile or broken external data is a problem on the reference, never an error or a read', () => {
  test.each([
    ['an absolute path', '/etc/passwd', /is an absolute path; ONNX requires a path relative to the model's folder/],
    ['a Windows absolute path', 'C:\\Windows\\system.ini', /is an absolute path/],
    ['a .. escape', '../secret.bin', /contains "\.\.", which could leave the model's folder; refused/],
    ['a .. hidden in the middle', 'data/../../secret.bin', /contains "\.\."/],
    ['a symlink to a file outside', 'link-out.bin', /is a link that leads outside the model's folder; refused/],
    ['a file under a symlinked folder outside', 'dir-link/w.bin', /is a link that leads outside the model's folder; refused/],
    ['a missing file', 'missing.bin', /external data file "missing\.bin" does not exist next to the model/],
    ['a NUL byte', 'weights.bin\0.txt', /contains a NUL byte; refused/],
    ['a folder', 'data', /external data "data" is not a regular file/],
  ])('%s', async (_what, location, problem) => {
    const { t } = await externalRefs({ t: { location } });
    expect(t!.problem).toMatch(problem);
    expect(t!.resolvedPath).toBeUndefined();
  });

  test('offset + length past the end of the file', async () => {
    const refs = await externalRefs({
      late: { location: 'weights.bin', offset: 48, length: 32 },
      implicit: { location: 'weights.bin', offset: 40 }, // 8 floats from 40 = 72 > 64
      fits: { location: 'weights.bin', offset: 32, length: 32 },
    });
    expect(refs.late!.problem).toBe('external data "weights.bin" needs bytes 48..80 but the file has 64 bytes (truncated or wrong file?)');
    expect(refs.implicit!.problem).toMatch(/needs bytes 40\.\.72 but the file has 64 bytes/);
    expect(refs.fits!.problem).toBeUndefined();
  });

  test('a FIFO as external data is stat\'ed, not opened (opening it would block)', async () => {
    try {
      execFileSync('mkfifo', [join(modelDir, 'pipe.bin')]);
    } catch {
      return;
    }
    const { t } = await externalRefs({ t: { location: 'pipe.bin' } });
    expect(t!.problem).toMatch(/is not a regular file/);
  });
});
