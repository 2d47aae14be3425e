import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { realModel } from '../fixtures/real-models.js';
import { Random, mutate, seedFrom } from './mutate.js';
import { expectSaneOutcome, runPipeline } from './pipeline.js';

test('explore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fz-'));
  const seeds = [
    ...['control-flow', 'resnet-block', 'quantized-fp8', 'llm-attention-block'].map((n) => seedFrom(n, readFileSync(`models/${n}.onnx`))),
    seedFrom('cls', readFileSync(realModel('paddleocrCls'))),
    seedFrom('vad', readFileSync(realModel('sileroVad'))),
    seedFrom('vad16', readFileSync(realModel('sileroVad16k'))),
  ];
  const N = Number(process.env.FUZZ_N ?? 200);
  const failures: string[] = [];
  for (const seed of seeds) {
    const t0 = performance.now();
    // baseline
    const tb = performance.now(); await runPipeline(seed.bytes, 'x.onnx', dir); const base = performance.now() - tb;
    let reports = 0, errors = 0, max = 0, maxCase = '';
    for (let i = 0; i < N; i++) {
      const rnd = new Random(1000 * i + seed.bytes.length);
      const m = mutate(seed, rnd, seeds);
      const s = performance.now();
      try {
        const o = await runPipeline(m.bytes, 'x.onnx', dir);
        expectSaneOutcome(o, 'x.onnx');
        if (o.kind === 'report') reports++; else errors++;
      } catch (err) {
        failures.push(`${seed.name} #${i} ${m.steps.join(' | ')}: ${String(err instanceof Error ? err.stack : err).slice(0, 600)}`);
      }
      const d = performance.now() - s;
      if (d > max) { max = d; maxCase = m.steps.join(' | '); }
    }
    console.log(`${seed.name}: ${seed.bytes.length}B sites=${seed.sites.length} base=${base.toFixed(1)}ms  total=${(performance.now() - t0).toFixed(0)}ms reports=${reports} errors=${errors} max=${max.toFixed(0)}ms (${maxCase.slice(0, 150)})`);
  }
  console.log(failures.length + ' failures');
  const seen = new Set<string>();
  for (const f of failures) { const k = f.split(': ').slice(1).join(': ').slice(0, 120); if (!seen.has(k)) { seen.add(k); console.log(f); } }
}, 600_000);
