import { test } from 'vitest';
import { loadModel } from '../../src/onnx/load.js';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { realModel } from '../fixtures/real-models.js';
test('isnet', async () => {
  for (const name of ['isnetUint8'] as const) {
    const t = Date.now();
    const m = await loadModel(realModel(name));
    const ops = new Map<string, number>(); for (const n of m.graphs[0]!.nodes) ops.set(n.opType, (ops.get(n.opType) ?? 0) + 1);
    console.log([...ops]);
    const r = await emulatePrecision(realModel(name), m, loadBuiltinProfile('ascend-910b'), { maxLayerwiseChunks: 2 });
    console.log(name, Date.now() - t, 'ms', JSON.stringify(r.outputs.slice(0, 2), null, 1), JSON.stringify(r.overflows.slice(0, 4)), r.firstDrift, r.emulated, r.notEmulated);
  }
}, 600000);
