import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { encodeModel } from '../../src/onnx/writer.js';
import type { GraphSpec } from '../../src/onnx/model-spec.js';
test('w', () => {
  const f32 = (name: string) => ({ name, dtype: 'FLOAT' as const, dims: [1] });
  for (const levels of [10, 30, 40, 100, 1000]) {
    let inner: GraphSpec = { nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['r'] }], inputs: [], outputs: [f32('r')] };
    for (let depth = 0; depth < levels; depth++) {
      const other: GraphSpec = { nodes: [{ opType: 'Identity', inputs: ['x'], outputs: [`e${depth}`] }], inputs: [], outputs: [f32(`e${depth}`)] };
      inner = { nodes: [{ opType: 'If', inputs: ['cond'], outputs: [`o${depth}`], attributes: { then_branch: { g: inner }, else_branch: { g: other } } }], inputs: [], outputs: [f32(`o${depth}`)] };
    }
    writeFileSync(`/tmp/nest${levels}.onnx`, encodeModel({ opsets: { 'ai.onnx': 17 }, graph: { ...inner, inputs: [f32('x'), { name: 'cond', dtype: 'BOOL', dims: [] }], outputs: [f32(`o${levels - 1}`)] } }));
  }
});
