import { test } from 'vitest';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel } from '../../src/onnx/decode.js';
import { loadOrt } from '../../src/runtime/load-ort.js';
import { rewriteModel } from '../../src/onnx/rewrite.js';
import { loadModel } from '../../src/onnx/load.js';
import { realModel } from '../fixtures/real-models.js';
test('t', async () => {
  const ort = await loadOrt();
  const path = realModel('paddleocrDet');
  const orig = await loadModel(path);
  for (const n of orig.graphs[0]!.nodes.filter(n => n.opType === 'BatchNormalization')) {
    const prod = orig.graphs[0]!.nodes.find(p => p.outputs.includes(n.inputs[0]!));
    console.log('orig BN', n.name, n.index, 'after', prod?.opType, prod?.name);
  }
  const dir = await mkdtemp(join(tmpdir(), 'pc-'));
  const out = join(dir, 'opt.onnx');
  const s = await ort.InferenceSession.create(path, { graphOptimizationLevel: 'basic', optimizedModelFilePath: out, logSeverityLevel: 4 });
  await s.release();
  const ob = new Uint8Array(await readFile(out));
  const m2 = decodeModel(ob);
  const g = m2.graphs[0]!;
  const bn = g.nodes.find(n => n.opType === 'BatchNormalization')!;
  console.log('remaining', bn.name, bn.inputs);
  const s2 = await ort.InferenceSession.create(rewriteModel(ob, { addOutputs: bn.inputs.slice(1) }), { graphOptimizationLevel: 'disabled' });
  const r = await s2.run({ x: new ort.Tensor('float32', new Float32Array(3 * 64 * 64).fill(0.3), [1, 3, 64, 64]) }, bn.inputs.slice(1));
  for (const k of bn.inputs.slice(1)) { const d = r[k]!.data as Float32Array; console.log(k, Math.min(...d), Math.max(...d)); }
  const convs = g.nodes.filter(n => n.opType === 'Conv').slice(-3).map(n => n.name + ':' + n.outputs[0]);
  console.log(convs);
}, 60000);
