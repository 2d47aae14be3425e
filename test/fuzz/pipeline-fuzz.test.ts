/**
 * Seeded mutation fuzzing of the whole static pipeline over real models: the sample models in
 * models/ and small real fixtures (PaddleOCR cls, Silero VAD). Each case must end the way a user
 * may see it end (a report every format renders, or a one-line exit-2 error naming the file)
 * within a time bound. A failure prints the model, the case number and the mutation steps, so it
 * replays with `mutate(seed, new Random(caseSeed(...)), donors)`.
 *
 * PORT_CHECK_FUZZ_SCALE=10 runs ten times as many cases (other seeds) for a longer local hunt.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { check } from '../../src/check.js';
import { PortCheckError } from '../../src/errors.js';
import { FORMATTERS } from '../../src/report/index.js';
import { runCli } from '../cli/run-cli.js';
import { realModel, type RealModelName } from '../fixtures/real-models.js';
import { Random, mutate, seedFrom, type Seed } from './mutate.js';
import { FUZZ_TARGETS, expectSaneOutcome, formatAll, runPipeline, type Outcome } from './pipeline.js';

const SCALE = Math.max(1, Number(process.env.PORT_CHECK_FUZZ_SCALE ?? 1));
/** Per case; a healthy case takes 1 to 40 ms (300 ms on a busy machine). */
const CASE_TIME_LIMIT_MS = 2000;
/** Per test: the default 60 s, scaled with the case count. */
const TEST_TIMEOUT_MS = 60_000 * SCALE;

const SAMPLES = ['control-flow', 'resnet-block', 'quantized-fp8', 'llm-attention-block'];
const REAL: { name: RealModelName; cases: number }[] = [
  { name: 'paddleocrCls', cases: 350 },
  { name: 'sileroVad16k', cases: 150 },
  { name: 'sileroVad', cases: 80 },
];
const CASES_PER_SAMPLE = 450;

const seeds: Seed[] = [
  ...SAMPLES.map((n) => seedFrom(n, readFileSync(`models/${n}.onnx`))),
  ...REAL.map((r) => seedFrom(r.name, readFileSync(realModel(r.name)))),
];
const casesFor = (seed: Seed): number =>
  SCALE * (REAL.find((r) => r.name === seed.name)?.cases ?? CASES_PER_SAMPLE);

/** Each (model, case) has its own seed: one case replays without running the ones before it. */
export function caseSeed(modelIndex: number, caseIndex: number, salt: number): number {
  return (0x9e3779b1 * (modelIndex + 1) + 7919 * caseIndex + 104729 * salt) >>> 0;
}

const root = mkdtempSync(join(tmpdir(), 'port-check-fuzz-'));
/** External data in a mutant resolves against this empty folder. */
const emptyDir = join(root, 'empty');
mkdirSync(emptyDir);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Tally {
  reports: number;
  errors: number;
  slowestMs: number;
  failures: string[];
}

/** Runs one case; any broken rule becomes a failure line instead of stopping the loop. */
async function runCase(tally: Tally, label: string, steps: string[], run: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await run();
  } catch (err) {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    tally.failures.push(`${label} [${steps.join(' | ')}]: ${detail.split('\n').slice(0, 6).join(' / ')}`);
  }
  const elapsed = performance.now() - started;
  tally.slowestMs = Math.max(tally.slowestMs, elapsed);
  if (elapsed > CASE_TIME_LIMIT_MS) tally.failures.push(`${label} [${steps.join(' | ')}]: took ${Math.round(elapsed)} ms`);
}

function count(tally: Tally, outcome: Outcome): void {
  if (outcome.kind === 'report') tally.reports++;
  else tally.errors++;
}

const newTally = (): Tally => ({ reports: 0, errors: 0, slowestMs: 0, failures: [] });

function expectClean(tally: Tally, total: number): void {
  expect(tally.failures.slice(0, 10)).toEqual([]);
  expect(tally.reports + tally.errors).toBe(total);
  // The mix is what makes the fuzzing worth it: both endings must be well represented.
  expect(tally.reports).toBeGreaterThan(total * 0.2);
  expect(tally.errors).toBeGreaterThan(total * 0.2);
  // Nothing a mutant asked for was kept: the heap is what a few decoded models take.
  expect(process.memoryUsage().heapUsed).toBeLessThan(1024 * 2 ** 20);
}

describe('mutants of real models, on bytes: decode, inspect, checks on 3 targets, report, every format', () => {
  test.each(seeds.map((s, i) => [s.name, i] as const))('%s', async (_name, modelIndex) => {
    const seed = seeds[modelIndex]!;
    const tally = newTally();
    const total = casesFor(seed);
    for (let i = 0; i < total; i++) {
      const mutant = mutate(seed, new Random(caseSeed(modelIndex, i, SCALE)), seeds);
      const file = `fuzz/${seed.name}-${i}.onnx`;
      await runCase(tally, `${seed.name} #${i}`, mutant.steps, async () => {
        const outcome = await runPipeline(mutant.bytes, file, emptyDir);
        expectSaneOutcome(outcome, file);
        count(tally, outcome);
      });
    }
    expectClean(tally, total);
  }, TEST_TIMEOUT_MS);
});

describe('mutants written to files', () => {
  const fileSeeds = seeds.filter((s) => s.bytes.length < 1_000_000);

  test('through the library entry check(): a report or a PortCheckError naming the file', async () => {
    const tally = newTally();
    const total = 300 * SCALE;
    for (let i = 0; i < total; i++) {
      const modelIndex = i % fileSeeds.length;
      const seed = fileSeeds[modelIndex]!;
      const mutant = mutate(seed, new Random(caseSeed(modelIndex, i, 1000 + SCALE)), seeds);
      const file = join(root, `check-${i}.onnx`);
      writeFileSync(file, mutant.bytes);
      await runCase(tally, `check() ${seed.name} #${i}`, mutant.steps, async () => {
        let outcome: Outcome;
        try {
          const report = await check(file, { targets: FUZZ_TARGETS });
          outcome = { kind: 'report', report, outputs: formatAll(report) };
        } catch (err) {
          if (!(err instanceof PortCheckError)) throw err;
          outcome = { kind: 'error', message: err.message };
        }
        expectSaneOutcome(outcome, file);
        count(tally, outcome);
      });
      rmSync(file);
    }
    expectClean(tally, total);
  }, TEST_TIMEOUT_MS);

  test('through the CLI main() with every --format it offers: exit 0 or 1 with output, or exit 2 with one line', async () => {
    const formats = Object.keys(FORMATTERS);
    const tally = newTally();
    const total = 120 * SCALE;
    for (let i = 0; i < total; i++) {
      const modelIndex = i % fileSeeds.length;
      const seed = fileSeeds[modelIndex]!;
      const mutant = mutate(seed, new Random(caseSeed(modelIndex, i, 2000 + SCALE)), seeds);
      const file = `cli-${i}.onnx`;
      writeFileSync(join(root, file), mutant.bytes);
      const format = formats[i % formats.length]!;
      await runCase(tally, `CLI --format ${format} ${seed.name} #${i}`, mutant.steps, async () => {
        const r = await runCli([file, '--target', FUZZ_TARGETS.join(','), '--format', format, '--fail-on', 'error'], { cwd: root });
        if (r.code === 2) {
          expect(r.stdout).toBe('');
          expect(r.stderr).toMatch(new RegExp(`^port-check: [^\\n]*${file.replace('.', '\\.')}: [^\\n]+\\n$`));
          tally.errors++;
        } else {
          expect([0, 1], `exit ${r.code}: ${r.stderr}`).toContain(r.code);
          expect(r.stderr).toBe('');
          expect(r.stdout.length).toBeGreaterThan(0);
          if (format === 'json' || format === 'sarif') JSON.parse(r.stdout);
          tally.reports++;
        }
      });
      rmSync(join(root, file));
    }
    expectClean(tally, total);
  }, TEST_TIMEOUT_MS);
});
