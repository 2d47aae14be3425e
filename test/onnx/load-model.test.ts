import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, MAX_MODEL_FILE_BYTES } from '../../src/onnx/load.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { seededRandom } from '../../src/onnx/tensor-data.js';
import { ModelLoadError } from '../../src/errors.js';
import { sampleModels } from '../../scripts/make-sample-models.js';
import { msg } from './raw-proto.js';

let dir: string;
const resnet = encodeModel(sampleModels().find((s) => s.file === 'resnet-block.onnx')!.spec);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'port-check-load-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function loadError(path: string, opts?: { maxFileBytes?: number }): Promise<string> {
  const err = await loadModel(path, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelLoadError);
  expect((err as ModelLoadError).exitCode).toBe(2);
  return (err as Error).message;
}

test('a valid model loads with its path and size', async () => {
  const p = file('ok.onnx', resnet);
  const model = await loadModel(p);
  expect(model).toMatchObject({ path: p, fileBytes: resnet.length, irVersion: 8, opsetImports: { 'ai.onnx': 17 } });
  expect(model.graphs[0]!.nodes.map((n) => n.opType)).toContain('GlobalAveragePool');
});

describe('what the user sees for files that are not ONNX models', () => {
  test('missing file', async () => {
    const p = join(dir, 'nope.onnx');
    expect(await loadError(p)).toBe(`${p}: file not found`);
  });

  test('a directory', async () => {
    const p = join(dir, 'folder.onnx');
    mkdirSync(p);
    expect(await loadError(p)).toBe(`${p}: is a directory, expected an .onnx file`);
  });

  test('an empty file', async () => {
    expect(await loadError(file('empty.onnx', ''))).toMatch(/: is empty \(0 bytes\): not an ONNX model$/);
  });

  test('a file over the size limit is refused before it is read', async () => {
    expect(MAX_MODEL_FILE_BYTES).toBe(2 ** 31 - 1);
    expect(await loadError(file('big.onnx', resnet), { maxFileBytes: 1000 })).toMatch(
      /: is 23\.9 KiB, more than the 1000 bytes one ONNX file can hold; save large models with external data/,
    );
  });

  test.each([
    ['JSON', '{"ir_version": 8, "graph": {}}\n'],
    ['ONNX text format', '<\n  ir_version: 8,\n  opset_import: ["" : 17]\n>\nagraph (float[N] X) => (float[N] Y) {\n  Y = Relu(X)\n}\n'],
    ['UTF-8 prose', 'Modèle exporté — voir README\n'],
  ])('a text file (%s)', async (_kind, text) => {
    expect(await loadError(file('text.onnx', text))).toMatch(/: looks like a text file, not an ONNX model \(ModelProto\)/);
  });

  test('a Git LFS pointer says to run git lfs pull', async () => {
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 102400\n';
    expect(await loadError(file('lfs.onnx', pointer))).toMatch(/: is a Git LFS pointer, not the model itself; run `git lfs pull`/);
  });

  test('an HTML page (a failed download)', async () => {
    expect(await loadError(file('page.onnx', '\n<!DOCTYPE html><html><body>404</body></html>'))).toMatch(/: is an HTML page/);
  });

  test('a zip archive (a PyTorch checkpoint)', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]);
    expect(await loadError(file('model.pt', zip))).toMatch(/: is a zip archive \(a PyTorch \.pt\/\.pth checkpoint/);
  });

  test('random bytes (fixed seed)', async () => {
    const random = seededRandom(42);
    const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    expect(await loadError(file('random.onnx', bytes))).toMatch(
      /: is not a valid ONNX model: a field header is invalid .*; re-export it or check the download$/,
    );
  });

  test('a truncated download', async () => {
    expect(await loadError(file('truncated.onnx', resnet.subarray(0, resnet.length - 100)))).toMatch(
      /: is not a valid ONNX model: the data ends in the middle of a field \(truncated file\?\)/,
    );
  });

  test('protobuf without a graph', async () => {
    expect(await loadError(file('nograph.onnx', msg([1, 'varint', 8], [2, 'bytes', 'x'])))).toMatch(/: has no graph: not an ONNX model$/);
  });

  test('a FIFO is refused without being opened (opening it would block)', async () => {
    const p = join(dir, 'fifo.onnx');
    try {
      execFileSync('mkfifo', [p]);
    } catch {
      return; // no mkfifo here: nothing to prove
    }
    expect(await loadError(p)).toBe(`${p}: is not a regular file, expected an .onnx file`);
  });
});
