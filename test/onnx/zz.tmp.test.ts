import { test } from 'vitest';
import { decodeModel } from '../../src/onnx/decode.js';
import { encodeModel } from '../../src/onnx/writer.js';
test('perf', () => {
  const nodes = []; const inits = [];
  for (let i = 0; i < 50000; i++) {
    nodes.push({ opType: 'MatMul', name: `/model/layers.${i}/mlp/MatMul`, inputs: [`/model/layers.${i - 1}/out`, `w${i}`], outputs: [`/model/layers.${i}/out`], attributes: { axis: { i: 1 }, perm: { ints: [0, 2, 1, 3] } } });
    if (i % 5 === 0) inits.push({ name: `w${i}`, dtype: 'FLOAT' as const, dims: [64, 64], raw: new Uint8Array(16384) });
  }
  const bytes = encodeModel({ opsets: { 'ai.onnx': 17 }, graph: { nodes, inputs: [], outputs: [], initializers: inits } });
  for (let k = 0; k < 4; k++) {
  const t = performance.now();
  const m = decodeModel(bytes);
  console.log('MB', bytes.length / 1e6, 'ms', performance.now() - t, m.graphs[0]!.nodes.length);
  }
});
