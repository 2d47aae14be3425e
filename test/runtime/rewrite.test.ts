import { describe, expect, test } from 'vitest';
import ort from 'onnxruntime-node';
import { decodeModel } from '../../src/onnx/decode.js';
import { RewriteError, rewriteModel } from '../../src/onnx/rewrite.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { castBf16GemmSpec, reluNegSpec } from './small-models.js';

const x = () => new ort.Tensor('float32', Float32Array.from([-1.5, 2.25, -3, 4.1]), [1, 4]);

describe('rewriteModel', () => {
  test('without edits gives the same bytes back', () => {
    const bytes = encodeModel(reluNegSpec());
    expect(rewriteModel(bytes, {})).toEqual(bytes);
  });

  test('exposes an intermediate value as an output that ONNX Runtime computes', async () => {
    const rewritten = rewriteModel(encodeModel(reluNegSpec()), { addOutputs: ['r'] });
    const ir = decodeModel(rewritten);
    expect(ir.graphs[0]!.outputs.map((o) => o.name)).toEqual(['y', 'r']);
    // A name-only output: ONNX Runtime infers its type.
    expect(ir.graphs[0]!.outputs[1]!.dtype).toBeUndefined();

    const session = await ort.InferenceSession.create(rewritten);
    const out = await session.run({ x: x() });
    expect(Array.from(out.r!.data as Float32Array)).toEqual([0, 2.25, 0, Math.fround(4.1)]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([-0, -2.25, -0, -Math.fround(4.1)]);
  });

  test('renames a node output and appends nodes that produce the old name (a Cast pair)', async () => {
    const rewritten = rewriteModel(encodeModel(reluNegSpec()), {
      renameNodeOutputs: { r: 'r_raw' },
      appendNodes: [
        { opType: 'Cast', name: 'to_half', inputs: ['r_raw'], outputs: ['r_half'], attributes: { to: { i: 10 } } },
        { opType: 'Cast', name: 'to_float', inputs: ['r_half'], outputs: ['r'], attributes: { to: { i: 1 } } },
      ],
      addOutputs: [{ name: 'r_half', dtype: 'FLOAT16', dims: [1, 4] }],
    });
    const ir = decodeModel(rewritten);
    expect(ir.graphs[0]!.nodes.map((n) => `${n.opType}:${n.outputs.join(',')}`)).toEqual([
      'Relu:r_raw', 'Neg:y', 'Cast:r_half', 'Cast:r',
    ]);
    const out = await (await ort.InferenceSession.create(rewritten)).run({ x: x() });
    // 4.1 is not a half: the emulated precision shows in y.
    expect((out.y!.data as Float32Array)[3]).toBe(-4.1015625);
    expect(out.r_half!.type).toBe('float16');
  });

  test('removes an output and adds an opset import only when missing', () => {
    const rewritten = rewriteModel(encodeModel(reluNegSpec()), {
      addOutputs: ['r'],
      removeOutputs: ['y'],
      addOpsetImports: { 'ai.onnx': 99, 'com.microsoft': 1 },
    });
    const ir = decodeModel(rewritten);
    expect(ir.graphs[0]!.outputs.map((o) => o.name)).toEqual(['r']);
    expect(ir.opsetImports).toEqual({ 'ai.onnx': 17, 'com.microsoft': 1 });
  });

  test('upcasts bf16 initializers, Cast targets and declared types to fp32, exactly', async () => {
    const bytes = encodeModel(castBf16GemmSpec('cast_bf16_gemm', [1, 2, 3, 0.5], { declareGemmOutput: true }));
    await expect(ort.InferenceSession.create(bytes)).rejects.toThrow(/Could not find an implementation for Gemm/);

    const rewritten = rewriteModel(bytes, { retype: { from: 'BFLOAT16', to: 'FLOAT' } });
    const ir = decodeModel(rewritten);
    const main = ir.graphs[0]!;
    expect(main.initializers[0]).toMatchObject({ name: 'W', dtype: 'FLOAT', byteSize: 16 });
    expect(main.valueInfo[0]!.dtype).toBe('FLOAT');
    expect(main.nodes[0]!.attributes[0]!.i).toBe(1);
    const out = await (await ort.InferenceSession.create(rewritten)).run({
      x: new ort.Tensor('float32', Float32Array.from([1, 2]), [1, 2]),
    });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([7, 3]);
  });

  test('refuses to upcast a tensor whose data is in an external file', () => {
    const bytes = encodeModel({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Identity', inputs: ['W'], outputs: ['y'] }],
        inputs: [],
        outputs: [{ name: 'y', dtype: 'BFLOAT16', dims: [2] }],
        initializers: [{ name: 'W', dtype: 'BFLOAT16', dims: [2], external: { location: 'w.bin' } }],
      },
    });
    expect(() => rewriteModel(bytes, { retype: { from: 'BFLOAT16', to: 'FLOAT' } })).toThrow(
      new RewriteError("tensor 'W' keeps its data in an external file, which the rewrite does not read"),
    );
  });

  test('refuses bytes that are not a model with one graph', () => {
    expect(() => rewriteModel(new Uint8Array([0x0a, 0xff]), { addOutputs: ['a'] })).toThrow(RewriteError);
    expect(() => rewriteModel(new Uint8Array(0), { addOutputs: ['a'] })).toThrow('expected one main graph in the model, found 0');
  });
});
