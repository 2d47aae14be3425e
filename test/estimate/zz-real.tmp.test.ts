import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { estimate, analyseModel } from '../../src/estimate/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { loadModel } from '../../src/onnx/load.js';
import { profile } from './models.js';
import { execSync } from 'node:child_process';
it('real', async () => {
  const files = execSync('find .cache/models -name "*.onnx"').toString().trim().split('\n');
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    const model = await loadModel(f);
    const facts = inspectModel(model);
    const t0 = performance.now();
    const e = estimate(model, facts, profile('ascend-910b'), { modelBytes: bytes });
    const t1 = performance.now();
    const reasons = new Map<string, number>();
    for (const c of analyseModel(model, { modelBytes: bytes }).costs) if (!c.costed) reasons.set(`${c.opType}: ${c.reason}`, (reasons.get(`${c.opType}: ${c.reason}`) ?? 0) + 1);
    console.log(f, (t1 - t0).toFixed(1), 'ms', 'nodes', model.graphs[0]!.nodes.length, 'costed', e.nodesCosted, 'not', e.nodesNotCosted.count, 'lat', e.latencyMs, 'GF', (e.flops / 1e9).toFixed(2), 'mem', e.memory.weightsBytes, e.memory.activationBytes, e.bottleneck, e.confidence);
    console.log([...reasons].slice(0, 8));
    console.log(e.topOpTypes.slice(0, 3));
  }
});
