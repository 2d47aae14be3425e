import { test } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/onnx/load.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { realModel } from '../fixtures/real-models.js';

function documentImage(h: number, w: number): { dims: number[]; data: number[] } {
  const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
  const px = new Float64Array(h * w).fill(1);
  // lines of "words": dark blocks 8 px tall with gaps
  for (let y0 = 12; y0 + 10 < h; y0 += 24) {
    for (let x = 8; x < w - 8; x++) {
      const inWord = Math.floor((x - 8) / 6) % 5 !== 4 && (x % 6) !== 0;
      if (!inWord) continue;
      for (let y = y0; y < y0 + 9; y++) px[y * w + x] = 0.1;
    }
  }
  const data: number[] = [];
  for (let c = 0; c < 3; c++) for (let i = 0; i < h * w; i++) data.push((px[i]! - mean[c]!) / std[c]!);
  return { dims: [1, 3, h, w], data };
}
test('det', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pc-'));
  const file = join(dir, 'doc.json');
  await writeFile(file, JSON.stringify(documentImage(128, 128)));
  const profile = loadBuiltinProfile('ascend-910b');
  const path = realModel('paddleocrDet');
  const model = await loadModel(path);
  for (const precision of ['profile', 'bf16'] as const) {
    const t = Date.now();
    const r = await emulatePrecision(path, model, profile, { inputs: { x: file }, precision });
    console.log(precision, Date.now() - t, 'ms', JSON.stringify({ outputs: r.outputs, firstDrift: r.firstDrift, worst: r.layerwise?.worst.slice(0,2), emulated: r.emulated }, null, 1));
  }
}, 120000);
