import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { convRelu, f32, weights } from './models.js';
import { check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

/** An Add fed by `x` of the given dtype, plus extra initializers nobody needs to read. */
function addModel(dtype: 'FLOAT' | 'BFLOAT16' | 'FLOAT16', extra: ModelSpec['graph']['initializers'] = []): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [{ opType: 'Add', name: 'add', inputs: ['x', 'b'], outputs: ['y'] }],
      inputs: [{ name: 'x', dtype, dims: [4] }],
      outputs: [{ name: 'y', dtype, dims: [4] }],
      initializers: [weights('b', [4], dtype), ...(extra ?? [])],
    },
  };
}

const fp8 = addModel('FLOAT16', [weights('w_fp8', [16], 'FLOAT8E4M3FN')]);
const fp64: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [{ opType: 'Cast', name: 'to_double', inputs: ['x'], outputs: ['y'], attributes: { to: { i: 11 } } }],
    inputs: [f32('x')],
    outputs: [{ name: 'y', dtype: 'DOUBLE', dims: [1, 3, 8, 8] }],
  },
};
const int4: ModelSpec = addModel('FLOAT16', [{ name: 'w_int4', dtype: 'INT4', dims: [32], raw: new Uint8Array(16) }]);

describe('precision', () => {
  ruleTable('precision', [
    // fp32 on Ascend is "degraded" only because force_fp16 computes it in fp16: one policy finding says so.
    { name: 'fp32 model', model: convRelu(17), expect: gpuVsAscend([], ['precision-policy degraded']) },
    { name: 'fp16 model', model: addModel('FLOAT16'), expect: gpuVsAscend([], []) },
    { name: 'bf16 model', model: addModel('BFLOAT16'), expect: gpuVsAscend([], ['precision-policy degraded']) },
    { name: 'fp8 initializer', model: fp8, expect: gpuVsAscend([], ['dtype-unsupported unsupported']) },
    { name: 'fp64 Cast target', model: fp64, expect: gpuVsAscend(['dtype-degraded degraded'], ['dtype-unsupported unsupported', 'precision-policy degraded']) },
    { name: 'int4 initializer', model: int4, expect: gpuVsAscend([], ['dtype-degraded degraded']) },
  ]);

  it('names the fp8 dtype, where it is used and the re-quantization path', () => {
    const [finding] = ofRule(check(fp8, 'ascend-910b'), 'precision');
    expect(finding).toMatchObject({ severity: 'error', op: 'fp8' });
    expect(message(finding!)).toMatch(/^FLOAT8E4M3FN tensors are not supported: /);
    expect(message(finding!)).toContain('(in initializer: w_fp8)');
    expect(remedy(finding!)).toMatch(/AMCT|msModelSlim/);
  });

  it('says which float tensors force_fp16 computes in fp16', () => {
    const [finding] = ofRule(check(addModel('BFLOAT16'), 'ascend-910c'), 'precision');
    expect(finding).toMatchObject({ severity: 'info', level: 'degraded' });
    expect(message(finding!)).toBe("bf16 tensors will be computed in fp16 under ATC / GE (CANN)'s default precision policy, force_fp16");
    expect(remedy(finding!)).toContain('--precision_mode');
  });

  it('reports a Cast to fp64 by the node that casts', () => {
    const [finding] = ofRule(check(fp64, 'ascend-910c'), 'precision');
    expect(message(finding!)).toMatch(/cast_target: .*to_double/);
  });
});
