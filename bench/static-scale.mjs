#!/usr/bin/env node
// Does the static check scale with the graph rather than with the weights? Side by side, in one run:
//
// - the same 24-layer transformer graph with tiny weights (hidden 64, 2.4 MB) and with 4.2 GB of
//   external weights (hidden 2688, a sparse weights.bin: the loader stats it and never reads it),
//   plus the hidden-1024 variant with 600 MB of weights inline and as external data;
// - for each: the floor (a process that reads the .onnx file and decodes it, nothing else), the
//   static check through the CLI (`port-check MODEL --target h20,ascend-910b,ascend-910c --format
//   json`, which includes the estimate), both as whole processes, best of N, with their peak RSS
//   (/usr/bin/time);
// - what the estimate stage adds: estimate() on the three targets, cold (first call in a fresh
//   process) and warm, on the hidden-1024 transformer.
//
// Each table also prints the machine's load average: on a busy machine every figure stretches.
//
//   npm run build && node bench/make-large-models.mjs && node bench/static-scale.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MODELS, fourGbWeightBytes, makeLargeModels } from './make-large-models.mjs';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist', 'src');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const targets = 'h20,ascend-910b,ascend-910c';
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'port-check-bench-'));

for (const line of makeLargeModels({ only: ['tiny', 'inline', 'external', '4gb'] })) console.log(line);

/** Runs `node args...` in a child; returns wall ms and peak RSS in MiB (from /usr/bin/time). */
function timedNode(args) {
  const rssFile = join(scratch, 'rss.txt');
  const command = timeBin ? timeBin : process.execPath;
  const argv = timeBin ? ['-f', '%M', '-o', rssFile, process.execPath, ...args] : args;
  const t = performance.now();
  const r = spawnSync(command, argv, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rssMiB = timeBin ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
  return { ms, rssMiB, stdout: r.stdout };
}

function best(fn) {
  let out;
  for (let i = 0; i < runs; i++) {
    const r = fn();
    if (!out || r.ms < out.ms) out = { ...r, rssMiB: Math.max(r.rssMiB, out?.rssMiB ?? 0) };
    else out.rssMiB = Math.max(out.rssMiB, r.rssMiB);
  }
  return out;
}

// The floor: start node, load the decoder, read the file, decode it. Nothing else.
const floorScript = `
const { readFileSync } = await import('node:fs');
const { decodeModel } = await import(${JSON.stringify(join(dist, 'onnx', 'decode.js'))});
const bytes = readFileSync(process.argv[1]);
decodeModel(bytes, { path: process.argv[1] });
`;

const declared = (path) => {
  const dir = join(path, '..');
  const weights = join(dir, 'weights.bin');
  return path.endsWith('model.onnx') && existsSync(weights) ? statSync(weights).size : statSync(path).size;
};
const fmt = (bytes) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);

const rows = [
  ['24 layers, hidden 64, tiny weights', MODELS.tiny],
  ['24 layers, hidden 2688, 4.2 GB external (sparse)', MODELS.fourGb],
  ['24 layers, hidden 1024, 600 MB inline', MODELS.inline],
  ['24 layers, hidden 1024, 600 MB external', MODELS.external],
];

console.log(`\nstatic check vs the floor, whole processes, best of ${runs}; peak RSS is the largest seen; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
console.log(
  'model'.padEnd(50), 'weights'.padStart(10), 'floor'.padStart(9), 'check'.padStart(9), 'ratio'.padStart(7),
  'floor RSS'.padStart(10), 'check RSS'.padStart(10),
);
const results = {};
for (const [name, path] of rows) {
  const floor = best(() => timedNode(['--input-type=module', '-e', floorScript, path]));
  const check = best(() => timedNode([join(root, 'bin', 'port-check.js'), path, '--target', targets, '--format', 'json']));
  results[path] = { floor, check };
  console.log(
    name.padEnd(50), fmt(declared(path)).padStart(10), `${floor.ms.toFixed(0)} ms`.padStart(9), `${check.ms.toFixed(0)} ms`.padStart(9),
    `${(check.ms / floor.ms).toFixed(2)}×`.padStart(7), `${floor.rssMiB.toFixed(0)} MiB`.padStart(10), `${check.rssMiB.toFixed(0)} MiB`.padStart(10),
  );
}

const tiny = results[MODELS.tiny].check;
const big = results[MODELS.fourGb].check;
console.log(`\n4.2 GB external vs tiny weights, same graph: ${(big.ms / tiny.ms).toFixed(2)}× the time (${big.ms.toFixed(0)} vs ${tiny.ms.toFixed(0)} ms)`);
console.log(`peak RSS of the 4.2 GB check: ${big.rssMiB.toFixed(0)} MiB = ${((big.rssMiB * 1024 ** 2) / fourGbWeightBytes() * 100).toFixed(1)}% of the weights' size`);

// What the estimate stage costs: a fresh process (cold: the first call compiles everything) and
// warm calls, on the hidden-1024 transformer, three targets.
const estimateScript = `
const { readFileSync } = await import('node:fs');
const { estimate, readSmallConstants } = await import(${JSON.stringify(join(dist, 'estimate', 'index.js'))});
const { inspectModel } = await import(${JSON.stringify(join(dist, 'inspect', 'inspect.js'))});
const { loadModel } = await import(${JSON.stringify(join(dist, 'onnx', 'load.js'))});
const { loadBuiltinProfile } = await import(${JSON.stringify(join(dist, 'profiles', 'load.js'))});
const path = process.argv[1];
const bytes = readFileSync(path);
const model = await loadModel(path);
const facts = inspectModel(model);
const profiles = ${JSON.stringify(targets.split(','))}.map((id) => loadBuiltinProfile(id));
const time = () => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const constants = readSmallConstants(bytes, model.graphs[0]);
  const out = profiles.map((p) => estimate(model, facts, p, { constants }));
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, out };
};
const cold = time();
let warm = Infinity;
for (let i = 0; i < 10; i++) warm = Math.min(warm, time().ms);
const e = cold.out[1];
console.log(JSON.stringify({ cold: cold.ms, coldCpu: cold.cpuMs, warm, nodes: model.graphs[0].nodes.length, costed: e.nodesCosted, latencyMs: cold.out.map((x) => x.latencyMs), bottleneck: cold.out.map((x) => x.bottleneck) }));
`;
const est = best(() => {
  const r = timedNode(['--input-type=module', '-e', estimateScript, MODELS.inline]);
  const j = JSON.parse(r.stdout);
  return { ...j, ms: j.cold, rssMiB: r.rssMiB };
});
console.log(
  `estimate, 3 targets, ${est.nodes} nodes (${est.costed} costed): cold ${est.cold.toFixed(1)} ms (${est.coldCpu.toFixed(1)} ms CPU), warm ${est.warm.toFixed(1)} ms ` +
    `(roofline latency h20 / 910B / 910C: ${est.latencyMs.join(' / ')} ms, ${est.bottleneck.join(' / ')}-bound)`,
);
rmSync(scratch, { recursive: true, force: true });
