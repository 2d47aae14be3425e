#!/usr/bin/env node
// Generates the large models the scale benches use, into the git-ignored .cache/bench/:
//
//   transformer-24l-tiny.onnx            24 layers, hidden 64: the graph with tiny weights (~2.4 MB)
//   transformer-24l-inline.onnx          24 layers, hidden 1024, fp16 random weights inline (~600 MB)
//   transformer-24l-external/            the same graph, its weights in weights.bin (external data)
//   transformer-24l-4gb/                 24 layers, hidden 2688: 4.2 GB of fp16 weights declared in a
//                                        sparse weights.bin (truncate: no disk used, nothing to read)
//   jobs/model-00.onnx .. model-49.onnx  50 deep, narrow models (96 layers, hidden 32, 3,168 nodes,
//                                        2.6 MB) for bench/jobs-scale.mjs: enough work per model that
//                                        starting a worker does not hide the parallel speed-up
//
// The transformer is what a PyTorch export of a BERT-like encoder looks like: standard ONNX ops only
// (LayerNormalization, MatMul + Add, Reshape/Transpose into heads, Softmax attention, Erf GELU),
// batch and sequence symbolic. Files already there are kept (pass --force to rebuild them).
//
//   npm run build && node bench/make-large-models.mjs [--force] [--only tiny,inline,external,4gb,jobs]
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const { encodeModel } = await import('../dist/src/onnx/writer.js');

export const BENCH_DIR = join(import.meta.dirname, '..', '.cache', 'bench');
export const MODELS = {
  tiny: join(BENCH_DIR, 'transformer-24l-tiny.onnx'),
  inline: join(BENCH_DIR, 'transformer-24l-inline.onnx'),
  external: join(BENCH_DIR, 'transformer-24l-external', 'model.onnx'),
  fourGb: join(BENCH_DIR, 'transformer-24l-4gb', 'model.onnx'),
  jobsDir: join(BENCH_DIR, 'jobs'),
};
export const JOB_MODELS = 50;

/** Random fp16 weights: random mantissa and sign, exponent fixed near 2^-7, so no NaN or Inf. */
function randomFp16(count, seed) {
  const words = new Uint16Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = (s & 0x83ff) | 0x2000;
  }
  return new Uint8Array(words.buffer);
}

const int64s = (name, values) => {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dtype: 'INT64', dims: [values.length], raw };
};
const fp16Scalar = (name, bits) => ({ name, dtype: 'FLOAT16', dims: [], raw: new Uint8Array([bits & 0xff, bits >> 8]) });

/**
 * The graph of a `layers`-layer encoder. `weight(name, dims)` returns the TensorSpec of a weight
 * (inline random bytes, or an external reference), so the same graph serves every variant.
 */
export function transformerSpec({ layers, hidden, heads }, weight) {
  const hd = hidden / heads;
  const nodes = [];
  const initializers = [
    int64s('shape.heads', [0, 0, heads, hd]),
    int64s('shape.merge', [0, 0, hidden]),
    fp16Scalar('const.scale', fp16Bits(1 / Math.sqrt(hd))),
    fp16Scalar('const.sqrt2', 0x3da8), // 1.4141
    fp16Scalar('const.one', 0x3c00),
    fp16Scalar('const.half', 0x3800),
  ];
  const n = (opType, name, inputs, outputs, attributes) => nodes.push({ opType, name, inputs, outputs, ...(attributes ? { attributes } : {}) });
  let x = 'input';
  for (let l = 0; l < layers; l++) {
    const p = `layer${l}`;
    const w = (suffix, dims) => {
      initializers.push(weight(`${p}.${suffix}`, dims));
      return `${p}.${suffix}`;
    };
    n('LayerNormalization', `${p}/ln1`, [x, w('ln1.weight', [hidden]), w('ln1.bias', [hidden])], [`${p}/ln1_out`], { axis: { i: -1 } });
    const heads4 = (which, perm) => {
      n('MatMul', `${p}/${which}/MatMul`, [`${p}/ln1_out`, w(`${which}.weight`, [hidden, hidden])], [`${p}/${which}_mm`]);
      n('Add', `${p}/${which}/Add`, [`${p}/${which}_mm`, w(`${which}.bias`, [hidden])], [`${p}/${which}_b`]);
      n('Reshape', `${p}/${which}/Reshape`, [`${p}/${which}_b`, 'shape.heads'], [`${p}/${which}_r`]);
      n('Transpose', `${p}/${which}/Transpose`, [`${p}/${which}_r`], [`${p}/${which}_t`], { perm: { ints: perm } });
      return `${p}/${which}_t`;
    };
    const q = heads4('q', [0, 2, 1, 3]);
    const k = heads4('k', [0, 2, 3, 1]);
    const v = heads4('v', [0, 2, 1, 3]);
    n('MatMul', `${p}/attn/qk`, [q, k], [`${p}/scores`]);
    n('Mul', `${p}/attn/scale`, [`${p}/scores`, 'const.scale'], [`${p}/scaled`]);
    n('Softmax', `${p}/attn/Softmax`, [`${p}/scaled`], [`${p}/probs`], { axis: { i: -1 } });
    n('MatMul', `${p}/attn/av`, [`${p}/probs`, v], [`${p}/ctx`]);
    n('Transpose', `${p}/attn/Transpose`, [`${p}/ctx`], [`${p}/ctx_t`], { perm: { ints: [0, 2, 1, 3] } });
    n('Reshape', `${p}/attn/Reshape`, [`${p}/ctx_t`, 'shape.merge'], [`${p}/ctx_m`]);
    n('MatMul', `${p}/o/MatMul`, [`${p}/ctx_m`, w('o.weight', [hidden, hidden])], [`${p}/o_mm`]);
    n('Add', `${p}/o/Add`, [`${p}/o_mm`, w('o.bias', [hidden])], [`${p}/o_b`]);
    n('Add', `${p}/residual1`, [x, `${p}/o_b`], [`${p}/h1`]);
    n('LayerNormalization', `${p}/ln2`, [`${p}/h1`, w('ln2.weight', [hidden]), w('ln2.bias', [hidden])], [`${p}/ln2_out`], { axis: { i: -1 } });
    n('MatMul', `${p}/fc1/MatMul`, [`${p}/ln2_out`, w('fc1.weight', [hidden, 4 * hidden])], [`${p}/fc1_mm`]);
    n('Add', `${p}/fc1/Add`, [`${p}/fc1_mm`, w('fc1.bias', [4 * hidden])], [`${p}/fc1_b`]);
    n('Div', `${p}/gelu/Div`, [`${p}/fc1_b`, 'const.sqrt2'], [`${p}/gelu_d`]);
    n('Erf', `${p}/gelu/Erf`, [`${p}/gelu_d`], [`${p}/gelu_e`]);
    n('Add', `${p}/gelu/Add`, [`${p}/gelu_e`, 'const.one'], [`${p}/gelu_a`]);
    n('Mul', `${p}/gelu/Mul`, [`${p}/fc1_b`, `${p}/gelu_a`], [`${p}/gelu_m`]);
    n('Mul', `${p}/gelu/Mul_1`, [`${p}/gelu_m`, 'const.half'], [`${p}/gelu_out`]);
    n('MatMul', `${p}/fc2/MatMul`, [`${p}/gelu_out`, w('fc2.weight', [4 * hidden, hidden])], [`${p}/fc2_mm`]);
    n('Add', `${p}/fc2/Add`, [`${p}/fc2_mm`, w('fc2.bias', [hidden])], [`${p}/fc2_b`]);
    n('Add', `${p}/residual2`, [`${p}/h1`, `${p}/fc2_b`], [`${p}/out`]);
    x = `${p}/out`;
  }
  return {
    opsets: { 'ai.onnx': 17 },
    producerName: 'port-check bench',
    graph: {
      name: `transformer-${layers}l-h${hidden}`,
      nodes,
      inputs: [{ name: 'input', dtype: 'FLOAT16', dims: ['batch', 'sequence', hidden] }],
      outputs: [{ name: x, dtype: 'FLOAT16', dims: ['batch', 'sequence', hidden] }],
      initializers,
    },
  };
}

/** fp16 bits of a normal number (truncating): enough for the few constants above. */
function fp16Bits(x) {
  const f = new Float32Array([x]);
  const b = new Uint32Array(f.buffer)[0];
  const e = ((b >>> 23) & 0xff) - 127 + 15;
  return ((b >>> 16) & 0x8000) | (e << 10) | ((b >>> 13) & 0x3ff);
}

const bytesOf = (dims) => dims.reduce((a, b) => a * b, 1) * 2;

/** Inline random weights. */
function inlineWeights(seed) {
  let k = 0;
  return (name, dims) => ({ name, dtype: 'FLOAT16', dims, raw: randomFp16(dims.reduce((a, b) => a * b, 1), seed + k++) });
}

/** Weights appended to an open file (real random bytes), referenced by offset and length. */
function externalWeights(fd, location, seed) {
  let offset = 0;
  let k = 0;
  return (name, dims) => {
    const raw = randomFp16(dims.reduce((a, b) => a * b, 1), seed + k++);
    writeSync(fd, raw);
    const spec = { name, dtype: 'FLOAT16', dims, external: { location, offset, length: raw.length } };
    offset += raw.length;
    return spec;
  };
}

/** Weights declared in a sparse file: offsets only; the caller truncates the file to the total. */
function sparseWeights(location) {
  const state = { offset: 0 };
  const fn = (name, dims) => {
    const length = bytesOf(dims);
    const spec = { name, dtype: 'FLOAT16', dims, external: { location, offset: state.offset, length } };
    state.offset += length;
    return spec;
  };
  fn.total = () => state.offset;
  return fn;
}

function sizeOf(path) {
  return existsSync(path) ? statSync(path).size : 0;
}

function mb(bytes) {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export function makeLargeModels({ force = false, only } = {}) {
  const want = (k) => !only || only.includes(k);
  mkdirSync(BENCH_DIR, { recursive: true });
  const made = [];
  const step = (key, path, build) => {
    if (!want(key)) return;
    if (!force && existsSync(path)) {
      made.push(`${key}: kept ${path}`);
      return;
    }
    const t = performance.now();
    build();
    made.push(`${key}: wrote ${path} (${mb(sizeOf(path))}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };

  step('tiny', MODELS.tiny, () => {
    writeFileSync(MODELS.tiny, encodeModel(transformerSpec({ layers: 24, hidden: 64, heads: 4 }, inlineWeights(1))));
  });
  step('inline', MODELS.inline, () => {
    writeFileSync(MODELS.inline, encodeModel(transformerSpec({ layers: 24, hidden: 1024, heads: 16 }, inlineWeights(1))));
  });
  step('external', MODELS.external, () => {
    const dir = join(BENCH_DIR, 'transformer-24l-external');
    mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, 'weights.bin'), 'w');
    try {
      const spec = transformerSpec({ layers: 24, hidden: 1024, heads: 16 }, externalWeights(fd, 'weights.bin', 1));
      writeFileSync(MODELS.external, encodeModel(spec));
    } finally {
      closeSync(fd);
    }
  });
  step('4gb', MODELS.fourGb, () => {
    const dir = join(BENCH_DIR, 'transformer-24l-4gb');
    mkdirSync(dir, { recursive: true });
    const weights = sparseWeights('weights.bin');
    const spec = transformerSpec({ layers: 24, hidden: 2688, heads: 21 }, weights);
    const fd = openSync(join(dir, 'weights.bin'), 'w');
    try {
      ftruncateSync(fd, weights.total()); // sparse: the blocks are never written
    } finally {
      closeSync(fd);
    }
    writeFileSync(MODELS.fourGb, encodeModel(spec));
  });
  step('jobs', join(MODELS.jobsDir, `model-${String(JOB_MODELS - 1).padStart(2, '0')}.onnx`), () => {
    mkdirSync(MODELS.jobsDir, { recursive: true });
    for (let i = 0; i < JOB_MODELS; i++) {
      const spec = transformerSpec({ layers: 96, hidden: 32, heads: 2 }, inlineWeights(100 + i * 1000));
      writeFileSync(join(MODELS.jobsDir, `model-${String(i).padStart(2, '0')}.onnx`), encodeModel(spec));
    }
  });
  return made;
}

export function jobModelPaths() {
  return Array.from({ length: JOB_MODELS }, (_, i) => join(MODELS.jobsDir, `model-${String(i).padStart(2, '0')}.onnx`));
}

/** Declared weight bytes of the 4 GB variant (for the peak-memory comparison). */
export function fourGbWeightBytes() {
  return sizeOf(join(BENCH_DIR, 'transformer-24l-4gb', 'weights.bin'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const onlyArg = args.find((a) => a.startsWith('--only'));
  const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',') : undefined;
  for (const line of makeLargeModels({ force: args.includes('--force'), only })) console.log(line);
}
