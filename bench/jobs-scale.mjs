#!/usr/bin/env node
// Does `--jobs` scale? 50 models (96-layer, hidden-32 transformers of 3,168 nodes, 2.6 MB each, made
// by bench/make-large-models.mjs) checked against three targets in one CLI run with `--jobs 1`, then
// `--jobs 2` (and more when the machine has the cores), best of N, with the speed-up side by side.
//
// When the CLI has no --jobs flag yet, the same comparison is made with 1 vs N processes that
// each check a share of the models through the library's check().
//
//   npm run build && node bench/jobs-scale.mjs [--runs N] [--max-jobs J] [--processes]
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JOB_MODELS, jobModelPaths, makeLargeModels } from './make-large-models.mjs';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'port-check.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg('--runs', 3);
const cores = availableParallelism();
const maxJobs = Math.max(2, Math.min(arg('--max-jobs', 4), cores));
const targets = 'h20,ascend-910b,ascend-910c';

for (const line of makeLargeModels({ only: ['jobs'] })) console.log(line);
const models = jobModelPaths();

const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' }).stdout ?? '';
// --processes forces the process-per-share comparison (a baseline for the CLI's worker threads).
const cliHasJobs = help.includes('--jobs') && !process.argv.includes('--processes');

function wall(command, args) {
  const t = performance.now();
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

/** The CLI over all models with --jobs n. */
const viaCli = (n) => wall(process.execPath, [cli, ...models, '--target', targets, '--format', 'json', '--jobs', String(n)]);

/** n processes at once, each checking every n-th model through the library. */
const childScript = `
const { check } = await import(${JSON.stringify(join(root, 'dist', 'src', 'index.js'))});
for (const m of JSON.parse(process.argv[1])) await check(m, { targets: ${JSON.stringify(targets.split(','))} });
`;
async function viaProcesses(n) {
  const { spawn } = await import('node:child_process');
  const t = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, k) => new Promise((resolve, reject) => {
      const share = models.filter((_, i) => i % n === k);
      const child = spawn(process.execPath, ['--input-type=module', '-e', childScript, JSON.stringify(share)], { cwd: root, stdio: 'ignore' });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker process exited ${code}`))));
    })),
  );
  return performance.now() - t;
}

async function best(fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await fn());
  return min;
}

console.log(
  `\n${JOB_MODELS} models × 3 targets, ${cliHasJobs ? 'one CLI run with --jobs N' : 'N processes over the library\'s check()'}, ` +
    `best of ${runs}; ${cores} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
);
console.log('jobs'.padEnd(6), 'wall'.padStart(10), 'per model'.padStart(11), 'speed-up'.padStart(10));
const base = await best(() => (cliHasJobs ? viaCli(1) : viaProcesses(1)));
console.log('1'.padEnd(6), `${base.toFixed(0)} ms`.padStart(10), `${(base / JOB_MODELS).toFixed(1)} ms`.padStart(11), '1.00×'.padStart(10));
for (let n = 2; n <= maxJobs; n *= 2) {
  const ms = await best(() => (cliHasJobs ? viaCli(n) : viaProcesses(n)));
  console.log(String(n).padEnd(6), `${ms.toFixed(0)} ms`.padStart(10), `${(ms / JOB_MODELS).toFixed(1)} ms`.padStart(11), `${(base / ms).toFixed(2)}×`.padStart(10));
}
