#!/usr/bin/env node
// Does inspect (src/inspect: the facts every check reads) cost little beside decoding, and stay
// linear in the node count? Side by side, in one process, interleaved:
//
// - the baseline: decodeModel on the bytes of a chain of N alternating Sigmoid / Relu nodes
//   (what any reader of the model must pay);
// - inspectModel on the decoded model;
// at N = 50,000 and 200,000, best of R rounds each. Printed: each time, inspect / decode (the aim:
// well below 1×, inspect is one walk over what decode built) and inspect's time per node at 200k
// over its time per node at 50k (the aim: about 1×, linear). The load average is printed with the
// table: on a busy machine every figure stretches, the ratios much less.
//
//   npm run build && node bench/inspect-scale.mjs [--rounds R]
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dist = join(import.meta.dirname, '..', 'dist', 'src');
const { encodeModel } = await import(join(dist, 'onnx', 'writer.js'));
const { decodeModel } = await import(join(dist, 'onnx', 'decode.js'));
const { inspectModel } = await import(join(dist, 'inspect', 'inspect.js'));

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 7;
const SIZES = [50_000, 200_000];

function chain(n) {
  const nodes = Array.from({ length: n }, (_, i) => ({
    opType: i % 2 ? 'Relu' : 'Sigmoid', inputs: [i === 0 ? 'x' : `t${i - 1}`], outputs: [i === n - 1 ? 'y' : `t${i}`],
  }));
  const io = (name) => ({ name, dtype: 'FLOAT', dims: [1, 4] });
  return encodeModel({ opsets: { 'ai.onnx': 17 }, graph: { nodes, inputs: [io('x')], outputs: [io('y')] } });
}

const timed = (fn) => {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
};

const results = new Map();
for (const n of SIZES) {
  const bytes = chain(n);
  let decodeMs = Infinity;
  let inspectMs = Infinity;
  // Interleaved: a slow moment of the machine falls on both columns alike. The first round warms up.
  for (let r = 0; r <= rounds; r++) {
    const decoded = timed(() => decodeModel(bytes, { path: `chain-${n}.onnx` }));
    const inspected = timed(() => inspectModel(decoded.value));
    if (inspected.value.nodeCount !== n) throw new Error(`inspect counted ${inspected.value.nodeCount} of ${n} nodes`);
    if (r === 0) continue;
    decodeMs = Math.min(decodeMs, decoded.ms);
    inspectMs = Math.min(inspectMs, inspected.ms);
  }
  results.set(n, { bytes: bytes.length, decodeMs, inspectMs });
}

console.log(`inspect vs decode, one process, interleaved, best of ${rounds}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
console.log('nodes'.padStart(8), 'file'.padStart(9), 'decode'.padStart(10), 'inspect'.padStart(10), 'inspect/decode'.padStart(15));
for (const [n, r] of results) {
  console.log(
    String(n).padStart(8), `${(r.bytes / 2 ** 20).toFixed(1)} MiB`.padStart(9), `${r.decodeMs.toFixed(1)} ms`.padStart(10),
    `${r.inspectMs.toFixed(1)} ms`.padStart(10), `${(r.inspectMs / r.decodeMs).toFixed(2)}×`.padStart(15),
  );
}
const [small, large] = SIZES.map((n) => results.get(n));
const perNode = (r, n) => r.inspectMs / n;
console.log(`inspect per node, ${SIZES[1]} vs ${SIZES[0]} nodes: ${(perNode(large, SIZES[1]) / perNode(small, SIZES[0])).toFixed(2)}× (1× is linear)`);
