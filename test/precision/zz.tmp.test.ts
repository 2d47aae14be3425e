import { test } from 'vitest';
import { loadModel } from '../../src/onnx/load.js';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { realModel } from '../fixtures/real-models.js';
test('isnet', async () => {
  for (const name of ['isnetFp16', 'isnetUint8'] as const) {
    const t = Date.now();
    const r = await emulatePrecision(realModel(name), await loadModel(realModel(name)), loadBuiltinProfile('ascend-910b'), { maxLayerwiseChunks: 3 });
    console.log(name, Date.now() - t, 'ms', r.status, r.reason, r.reference, JSON.stringify(r.outputs.map(o => [o.name, o.verdict, o.metrics?.cosine, o.metrics?.maxAbsError])), r.layerwise, r.firstDrift?.node, r.emulated, r.notEmulated, r.assumptions);
  }
}, 600000);
