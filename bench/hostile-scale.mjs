#!/usr/bin/env node
// Hostile scale: does the static check stay linear in the node count, and inside its absolute
// aims, on models a pull request could bring (issue #15)?
//
// - a chain of 1M Relu nodes (~35 MB): aim ≤ 5 s and ≤ 1 GiB peak RSS;
// - a chain of 2M Relu nodes: the same per node (time and RSS about twice the 1M chain's);
// - If → then_branch → If → ... nested 20,000 deep (under the nesting limit): aim ≤ 2 s, ≤ 300 MB.
//
// Each model is written here as raw protobuf bytes (into the git-ignored .cache/bench/), then the
// CLI runs on it as its own process, `port-check FILE --target h20,ascend-910b,ascend-910c --format
// json`, under /usr/bin/time for the peak RSS. Side by side: the floor, a node process that only
// reads the file, and the decoder alone (read + decodeModel from dist/), so what the later stages
// add is visible. The load average is printed: on a busy machine every figure stretches (the CPU
// time of the check, user + system, stretches less than its wall time).
//
//   npx tsc -p tsconfig.json && node dist/scripts/compile-profiles.js && node bench/hostile-scale.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..');
const cacheDir = join(root, '.cache', 'bench');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;
const targets = 'h20,ascend-910b,ascend-910c';
const timeBin = '/usr/bin/time';
if (!existsSync(timeBin)) throw new Error('needs GNU time at /usr/bin/time for the peak RSS');
if (!existsSync(join(root, 'dist', 'src', 'onnx', 'decode.js'))) throw new Error('build first: npx tsc -p tsconfig.json');

// ---- raw protobuf, just what these models need -------------------------------------------------

/** Appends bytes to a growing buffer without a copy per field (a 70 MB model is built in one pass). */
class Bytes {
  buf = new Uint8Array(1 << 16);
  len = 0;
  reserve(n) {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  varint(n) {
    this.reserve(10);
    while (n > 0x7f) {
      this.buf[this.len++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.len++] = n;
    return this;
  }
  bytes(b) {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  /** A length-delimited field: tag, length, payload (a Uint8Array or an ASCII string). */
  field(fieldNo, payload) {
    const b = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
    return this.varint((fieldNo << 3) | 2).varint(b.length).bytes(b);
  }
  varintField(fieldNo, value) {
    return this.varint(fieldNo << 3).varint(value);
  }
  done() {
    return this.buf.subarray(0, this.len);
  }
}

const message = (build) => {
  const b = new Bytes();
  build(b);
  return b.done();
};

/** ValueInfoProto: a float tensor of shape [4]. */
const valueInfo = (name) =>
  message((b) => b.field(1, name).field(2, message((t) => t.field(1, message((tt) => tt.varintField(1, 1).field(2, message((s) => s.field(1, message((d) => d.varintField(1, 4))))))))));

/** ModelProto: IR 10, default opset 17, around a GraphProto's bytes. */
const modelAround = (graph) =>
  message((b) => b.varintField(1, 10).field(7, graph).field(8, message((o) => o.field(1, '').varintField(2, 17))));

/** x → Relu → t0 → Relu → ... → y, `count` nodes. */
function reluChain(count) {
  const graph = new Bytes();
  const node = new Bytes();
  for (let i = 0; i < count; i++) {
    node.len = 0;
    node.field(1, i === 0 ? 'x' : `t${i - 1}`).field(2, i === count - 1 ? 'y' : `t${i}`).field(4, 'Relu');
    graph.field(1, node.done());
  }
  graph.field(11, valueInfo('x')).field(12, valueInfo('y'));
  return modelAround(graph.done());
}

/**
 * If → then_branch → If → ... `levels` deep, a Relu reading the main graph's x at the bottom.
 * Built inside-out: each level wraps the bytes of the one below (O(levels × depth-of-prefix) copies
 * would be quadratic, so the prefixes are computed from lengths first and written outside-in).
 */
function deepIf(levels) {
  const innermost = message((g) => g.field(1, message((n) => n.field(1, 'x').field(2, 'r').field(4, 'Relu'))));
  const prefixes = [];
  let length = innermost.length;
  for (let k = 0; k < levels; k++) {
    // GraphProto { node: NodeProto { op_type: If, attribute: { name, type GRAPH, g: <inner> } } }
    const attrHead = message((a) => a.field(1, 'then_branch').varintField(20, 5).varint((6 << 3) | 2).varint(length));
    const attrLength = attrHead.length + length;
    const nodeHead = message((n) => n.field(4, 'If').varint((5 << 3) | 2).varint(attrLength));
    const nodeLength = nodeHead.length + attrLength;
    const prefix = message((g) => g.varint((1 << 3) | 2).varint(nodeLength).bytes(nodeHead).bytes(attrHead));
    prefixes.push(prefix);
    length += prefix.length;
  }
  const graph = new Bytes();
  for (let k = prefixes.length - 1; k >= 0; k--) graph.bytes(prefixes[k]);
  graph.bytes(innermost);
  graph.field(11, message((v) => v.field(1, 'x').field(2, message((t) => t.field(1, message((tt) => tt.varintField(1, 1)))))));
  return modelAround(graph.done());
}

// ---- measuring ---------------------------------------------------------------------------------

const MODELS = [
  { name: '1M Relu chain', file: 'relu-chain-1m.onnx', build: () => reluChain(1_000_000), aim: { s: 5, mib: 1024 } },
  { name: '2M Relu chain', file: 'relu-chain-2m.onnx', build: () => reluChain(2_000_000) },
  { name: 'If nested 20k deep', file: 'if-nested-20k.onnx', build: () => deepIf(20_000), aim: { s: 2, mib: 300 } },
];

mkdirSync(cacheDir, { recursive: true });
for (const m of MODELS) {
  m.path = join(cacheDir, m.file);
  if (!existsSync(m.path)) writeFileSync(m.path, m.build());
}

/** `node args...` in a child under /usr/bin/time: wall ms, peak RSS MiB, exit code, stderr. */
function timedNode(args) {
  const rssFile = join(cacheDir, 'rss.txt');
  const t = performance.now();
  const r = spawnSync(timeBin, ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...args], {
    cwd: root, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  const [rssKiB, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { ms, cpuMs: (user + sys) * 1000, rssMiB: rssKiB / 1024, status: r.status, stderr: r.stderr, outBytes: Buffer.byteLength(r.stdout ?? '') };
}

function best(args) {
  let out;
  for (let i = 0; i < runs; i++) {
    const r = timedNode(args);
    if (r.status !== 0 && r.status !== 1) return r; // an error or a crash: shown as such, not retried
    if (!out || r.ms < out.ms) out = { ...r, rssMiB: Math.max(r.rssMiB, out?.rssMiB ?? 0) };
    else out.rssMiB = Math.max(out.rssMiB, r.rssMiB);
  }
  return out;
}

const readFloor = `require('node:fs').readFileSync(process.argv[1]);`;
const decodeFloor = `
const { readFileSync } = await import('node:fs');
const { decodeModel } = await import(${JSON.stringify(join(root, 'dist', 'src', 'onnx', 'decode.js'))});
decodeModel(readFileSync(process.argv[1]), { path: process.argv[1] });
`;

const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const fmtMiB = (mib) => `${mib.toFixed(0)} MiB`;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`hostile scale: whole processes, best of ${runs}, peak RSS from ${timeBin}; ${availableParallelism()} cores, node ${process.version}`);
console.log(`load average before: ${load()}`);
console.log(
  'model'.padEnd(20), 'file'.padStart(9), 'read'.padStart(9), 'read RSS'.padStart(9), 'decode'.padStart(9), 'dec RSS'.padStart(9),
  'check'.padStart(9), 'chk CPU'.padStart(9), 'chk RSS'.padStart(9), 'report'.padStart(9), '  aim',
);
const results = {};
for (const m of MODELS) {
  const read = best(['-e', readFloor, m.path]);
  const decode = best(['--input-type=module', '-e', decodeFloor, m.path]);
  const check = best([join(root, 'bin', 'port-check.js'), m.path, '--target', targets, '--format', 'json']);
  results[m.name] = check;
  const failed = check.status !== 0 && check.status !== 1;
  const aim = m.aim
    ? `≤ ${m.aim.s} s, ≤ ${m.aim.mib} MiB: ${!failed && check.ms <= m.aim.s * 1000 && check.rssMiB <= m.aim.mib ? 'met' : 'MISSED'}`
    : '';
  console.log(
    m.name.padEnd(20), fmtMiB(statSync(m.path).size / 2 ** 20).padStart(9),
    fmtMs(read.ms).padStart(9), fmtMiB(read.rssMiB).padStart(9),
    (decode.status === 0 ? fmtMs(decode.ms) : `exit ${decode.status}`).padStart(9), fmtMiB(decode.rssMiB).padStart(9),
    (failed ? `exit ${check.status}` : fmtMs(check.ms)).padStart(9), fmtMs(check.cpuMs).padStart(9), fmtMiB(check.rssMiB).padStart(9),
    `${(check.outBytes / 1024).toFixed(0)} KiB`.padStart(9), ` ${aim}`,
  );
  if (failed) console.log(`  ${check.stderr.trim().split('\n').slice(0, 3).join('\n  ')}`);
}
const one = results['1M Relu chain'];
const two = results['2M Relu chain'];
console.log(`\nlinearity: 2M chain / 1M chain = ${(two.ms / one.ms).toFixed(2)}× the time, ${(two.rssMiB / one.rssMiB).toFixed(2)}× the peak RSS (2.00× is linear)`);
console.log(`load average after: ${load()}`);
