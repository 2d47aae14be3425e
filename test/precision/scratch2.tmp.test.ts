import { test } from 'vitest';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { tensorFromFloats } from '../../src/onnx/tensor-data.js';
import { saveModel } from './built-models.js';
test('fp8', async () => {
  const w = Array.from({ length: 16 }, (_, i) => Math.sin(i) * 2);
  const built = saveModel('fp8', {
    opsets: { 'ai.onnx': 19 },
    graph: {
      nodes: [
        { opType: 'DequantizeLinear', name: 'dq', inputs: ['w8', 'ws'], outputs: ['w'] },
        { opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] },
      ],
      inputs: [{ name: 'x', dtype: 'FLOAT', dims: [2, 4] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: [2, 4] }],
      initializers: [tensorFromFloats('w8', [4, 4], w, 'FLOAT8E4M3FN'), tensorFromFloats('ws', [], [0.37])],
    },
  });
  for (const fold of [true, false]) {
    const r = await emulatePrecision(built.path, built.model, loadBuiltinProfile('ascend-910b'), { fold });
    console.log(fold, r.status, r.reason, r.emulated, r.notEmulated, r.outputs.map(o => [o.verdict, o.metrics?.maxAbsError]));
  }
  const bf = saveModel('bf16', {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [{ opType: 'Gemm', name: 'g', inputs: ['x', 'W'], outputs: ['y'] }],
      inputs: [{ name: 'x', dtype: 'BFLOAT16', dims: [1, 2] }],
      outputs: [{ name: 'y', dtype: 'BFLOAT16', dims: [1, 2] }],
      initializers: [tensorFromFloats('W', [2, 2], [1, 2, 3, 4.0625], 'BFLOAT16')],
    },
  });
  const r2 = await emulatePrecision(bf.path, bf.model, loadBuiltinProfile('ascend-910b'));
  console.log(r2.status, r2.reason, r2.reference, r2.emulated, r2.assumptions, r2.outputs.map(o => [o.verdict, o.metrics?.maxAbsError, o.dtype]));
}, 60000);
