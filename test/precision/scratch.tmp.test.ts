import { test } from 'vitest';
import { loadModel } from '../../src/onnx/load.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { realModel } from '../fixtures/real-models.js';
const cases = [
  ['paddleocrDet', { shapes: { x: [1, 3, 96, 96] } }],
  ['paddleocrRec', { shapes: { x: [1, 3, 48, 160] } }],
  ['sileroVad', { }],
  ['sileroVadNoIf', { }],
  ['paddleocrCls', { }],
] as const;
for (const [name, opts] of cases) {
  test(name, async () => {
    const profile = loadBuiltinProfile('ascend-910b');
    const path = realModel(name);
    const model = await loadModel(path);
    const t = Date.now();
    const r = await emulatePrecision(path, model, profile, { ...opts } as never);
    console.log(name, Date.now() - t, 'ms', JSON.stringify({ ...r, policy: undefined, thresholds: undefined }, null, 1).slice(0, 6000));
  }, 120000);
}
