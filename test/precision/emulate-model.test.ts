import { describe, expect, test } from 'vitest';
import { decodeModel } from '../../src/onnx/decode.js';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { rewriteModel } from '../../src/onnx/rewrite.js';
import { tensorFromFloats } from '../../src/onnx/tensor-data.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { buildEmulatedModel } from '../../src/precision/emulate-model.js';
import { roundToBfloat16, roundToHalf } from '../../src/precision/float-rounding.js';
import { resolvePolicy } from '../../src/profiles/precision-policy.js';
import type { PrecisionMode } from '../../src/precision/types.js';
import { mainValueTypes } from '../../src/precision/value-types.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { loadOrt } from '../../src/runtime/load-ort.js';
import { classifierSpec } from './built-models.js';

const profile = loadBuiltinProfile('ascend-910b');
const options = { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', logSeverityLevel: 4 } as const;

async function emulate(spec: ModelSpec, mode: PrecisionMode, keep: string[] = []) {
  const ort = await loadOrt();
  const bytes = encodeModel(spec);
  const model = decodeModel(bytes);
  const { types } = await mainValueTypes(model, bytes, (b) => ort.InferenceSession.create(b, options));
  return buildEmulatedModel(bytes, model, types, resolvePolicy(profile, mode, keep));
}

/** Runs model bytes with the given float inputs and fetches the named values. */
async function fetch(bytes: Uint8Array, feeds: Record<string, { dims: number[]; data: Float32Array | Float64Array }>, names: string[]) {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(rewriteModel(bytes, { addOutputs: names }), options);
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, v]) =>
    [k, new ort.Tensor(v.data instanceof Float64Array ? 'float64' : 'float32', v.data, v.dims)]));
  const out = await session.run(inputs, names);
  await session.release();
  return Object.fromEntries(names.map((n) => [n, Array.from(out[n]!.data as Float32Array)]));
}

const x = { dims: [2, 8], data: Float32Array.from({ length: 16 }, (_, i) => Math.cos(i * 0.37) * 3.3) };

describe('the emulated copy', () => {
  test('rounds every float node output to fp16 at the node boundary, exactly as Cast does', async () => {
    const emu = await emulate(classifierSpec(), 'fp16');
    expect([...emu.rounded.keys()].sort()).toEqual(['h', 'hb', 'p', 'r']);
    const v = await fetch(emu.bytes, { x }, ['h', 'h__pc_raw', 'hb', 'hb__pc_raw']);
    expect(v.h).toEqual(v.h__pc_raw!.map(roundToHalf));
    expect(v.hb).toEqual(v.hb__pc_raw!.map(roundToHalf));
    expect(v.h).not.toEqual(v.h__pc_raw); // the rounding did something
  });

  test('converts float weights to fp16 and back, under their own name, for every consumer', async () => {
    const emu = await emulate(classifierSpec(), 'fp16');
    expect(emu.emulated).toContain('2 fp32 weights (initializers) converted to fp16 and back to fp32 (fp16 everywhere (--precision fp16))');
    const model = decodeModel(emu.bytes);
    expect(model.graphs[0]!.initializers.map((t) => t.name).sort()).toEqual(['b__pc_src', 'w__pc_src']);
    const v = await fetch(emu.bytes, { x }, ['w']);
    const w: number[] = [];
    for (let i = 0; i < 48; i++) w.push(Math.fround(Math.sin(i * 1.7) * 0.8));
    expect(v.w).toEqual(w.map(roundToHalf));
  });

  test('rounds graph inputs where they are fed, not in the graph (their names are the interface)', async () => {
    const emu = await emulate(classifierSpec(), 'fp16');
    expect([...emu.inputRounding]).toEqual([['x', ['FLOAT16']]]);
    expect(decodeModel(emu.bytes).graphs[0]!.inputs.map((i) => i.name)).toEqual(['x']);
  });

  test.each([17, 11])('rounds to bf16 exactly (opset %i: Cast, or an exact split where Cast has no bf16)', async (opset) => {
    const emu = await emulate(classifierSpec(opset), 'bf16');
    const v = await fetch(emu.bytes, { x: { dims: x.dims, data: x.data.map((n) => n * 1234.567) } }, ['hb', 'hb__pc_raw']);
    expect(v.hb).toEqual(v.hb__pc_raw!.map(roundToBfloat16));
    expect(v.hb).not.toEqual(v.hb__pc_raw);
    expect(emu.emulated.some((line) => line.includes('exact split'))).toBe(opset < 13);
  });

  test('leaves the outputs of kept ops alone and says so', async () => {
    const emu = await emulate(classifierSpec(), 'fp16', ['Relu', 'probs']);
    expect([...emu.rounded.keys()].sort()).toEqual(['h', 'hb']);
    expect(emu.notEmulated[0]).toBe('2 outputs of ops the policy keeps in their own precision (Relu ×1, Softmax ×1) are not rounded');
  });

  test('says what it cannot round, and writes nothing half-way (fp16 → bf16 below opset 13)', async () => {
    const emu = await emulate({
      opsets: { 'ai.onnx': 11 },
      graph: {
        nodes: [{ opType: 'Identity', name: 'same', inputs: ['h'], outputs: ['y'] }],
        inputs: [{ name: 'h', dtype: 'FLOAT16', dims: [3] }],
        outputs: [{ name: 'y', dtype: 'FLOAT16', dims: [3] }],
      },
    }, 'bf16');
    expect(emu.rounded.size).toBe(0);
    expect(emu.notEmulated).toContain('1 value could not be rounded (bf16 rounding of fp16 values needs opset 13)');
    expect(decodeModel(emu.bytes).graphs[0]!.nodes.map((n) => n.opType)).toEqual(['Identity']);
  });

  test('does not round an integer accumulator cast to float: the dequantisation scale after it is fused on the target', async () => {
    const emu = await emulate({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [
          { opType: 'Cast', name: 'acc_to_float', inputs: ['acc'], outputs: ['f'], attributes: { to: { i: 1 } } },
          { opType: 'Mul', name: 'dequant', inputs: ['f', 's'], outputs: ['y'] },
        ],
        inputs: [{ name: 'acc', dtype: 'INT32', dims: [4] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: [4] }],
        initializers: [tensorFromFloats('s', [], [0.001])],
      },
    }, 'profile');
    expect([...emu.rounded.keys()]).toEqual(['y']);
    expect(emu.notEmulated[0]).toBe(
      '1 Cast from an integer type to float is not rounded: an integer accumulator cast to float is dequantised by the scale that follows, which the target fuses with it (AscendDequant)',
    );
  });

  test('under an fp32 policy nothing changes', async () => {
    const emu = await emulate(classifierSpec(), 'fp32');
    expect(emu.rounded.size).toBe(0);
    expect(emu.inputRounding.size).toBe(0);
    expect(emu.emulated).toEqual([]);
  });

  test('downcasts fp64 on a target without fp64, on to the compute type', async () => {
    const spec: ModelSpec = {
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Mul', name: 'scale', inputs: ['d', 'k'], outputs: ['y'] }],
        inputs: [{ name: 'd', dtype: 'DOUBLE', dims: [4] }],
        outputs: [{ name: 'y', dtype: 'DOUBLE', dims: [4] }],
        initializers: [tensorFromFloats('k', [], [1 / 3], 'DOUBLE')],
      },
    };
    const emu = await emulate(spec, 'profile');
    expect(emu.rounded.get('y')).toEqual(['FLOAT16']);
    expect(emu.emulated[0]).toBe('1 fp64 weight (initializer) converted to fp16 and back to fp64 (force_fp16)');
    const d = Float64Array.from([1.1, 2.2, 3.3, 4.4]);
    const v = await fetch(emu.bytes, { d: { dims: [4], data: d } }, ['y', 'y__pc_raw']);
    expect(v.y).toEqual(v.y__pc_raw!.map(roundToHalf));
  });

  test('renames a weight that old exporters (IR 3) also list as a graph input, so the copy still loads', async () => {
    const spec = classifierSpec();
    spec.irVersion = 3;
    spec.opsets = { 'ai.onnx': 9 };
    spec.graph.nodes[3]!.attributes = { axis: { i: 1 } };
    spec.graph.inputs.push({ name: 'w', dtype: 'FLOAT', dims: [8, 6] }, { name: 'b', dtype: 'FLOAT', dims: [6] });
    const emu = await emulate(spec, 'fp16');
    const inputs = decodeModel(emu.bytes).graphs[0]!.inputs.map((i) => i.name);
    expect(inputs).toEqual(['x', 'w__pc_src', 'b__pc_src']);
    const v = await fetch(emu.bytes, { x }, ['p']);
    expect(v.p).toHaveLength(12);
  });
});
