import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelSpec, TensorSpec } from '../../src/onnx/model-spec.js';
import { loadModel } from '../../src/onnx/load.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { f32 } from './models.js';
import { TARGETS, check, ofRule } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const dir = mkdtempSync(join(tmpdir(), 'port-check-external-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a model whose Add reads an external fp32 weight of 4 elements at `location`. */
async function modelWithExternal(file: string, location: string): Promise<Awaited<ReturnType<typeof loadModel>>> {
  const w: TensorSpec = { name: 'w', dtype: 'FLOAT', dims: [4], external: { location } };
  const spec: ModelSpec = {
    opsets: { 'ai.onnx': 17 },
    graph: { nodes: [{ opType: 'Add', inputs: ['x', 'w'], outputs: ['y'] }], inputs: [f32('x', [4])], outputs: [f32('y', [4])], initializers: [w] },
  };
  const path = join(dir, file);
  writeFileSync(path, encodeModel(spec));
  return loadModel(path);
}

describe('external-data', () => {
  it('refuses a location with ".." on every target, naming the tensor', async () => {
    const model = await modelWithExternal('escape.onnx', '../secret.bin');
    for (const target of TARGETS) {
      const [finding, ...rest] = ofRule(check(model, target), 'external-data');
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ code: 'unreadable-external-data', severity: 'error', level: 'unsupported' });
      expect(message(finding!)).toMatch(/^1 tensor \(w\) cannot be loaded: .*"\.\.".*; refused, never read$/);
      expect(remedy(finding!)).toContain('save_as_external_data');
    }
  });

  it('reports a missing file and a file too short for the tensor', async () => {
    const missing = await modelWithExternal('missing.onnx', 'nowhere.bin');
    expect(message(ofRule(check(missing, 'ascend-910b'), 'external-data')[0]!)).toContain('does not exist');
    writeFileSync(join(dir, 'short.bin'), new Uint8Array(8));
    const short = await modelWithExternal('short.onnx', 'short.bin');
    expect(message(ofRule(check(short, 'ascend-910b'), 'external-data')[0]!)).toMatch(/needs bytes 0\.\.16 but the file has 8 bytes/);
  });

  it('says nothing when the external data is in place', async () => {
    writeFileSync(join(dir, 'good.bin'), new Uint8Array(16));
    const good = await modelWithExternal('good.onnx', 'good.bin');
    expect(ofRule(check(good, 'h20'), 'external-data')).toEqual([]);
  });
});
