import { test } from 'vitest';
import { readFile } from 'node:fs/promises';
import { decodeModel } from '../../src/onnx/decode.js';
import { runModel } from '../../src/runtime/index.js';
import { realModel } from '../fixtures/real-models.js';

test('scratch', async () => {
  const path = realModel('isnetUint8');
  const model = decodeModel(await readFile(path), { path });
  for (const profile of [false, true]) {
    const t0 = performance.now();
    const r = await runModel(path, model, { backends: ['cpu'], iterations: 1, warmup: 0, observeShapes: false, profile });
    const b = r.backends[0]!;
    console.log(profile, (performance.now()-t0).toFixed(0), b.sessionMs, JSON.stringify(b.latencyMs), b.profiledNodeMs, JSON.stringify(b.opTypeShares?.slice(0,6)));
  }
}, 300000);
