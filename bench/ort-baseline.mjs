#!/usr/bin/env node
// The floor for `port-check --run`: a bare onnxruntime-node script that creates one session and
// runs the warm-up and the timed iterations, nothing else. bench/run-vs-ort.mjs starts it in a
// process of its own with the same model, session options, inputs and iterations as port-check's,
// and reads the one JSON line it prints.
//
//   node bench/ort-baseline.mjs '<json: {model, sessionOptions, inputs, iterations, warmup}>'
//
// inputs: [{ name, type (onnxruntime-node type), dims, fill }], where fill is
// { uniform: true } (floats in [0, 1)), { below: N } (integers in [0, N)) or { value: V }.
import { performance } from 'node:perf_hooks';

const started = performance.now();
const spec = JSON.parse(process.argv[2]);
const ort = (await import('onnxruntime-node')).default;

// A small LCG: the values only need to be the same kind as port-check's, not the same numbers.
let state = 12345;
const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);

function tensor({ type, dims, fill }) {
  const count = dims.reduce((a, b) => a * b, 1);
  const value = (i) => ('value' in fill ? fill.value : 'below' in fill ? Math.floor(next() * fill.below) : next());
  let data;
  switch (type) {
    case 'float32': data = Float32Array.from({ length: count }, value); break;
    case 'float64': data = Float64Array.from({ length: count }, value); break;
    case 'int64': data = BigInt64Array.from({ length: count }, (_, i) => BigInt(Math.trunc(value(i)))); break;
    case 'int32': data = Int32Array.from({ length: count }, value); break;
    case 'uint8': case 'bool': data = Uint8Array.from({ length: count }, value); break;
    case 'int8': data = Int8Array.from({ length: count }, value); break;
    default: throw new Error(`the baseline does not synthesise ${type} inputs`);
  }
  return new ort.Tensor(type, data, dims);
}

const feeds = Object.fromEntries(spec.inputs.map((i) => [i.name, tensor(i)]));
const t0 = performance.now();
const session = await ort.InferenceSession.create(spec.model, spec.sessionOptions);
const sessionMs = performance.now() - t0;
for (let i = 0; i < spec.warmup; i++) await session.run(feeds);
const samples = [];
for (let i = 0; i < spec.iterations; i++) {
  const start = performance.now();
  await session.run(feeds);
  samples.push(performance.now() - start);
}
await session.release();
samples.sort((a, b) => a - b);
console.log(JSON.stringify({
  sessionMs,
  p50: samples[Math.ceil(samples.length / 2) - 1],
  mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  inProcessMs: performance.now() - started,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
}));
