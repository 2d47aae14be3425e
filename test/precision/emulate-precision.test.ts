import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { tensorFromFloats } from '../../src/onnx/tensor-data.js';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { precisionFindings } from '../../src/precision/findings.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { classifierSpec, overflowSpec, saveModel } from './built-models.js';
import { message } from '../helpers/words.js';

const ascend = loadBuiltinProfile('ascend-910b');
const h20 = loadBuiltinProfile('h20');

describe('emulatePrecision', () => {
  test('on a target whose policy converts nothing, says there is nothing to emulate', async () => {
    const built = saveModel('classifier-h20', classifierSpec());
    const result = await emulatePrecision(built.path, built.model, h20);
    expect(result).toMatchObject({ status: 'ok', target: 'h20', policy: { compute: 'fp32', from: 'profile' }, outputs: [] });
    expect(result.notEmulated[0]).toMatch(/^nothing to emulate: under .* \(fp32\) no value of this model changes precision$/);
    expect(precisionFindings(result, h20)).toEqual([]);
  });

  test('reports top-k agreement for class scores (a Softmax output), not for other outputs', async () => {
    const built = saveModel('classifier', classifierSpec());
    const result = await emulatePrecision(built.path, built.model, ascend);
    expect(result.outputs[0]!.metrics!.topK).toEqual([
      { k: 1, agreement: 1, rows: 2 },
      { k: 5, agreement: expect.any(Number), rows: 2 },
    ]);
    const overflow = saveModel('overflow-topk', overflowSpec());
    const other = await emulatePrecision(overflow.path, overflow.model, ascend, { precision: 'bf16' });
    expect(other.outputs[0]!.metrics!.topK).toBeUndefined();
  });

  test('finds the first drifting node in data-flow order even when the file lists nodes out of order', async () => {
    const spec = overflowSpec();
    spec.graph.nodes.reverse();
    const built = saveModel('overflow-reversed', spec);
    const result = await emulatePrecision(built.path, built.model, ascend, { fold: false });
    expect(result.firstDrift?.node).toBe('overflow_here');
    expect(result.overflows.map((o) => [o.kind, o.node])).toEqual([
      ['fp16-overflow', 'overflow_here'],
      ['nan-inf', 'overflow_here'],
      ['nan-inf', 'scale_down'],
      ['nan-inf', 'back_to_input'],
    ]);
    const nanInf = precisionFindings(result, ascend).find((f) => f.code === 'nan-inf')!;
    expect(message(nanInf)).toMatch(/^NaN or infinity first appears at overflow_here \(Mul\) .* where the reference run is finite \(and 2 later values\)$/);
    expect(nanInf.nodes.map((n) => n.name)).toEqual(['overflow_here', 'scale_down', 'back_to_input']);
  });

  test('suggests OpType::<CANN op> for a node the exporter left unnamed', async () => {
    const spec = overflowSpec();
    for (const n of spec.graph.nodes) delete n.name;
    const built = saveModel('overflow-unnamed', spec);
    const result = await emulatePrecision(built.path, built.model, ascend);
    expect(result.firstDrift).toMatchObject({ node: '#1 Mul', named: false });
    expect(result.keepDtypeSuggestion).toEqual(['OpType::Mul']);
  });

  test('emulates a bf16 model from its exact fp32 upcast when the CPU has no bf16 kernel', async () => {
    const built = saveModel('gemm-bf16', {
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Gemm', name: 'g', inputs: ['x', 'W'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'BFLOAT16', dims: [1, 2] }],
        outputs: [{ name: 'y', dtype: 'BFLOAT16', dims: [1, 2] }],
        initializers: [tensorFromFloats('W', [2, 2], [1, 2, 3, 4.0625], 'BFLOAT16')],
      },
    });
    const result = await emulatePrecision(built.path, built.model, ascend);
    expect(result).toMatchObject({ status: 'ok', reference: 'upcast-bf16-to-fp32' });
    expect(result.assumptions[0]).toMatch(/^the model as it is does not run on ONNX Runtime's CPU provider \(.*Gemm.*\); the reference is a copy with every BFLOAT16 tensor upcast to FLOAT/);
    expect(result.outputs[0]).toMatchObject({ name: 'y', dtype: 'float32', verdict: 'pass' });
  });

  test('dequantizes fp8 weights to bf16 first on a target without fp8, and says so', async () => {
    const w = Array.from({ length: 16 }, (_, i) => Math.sin(i) * 2);
    const spec: ModelSpec = {
      opsets: { 'ai.onnx': 19 },
      graph: {
        nodes: [
          { opType: 'DequantizeLinear', name: 'dq', inputs: ['w8', 'scale'], outputs: ['w'] },
          { opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] },
        ],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: [2, 4] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: [2, 4] }],
        initializers: [tensorFromFloats('w8', [4, 4], w, 'FLOAT8E4M3FN'), tensorFromFloats('scale', [], [0.37])],
      },
    };
    const built = saveModel('fp8-weights', spec);
    const result = await emulatePrecision(built.path, built.model, ascend);
    expect(result.status).toBe('ok');
    expect(result.emulated).toContain('1 fp32 node output rounded at the node boundary to bf16 then fp16 and back to fp32 (force_fp16)');
    expect(result.emulated).toContain(
      `1 value dequantized from fp8 weights rounded to bf16 first: the target has no fp8 compute, so fp8 weights are dequantized to bf16 there`,
    );
  });

  test('a model ONNX Runtime cannot run gives status failed and an info finding, not an exception', async () => {
    const built = saveModel('custom-op', {
      opsets: { 'ai.onnx': 17, 'com.example': 1 },
      graph: {
        nodes: [{ opType: 'Mystery', domain: 'com.example', name: 'm', inputs: ['x'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 2] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 2] }],
      },
    });
    const result = await emulatePrecision(built.path, built.model, ascend);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^the model does not run on ONNX Runtime's CPU provider here: .*Mystery/);
    const [finding] = precisionFindings(result, ascend);
    expect(finding).toMatchObject({ rule: 'precision-emulation', code: 'emulation-failed', severity: 'info', level: 'unknown' });
    expect(message(finding!)).toMatch(/^the precision policy force_fp16 \(fp16\) could not be emulated: the model does not run/);
  });

  test('options that make no sense are usage errors', async () => {
    const built = saveModel('classifier-usage', classifierSpec());
    await expect(emulatePrecision(built.path, built.model, ascend, { precision: 'fp8' as never })).rejects.toThrow(
      new UsageError('--precision fp8: expected one of profile, fp16, bf16, fp32'),
    );
    await expect(emulatePrecision(built.path, built.model, ascend, { shapes: { nope: [1] } })).rejects.toThrow(UsageError);
    await expect(emulatePrecision(built.path, built.model, ascend, { thresholds: { cosine: 5 } })).rejects.toThrow(UsageError);
  });
});
