import { it } from 'vitest';
import { check, TARGETS } from './run-checks.js';
import { convRelu, singleOp, f32, weights } from './models.js';
import type { ModelSpec } from '../../src/onnx/model-spec.js';

const models: Record<string, ModelSpec> = {
  convRelu17: convRelu(17),
  convRelu19: convRelu(19),
  stft: singleOp({ opType: 'STFT', name: 'stft' }),
  frob: singleOp({ opType: 'FrobnicateV2', name: 'frob' }),
  mha: singleOp({ opType: 'MultiHeadAttention', domain: 'com.microsoft', name: 'mha' }),
  gemm8: singleOp({ opType: 'GemmFloat8', domain: 'com.microsoft', name: 'g8' }),
  trt: singleOp({ opType: 'EfficientNMS_TRT', name: 'nms' }),
  trtdom: singleOp({ opType: 'MyPlugin', domain: 'trt.plugins', name: 'plug' }),
  custom: singleOp({ opType: 'FusedThing', domain: 'acme.cuda', name: 'fused' }),
  convint: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [
    { opType: 'DynamicQuantizeLinear', name: 'dql', inputs: ['x'], outputs: ['xq', 'xs', 'xz'] },
    { opType: 'ConvInteger', name: 'ci', inputs: ['xq', 'wq', 'xz'], outputs: ['y'] }],
    inputs: [f32('x')], outputs: [{ name: 'y', dtype: 'INT32', dims: [1, 4, 6, 6] }], initializers: [weights('wq', [4, 3, 3, 3], 'UINT8')] } },
  fp8bf16: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [{ opType: 'Add', name: 'a', inputs: ['x', 'b'], outputs: ['y'] }],
    inputs: [{ name: 'x', dtype: 'BFLOAT16', dims: [4] }], outputs: [{ name: 'y', dtype: 'BFLOAT16', dims: [4] }], initializers: [weights('b', [4], 'BFLOAT16'), weights('f8w', [16], 'FLOAT8E4M3FN')] } },
  dyn: convRelu(17, f32('x', ['batch', 3, 'h', null])),
  topk: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [{ opType: 'TopK', name: 'topk', inputs: ['x', 'k'], outputs: ['v', 'i'] }],
    inputs: [f32('x', [1, 10])], outputs: [f32('v', [1, 3]), { name: 'i', dtype: 'INT64', dims: [1, 3] }], initializers: [{ name: 'k', dtype: 'INT64', dims: [1], int64s: [3] }] } },
  loopif: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [
    { opType: 'Loop', name: 'loop', inputs: ['n', 'c', 'x'], outputs: ['y'], attributes: { body: { g: { nodes: [
      { opType: 'Identity', inputs: ['cin'], outputs: ['cout'] }, { opType: 'Relu', inputs: ['v'], outputs: ['vout'] }],
      inputs: [{ name: 'i', dtype: 'INT64', dims: [] }, { name: 'cin', dtype: 'BOOL', dims: [] }, f32('v')], outputs: [{ name: 'cout', dtype: 'BOOL', dims: [] }, f32('vout')] } } } },
    { opType: 'If', name: 'if', inputs: ['c'], outputs: ['z'], attributes: {
      then_branch: { g: { nodes: [{ opType: 'Relu', inputs: ['y'], outputs: ['t'] }], inputs: [], outputs: [f32('t')] } },
      else_branch: { g: { nodes: [{ opType: 'Sigmoid', inputs: ['y'], outputs: ['e'] }], inputs: [], outputs: [f32('e')] } } } }],
    inputs: [f32('x'), { name: 'n', dtype: 'INT64', dims: [] }, { name: 'c', dtype: 'BOOL', dims: [] }], outputs: [f32('z')] } },
  scatter: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [{ opType: 'ScatterND', name: 'sc', inputs: ['x', 'idx', 'u'], outputs: ['y'] }],
    inputs: [f32('x', [4, 4]), { name: 'idx', dtype: 'INT64', dims: [2, 1] }, f32('u', [2, 4])], outputs: [f32('y', [4, 4])] } },
  qdq: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [
    { opType: 'QuantizeLinear', name: 'q', inputs: ['x', 's', 'zp'], outputs: ['xq'] },
    { opType: 'DequantizeLinear', name: 'dq', inputs: ['xq', 's', 'zp'], outputs: ['y'] }],
    inputs: [f32('x')], outputs: [f32('y')], initializers: [weights('s', [], 'FLOAT'), weights('zp', [], 'INT8')] } },
  fp64: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [{ opType: 'Cast', name: 'todouble', inputs: ['x'], outputs: ['y'], attributes: { to: { i: 11 } } }],
    inputs: [f32('x')], outputs: [{ name: 'y', dtype: 'DOUBLE', dims: [1, 3, 8, 8] }] } },
  big: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] }],
    inputs: [f32('x', [1, 100000])], outputs: [f32('y', [1, 1000000])], initializers: [{ name: 'w', dtype: 'FLOAT16', dims: [100000, 1000000], external: { location: 'w.bin' } }] } },
  cycle: { opsets: { 'ai.onnx': 17 }, graph: { nodes: [
    { opType: 'Add', name: 'a', inputs: ['x', 'c'], outputs: ['b'] }, { opType: 'Relu', name: 'r', inputs: ['b'], outputs: ['c'] },
    { opType: 'Relu', name: 'r2', inputs: ['nothing'], outputs: ['y'] }, { opType: 'Relu', name: 'r3', inputs: ['x'], outputs: ['y'] }],
    inputs: [f32('x')], outputs: [f32('y'), f32('ghost')] } },
};

it('explore', () => {
  for (const [name, spec] of Object.entries(models)) {
    for (const t of TARGETS) {
      for (const f of check(spec, t)) console.log(`${name} ${t} | ${f.rule}/${f.code} ${f.severity} ${f.level} | ${f.message} || ${f.remedy} [${f.effort}] {${f.source.length}}`);
    }
  }
});
