import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseJsonTensor, parseNpy } from '../../src/runtime/input-files.js';
import { float16Bits as floatToHalfBits } from '../../src/onnx/float-bits.js';
import { prepareInputs, type PreparedInput } from '../../src/runtime/inputs.js';
import { runModel } from '../../src/runtime/index.js';
import { fileIn, reluNegSpec, saveModel } from './small-models.js';

function only(prepared: Awaited<ReturnType<typeof prepareInputs>>): PreparedInput[] {
  if (!prepared.ok) throw new Error(prepared.reason);
  return prepared.inputs;
}

/** Token ids → Gather on a [100, 8] embedding table, plus a mask and Silero-like sr. */
const embedding = saveModel('embedding', {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [
      { opType: 'Cast', inputs: ['ids'], outputs: ['ids32'], attributes: { to: { i: 6 } } },
      { opType: 'Gather', name: 'embed', inputs: ['table', 'ids32'], outputs: ['e'] },
      { opType: 'Identity', inputs: ['mask'], outputs: ['m'] },
      { opType: 'Identity', inputs: ['sr'], outputs: ['s'] },
    ],
    inputs: [
      { name: 'ids', dtype: 'INT64', dims: ['batch', 'seq'] },
      { name: 'mask', dtype: 'INT64', dims: ['batch', 'seq'] },
      { name: 'sr', dtype: 'INT64', dims: [] },
    ],
    outputs: [
      { name: 'e', dtype: 'FLOAT' },
      { name: 'm', dtype: 'INT64' },
      { name: 's', dtype: 'INT64' },
    ],
    initializers: [{ name: 'table', dtype: 'FLOAT', dims: [100, 8], raw: new Uint8Array(3200) }],
  },
});

describe('synthesised inputs', () => {
  test('are the same for the same seed and differ for another', async () => {
    const { model } = saveModel('relu-neg', reluNegSpec());
    const a = only(await prepareInputs(model, { seed: 7 }));
    const b = only(await prepareInputs(model, { seed: 7 }));
    const c = only(await prepareInputs(model, { seed: 8 }));
    expect(a[0]!.data).toEqual(b[0]!.data);
    expect(a[0]!.data).not.toEqual(c[0]!.data);
    expect(a[0]).toMatchObject({ name: 'x', dtype: 'FLOAT', dims: [1, 4], source: 'synthesised', detail: 'uniform in [0, 1) from seed 7' });
  });

  test('default dynamic dims: batch-like 1, others 512, and say so', async () => {
    const prepared = await prepareInputs(embedding.model, {});
    const inputs = only(prepared);
    expect(inputs.map((i) => i.dims)).toEqual([[1, 512], [1, 512], []]);
    expect(prepared.assumptions).toContain("dim 'batch' = 1 (batch-like default; set it with --dim batch=N)");
    expect(prepared.assumptions).toContain("dim 'seq' = 512 (dynamic default; set it with --dim seq=N)");
  });

  test('indices that reach a Gather stay within the table; other integers are 1; sr is 16000', async () => {
    const [ids, mask, sr] = only(await prepareInputs(embedding.model, { dims: { seq: 64 } }));
    const values = Array.from(ids!.data as BigInt64Array, Number);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(100);
    expect(new Set(values).size).toBeGreaterThan(10);
    expect(ids!.detail).toBe("uniform integers in [0, 99] (indices of Gather 'embed' on 'table') from seed 1");
    expect(Array.from(mask!.data as BigInt64Array)).toEqual(new Array(64).fill(1n));
    expect(sr).toMatchObject({ source: 'value', dims: [] });
    expect(Array.from(sr!.data as BigInt64Array)).toEqual([16000n]);
  });

  test('--input-value and --shape win over the defaults', async () => {
    const [ids, , sr] = only(await prepareInputs(embedding.model, {
      shapes: { ids: [2, 3], mask: [2, 3] }, inputValues: { sr: 8000 },
    }));
    expect(ids!.dims).toEqual([2, 3]);
    expect(sr).toMatchObject({ source: 'value', detail: '8000 (given with --input-value)' });
  });

  test('options that name no input, or a shape against the model, are usage errors', async () => {
    await expect(prepareInputs(embedding.model, { shapes: { nope: [1] } })).rejects.toThrow(
      new UsageError("--shape nope: the model has no input 'nope'; its inputs: ids INT64[batch, seq], mask INT64[batch, seq], sr INT64[]"),
    );
    const { model } = saveModel('relu-neg', reluNegSpec());
    await expect(prepareInputs(model, { shapes: { x: [1, 5] } })).rejects.toThrow('--shape x=1x5: axis 1 is fixed at 4 in the model');
    await expect(prepareInputs(model, { shapes: { x: [4] } })).rejects.toThrow('--shape x=4: rank 1, but the model declares rank 2 [N, 4]');
    await expect(prepareInputs(model, { inputValues: { x: 0.5 } })).resolves.toMatchObject({ ok: true });
    await expect(prepareInputs(embedding.model, { inputValues: { sr: 0.5 } })).rejects.toThrow(
      '--input-value sr=0.5: 0.5 is not an integer for a INT64 input',
    );
  });

  test('absurd declared shapes are refused before allocating, with the way out', async () => {
    const huge = saveModel('huge', {
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 3, 65536, 65536] }],
        outputs: [{ name: 'y', dtype: 'FLOAT' }],
      },
    });
    const run = await runModel(huge.path, huge.model, { backends: ['cpu'] });
    expect(run.status).toBe('failed');
    expect(run.reason).toBe(
      "not run: the inputs would take 48.0 GiB (input 'x' alone is FLOAT [1, 3, 65536, 65536], 48.0 GiB), above the limit " +
        'of 512 MiB; give smaller dims with --dim/--shape, or raise --max-input-mb',
    );
    expect(run.backends).toEqual([]);
    const small = saveModel('relu-neg', reluNegSpec());
    const refused = await runModel(small.path, small.model, { backends: ['cpu'], dims: { N: 100_000 }, maxInputMB: 1 });
    expect(refused.reason).toMatch(/input 'x' alone is FLOAT \[100000, 4\], 1\.5 MiB\), above the limit of 1\.0 MiB/);
  });
});

describe('input files', () => {
  test('.npy (v1, little-endian float32 and float64 converted to the input type)', async () => {
    const { model } = saveModel('relu-neg', reluNegSpec());
    const npy = npyBytes('<f8', [2, 4], new Uint8Array(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8.5]).buffer));
    const path = fileIn('x.npy', npy);
    const [x] = only(await prepareInputs(model, { inputs: { x: path } }));
    expect(x).toMatchObject({ dims: [2, 4], source: 'file', detail: `${path} (DOUBLE converted to FLOAT)` });
    expect(Array.from(x!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8.5]);
    expect(parseNpy(npyBytes('<i8', [], new Uint8Array(BigInt64Array.from([16000n]).buffer)))).toMatchObject({ dtype: 'INT64', dims: [] });
    expect(() => parseNpy(npyBytes('>f4', [1], new Uint8Array(4)))).toThrow("unsupported .npy dtype '>f4'");
    expect(() => parseNpy(npyBytes('<f4', [3], new Uint8Array(4)))).toThrow('.npy data is 4 bytes; shape (3) of <f4 needs 12');
  });

  test('.json nested arrays and {dims, data}', async () => {
    expect(parseJsonTensor('[[1, 2], [3, 4]]')).toEqual({ dims: [2, 2], values: [1, 2, 3, 4] });
    expect(parseJsonTensor('{"dims": [1, 2], "data": [[0.5, 1]]}')).toEqual({ dims: [1, 2], values: [0.5, 1] });
    expect(() => parseJsonTensor('[[1, 2], [3]]')).toThrow('nested arrays are not rectangular');
    expect(() => parseJsonTensor('{"dims": [3], "data": [1]}')).toThrow('"data" has 1 values; dims [3] need 3');
    const { model } = saveModel('relu-neg', reluNegSpec());
    const path = fileIn('x.json', JSON.stringify([[1, -1, 0.5, 2]]));
    const [x] = only(await prepareInputs(model, { inputs: { x: path } }));
    expect(Array.from(x!.data as Float32Array)).toEqual([1, -1, 0.5, 2]);
    await expect(prepareInputs(model, { inputs: { x: fileIn('bad.json', '[[1, 2]]') } })).rejects.toThrow(
      /bad\.json: the file's shape 1x2: axis 1 is fixed at 4 in the model$/,
    );
    await expect(prepareInputs(model, { inputs: { x: '/nonexistent/x.npy' } })).rejects.toThrow('--input x=/nonexistent/x.npy: no such file');
  });

  test('float16 inputs are written as IEEE half bits, rounding to nearest even', () => {
    expect(floatToHalfBits(1)).toBe(0x3c00);
    expect(floatToHalfBits(-2)).toBe(0xc000);
    expect(floatToHalfBits(65504)).toBe(0x7bff);
    expect(floatToHalfBits(1e6)).toBe(0x7c00);
    expect(floatToHalfBits(2 ** -24)).toBe(0x0001);
    expect(floatToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // a tie rounds to even
  });
});

function npyBytes(descr: string, shape: number[], data: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}
