import { test } from 'vitest';
import { loadModel } from './src/onnx/load.js';
import { realModel } from './test/fixtures/real-models.js';
test('x', async () => {
  for (const n of ['paddleocrDet','paddleocrRec','sileroVad','sileroVadNoIf','paddleocrCls'] as const) {
    const m = await loadModel(realModel(n));
    const g = m.graphs[0]!;
    const ops = new Map<string, number>();
    for (const nd of g.nodes) ops.set(nd.opType, (ops.get(nd.opType) ?? 0) + 1);
    console.log(n, m.opsetImports, 'graphs', m.graphs.length, 'nodes', g.nodes.length, 'inits', g.initializers.length,
      JSON.stringify(g.inputs), JSON.stringify(g.outputs), JSON.stringify([...ops]), 'vi', g.valueInfo.length,
      [...new Set(g.initializers.map(i=>i.dtype))]);
  }
});
