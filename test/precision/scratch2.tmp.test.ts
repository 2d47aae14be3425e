import { test } from 'vitest';
import { loadModel } from '../../src/onnx/load.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { realModel } from '../fixtures/real-models.js';
const cases = [
  ['paddleocrDet', { shapes: { x: [1, 3, 96, 96] } }],
  ['paddleocrRec', { shapes: { x: [1, 3, 48, 160] } }],
  ['sileroVad', {}],
  ['sileroVadNoIf', {}],
  ['paddleocrCls', { shapes: { x: [1, 3, 48, 192] } }],
  ['isnetFp16', { shapes: { 'input': [1, 3, 256, 256] } }],
] as const;
for (const [name, opts] of cases) {
  test(name, async () => {
    const profile = loadBuiltinProfile('ascend-910b');
    const path = realModel(name);
    const model = await loadModel(path);
    for (const precision of ['profile', 'bf16'] as const) {
      const t = Date.now();
      const r = await emulatePrecision(path, model, profile, { ...opts, precision } as never);
      console.log(name, precision, Date.now() - t, 'ms', r.status, r.reason ?? '', JSON.stringify(r.outputs.map(o => [o.name, o.verdict, o.metrics?.cosine, o.metrics?.maxAbsError, o.metrics?.relativeEuclidean, o.metrics?.topK])), 'first', r.firstDrift?.node, r.firstDrift?.metric, r.firstDrift?.value, 'chunks', r.layerwise?.chunks, r.overflows.length, '\n  ', r.emulated.join('\n   '), '\n  ', r.notEmulated.join('\n   '), '\n  ', r.assumptions.join('\n   '));
    }
  }, 120000);
}
