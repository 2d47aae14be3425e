import { test } from 'vitest';
import { cliJson, codesOf, f32, modelOf, tempFolder, writeModel } from '../hardening/hostile-files.js';
test('d', async () => {
  const dir = tempFolder('dup');
  writeModel(dir, 'a.onnx', modelOf({ nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }], inputs: [f32('x'), f32('x')], outputs: [f32('y')] }));
  writeModel(dir, 'b.onnx', modelOf({ nodes: [{ opType: 'Add', inputs: ['x', 'w'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')], initializers: [{ name: 'w', dtype: 'FLOAT', dims: [1], floats: [1] }, { name: 'w', dtype: 'FLOAT', dims: [1], floats: [2] }] }));
  writeModel(dir, 'c.onnx', modelOf({ nodes: [{ opType: 'Add', inputs: ['x', 'x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y'), f32('y')] }));
  writeModel(dir, 'd.onnx', modelOf({ nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y', 'y'] }], inputs: [f32('x')], outputs: [f32('y')] }));
  for (const f of ['a', 'b', 'c', 'd']) { const r = await cliJson(`${f}.onnx`, dir); console.log(f, r.code, codesOf(r.report!)); }
});
