import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { realModel } from '../fixtures/real-models.js';
import { Random, mutate, seedFrom } from './mutate.js';
import { runPipeline } from './pipeline.js';
test('replay', async () => {
  const seeds = [...['control-flow', 'resnet-block', 'quantized-fp8', 'llm-attention-block'].map((n) => seedFrom(n, readFileSync(`models/${n}.onnx`))),
    ...(['paddleocrCls', 'sileroVad16k', 'sileroVad'] as const).map((n) => seedFrom(n, readFileSync(realModel(n))))];
  const caseSeed = (m: number, i: number, salt: number) => (0x9e3779b1 * (m + 1) + 7919 * i + 104729 * salt) >>> 0;
  for (const i of [1900, 1920, 2141]) {
    const m = mutate(seeds[0]!, new Random(caseSeed(0, i, 8)), seeds);
    console.log(m.steps);
    const o = await runPipeline(m.bytes, 'x.onnx', '/tmp');
    console.log(JSON.stringify(o.kind === 'error' ? o.message : 'report'));
  }
});
