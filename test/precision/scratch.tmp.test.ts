import { test } from 'vitest';
import { readFile } from 'node:fs/promises';
import { loadModel } from '../../src/onnx/load.js';
import { rewriteModel } from '../../src/onnx/rewrite.js';
import { loadOrt } from '../../src/runtime/load-ort.js';
import { realModel } from '../fixtures/real-models.js';
test('x', async () => {
  const ort = await loadOrt();
  const path = realModel('paddleocrDet');
  const m = await loadModel(path);
  const bytes = new Uint8Array(await readFile(path));
  const g = m.graphs[0]!;
  const conv = g.nodes.find((n) => n.opType === 'Conv')!;
  const X = conv.outputs[0]!;
  console.log(conv.name, X, g.nodes.filter(n => n.inputs.includes(X)).map(n => n.opType));
  const emu = rewriteModel(bytes, {
    renameNodeOutputs: { [X]: X + '__raw' },
    appendNodes: [
      { opType: 'Cast', inputs: [X + '__h'], outputs: [X], attributes: { to: { i: 1 } } },
      { opType: 'Cast', inputs: [X + '__raw'], outputs: [X + '__h'], attributes: { to: { i: 10 } } },
    ],
    addOutputs: [X, X + '__raw'],
  });
  const s2 = await ort.InferenceSession.create(emu, { graphOptimizationLevel: 'disabled' });
  const s0 = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  const data = new Float32Array(1 * 3 * 64 * 64).map((_, i) => (Math.sin(i) + 1) / 2);
  const feeds = { x: new ort.Tensor('float32', data, [1, 3, 64, 64]) };
  const r0 = await s0.run(feeds);
  const r2 = await s2.run(feeds);
  const a0 = r2[X]!.data as Float32Array, a1 = r2[X + '__raw']!.data as Float32Array;
  let d = 0; for (let i = 0; i < a0.length; i++) d = Math.max(d, Math.abs(a0[i]! - a1[i]!));
  console.log('tap diff', d, a0.slice(0, 4), a1.slice(0, 4));
  const a = r0[s0.outputNames[0]!]!.data as Float32Array, b = r2[s0.outputNames[0]!]!.data as Float32Array;
  d = 0; let mx = 0; for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); mx = Math.max(mx, a[i]!); }
  console.log('maxdiff', d, a.length, mx, a.slice(0, 8));
}, 60000);
