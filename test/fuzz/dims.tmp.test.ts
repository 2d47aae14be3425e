import { test } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { writeModel, modelOf, f32, tempFolder, TARGET_FLAG } from '../hardening/hostile-files.js';
import { msg, modelAround } from '../onnx/raw-proto.js';
test('d', async () => {
  const dir = tempFolder('dims');
  const huge = 2 ** 60;
  const spec = modelOf({
    nodes: [
      { opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] },
      { opType: 'Relu', name: 'r', inputs: ['y'], outputs: ['z'] },
    ],
    inputs: [f32('x', [huge, huge])],
    outputs: [f32('z', [huge, -7])],
    initializers: [{ name: 'w', dtype: 'FLOAT', dims: [huge, huge], external: { location: 'w.bin' } }],
  });
  const p = writeModel(dir, 'huge.onnx', spec);
  for (const fmt of ['text', 'json']) {
    const s = performance.now();
    const r = await runCli([p, '--target', TARGET_FLAG, '--format', fmt], { cwd: dir });
    console.log(fmt, r.code, performance.now() - s, r.stderr, r.stdout.slice(0, 3000));
  }
  const neg = modelOf({
    nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] }],
    inputs: [f32('x', [-1, -5])],
    outputs: [f32('y', [-(2 ** 62), 3])],
    initializers: [{ name: 'w', dtype: 'FLOAT', dims: [-3, 4] }],
  });
  const q = writeModel(dir, 'neg.onnx', neg);
  const r = await runCli([q, '--target', TARGET_FLAG], { cwd: dir });
  console.log('neg', r.code, r.stderr, r.stdout.slice(0, 3000));
});
