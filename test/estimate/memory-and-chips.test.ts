import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareInterconnects, estimate } from '../../src/estimate/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import type { ModelIR } from '../../src/onnx/ir.js';
import { loadModel } from '../../src/onnx/load.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { build, f32, graphOf, profile, TARGETS } from './models.js';
import { decoderGraph } from '../helpers/decoder-graph.js';
import { transformer } from './transformer.js';

const GIB = 1024 ** 3;
let dir: string;
let huge: ModelIR;
let hugeBytes: Uint8Array;

// 17 layers of hidden 16384: 12·16384² fp16 weights per layer = 6 GiB, 102 GiB in all, declared in
// one sparse external file (truncate: no disk used; the loader only stats it).
const LAYERS = 17;
const HIDDEN = 16384;
const SEQ = 128;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'port-check-estimate-'));
  const { spec, externalBytes } = transformer({ layers: LAYERS, hidden: HIDDEN, heads: 128, seq: SEQ, externalFile: 'weights.bin' });
  hugeBytes = encodeModel(spec);
  writeFileSync(join(dir, 'model.onnx'), hugeBytes);
  writeFileSync(join(dir, 'weights.bin'), '');
  truncateSync(join(dir, 'weights.bin'), externalBytes);
  huge = await loadModel(join(dir, 'model.onnx'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a model that does not fit in one 910B', () => {
  it('needs more than one 910B, and the split is timed on HCCS', () => {
    const p = profile('ascend-910b');
    const e = estimate(huge, inspectModel(huge), p, { modelBytes: hugeBytes });
    const weights = LAYERS * 12 * HIDDEN * HIDDEN * 2;
    expect(e.memory.weightsBytes).toBeGreaterThanOrEqual(weights);
    expect(e.memory.weightsBytes).toBeLessThan(weights * 1.001);
    expect(e.memory.fits).toBe(false);
    // ceil(total / (64 GiB · 0.9))
    expect(e.memory.chipsNeeded).toBe(Math.ceil(e.memory.totalBytes / (p.hardware.memoryGiB.value * GIB * 0.9)));
    expect(e.memory.chipsNeeded).toBeGreaterThan(1);

    const link = e.interconnect!;
    expect(link.link).toMatch(/HCCS/);
    expect(link.scheme).toBe('megatron-tensor-parallel');
    expect(link.layers).toBe(LAYERS);
    // one all-reduce carries the hidden states: batch 1 · 128 tokens · 16384 · 2 bytes (fp16)
    expect(link.perLayerBytes).toBe(SEQ * HIDDEN * 2);
    // 2 all-reduces per layer, ring: each chip sends 2·(n−1)/n of the tensor
    const n = link.chips;
    const seconds = (LAYERS * 2 * 2 * ((n - 1) / n) * SEQ * HIDDEN * 2) / (p.hardware.interconnect.bandwidthGBs.value * 1e9);
    expect(Math.abs(link.commMsPerInference / (seconds * 1e3) - 1)).toBeLessThan(5e-4);
    const words = e.assumptions.join('\n');
    expect(words).toMatch(/Megatron-style tensor parallelism over 2 chips/);
    expect(words).toMatch(/HCCS's 392 GB\/s per chip|HCCS's [\d.]+ GB\/s per chip/);
  });

  it('side by side: the same split on NVLink (H20) and HCCS (910B, 910C)', () => {
    const facts = inspectModel(huge);
    const cmp = compareInterconnects(huge, facts, TARGETS.map(profile), { modelBytes: hugeBytes })!;
    expect(cmp.chips).toBeGreaterThan(1);
    expect(cmp.rows.map((r) => [r.target, r.link])).toEqual([
      ['h20', expect.stringMatching(/NVLink/)],
      ['ascend-910b', expect.stringMatching(/HCCS/)],
      ['ascend-910c', expect.stringMatching(/HCCS/)],
    ]);
    const [h20, b910] = cmp.rows;
    // The same bytes on each link: the times differ by the bandwidths alone.
    expect(h20!.bytesPerChipPerInference).toBe(b910!.bytesPerChipPerInference);
    expect(b910!.commMsPerInference / h20!.commMsPerInference).toBeCloseTo(h20!.bandwidthGBs / b910!.bandwidthGBs, 2);
    // Memory alone: the 910C's 128 GiB holds it, 910B's 64 GiB does not.
    expect(cmp.rows.find((r) => r.target === 'ascend-910c')!.chipsNeeded).toBe(1);
    expect(b910!.chipsNeeded).toBeGreaterThan(1);
  });

  // That the weights are never read, so the estimate costs what the graph costs whatever their
  // size, is measured by bench/static-scale.mjs (4.2 GB external against tiny weights, side by side).
});

describe('KV cache of a decoder', () => {
  // 2 GroupQueryAttention layers, 8 query heads and 2 KV heads of 16, past K/V as graph inputs.
  const nodes = [0, 1].map((l) => ({
    opType: 'GroupQueryAttention', domain: 'com.microsoft', name: `gqa${l}`,
    inputs: [l === 0 ? 'q' : 'y0', 'k', 'v', `past.${l}.key`, `past.${l}.value`, 'seqlens', 'total'],
    outputs: [`y${l}`, `present.${l}.key`, `present.${l}.value`],
    attributes: { num_heads: { i: 8 }, kv_num_heads: { i: 2 } },
  }));
  const fp16 = (name: string, dims: (number | string)[]) => ({ name, dtype: 'FLOAT16' as const, dims });
  const spec = graphOf(
    nodes,
    [
      fp16('q', ['batch', 'seq', 128]), fp16('k', ['batch', 'seq', 32]), fp16('v', ['batch', 'seq', 32]),
      ...[0, 1].flatMap((l) => [fp16(`past.${l}.key`, ['batch', 2, 'past_seq', 16]), fp16(`past.${l}.value`, ['batch', 2, 'past_seq', 16])]),
      { name: 'seqlens', dtype: 'INT32', dims: ['batch'] }, { name: 'total', dtype: 'INT32', dims: [] },
    ],
    [fp16('y1', ['batch', 'seq', 128])],
  );

  it('is 2 · layers · batch · seq · kv heads · head size · bytes, with --batch and --seq-len', () => {
    const { model, bytes } = build(spec);
    const e = estimate(model, inspectModel(model), profile('ascend-910b'), { modelBytes: bytes, batch: 4, seqLen: 1000 });
    // 2 (K, V) · 2 layers · batch 4 · 1000 tokens · (2 · 16) · 2 bytes = 1,024,000
    expect(e.memory.kvCacheBytes).toBe(1_024_000);
    expect(e.memory.totalBytes).toBe(e.memory.weightsBytes + e.memory.activationBytes + e.memory.kvCacheBytes);
    expect(e.assumptions.join('\n')).toMatch(/KV cache: 2 \(K, V\) · 2 layers · batch 4 · seq 1000 · 32/);
  });

  it('a per-token interconnect time when split', () => {
    const { model, bytes } = build(spec);
    const e = estimate(model, inspectModel(model), profile('h20'), { modelBytes: bytes, chips: 4 });
    expect(e.memory.chipsNeeded).toBe(1);
    expect(e.interconnect?.chips).toBe(4);
    expect(e.interconnect?.commMsPerToken).toBeGreaterThan(0);
    expect(e.interconnect!.commMsPerToken!).toBeLessThan(e.interconnect!.commMsPerInference);
  });
});

describe('an unfused decoder (MatMul → Softmax → MatMul, past K/V as graph inputs)', () => {
  const spec = decoderGraph({ layers: 3, hidden: 256, heads: 8 });

  it('is found to be a transformer of 3 layers with a KV cache of 2 · 3 · batch · seq · 256 · 2 bytes', () => {
    const { model, bytes } = build(spec);
    const e = estimate(model, inspectModel(model), profile('ascend-910b'), { modelBytes: bytes, batch: 2, seqLen: 2048, chips: 2 });
    expect(e.nodesNotCosted.count).toBe(0);
    // 2 (K, V) · 3 layers · batch 2 · 2048 tokens · (8 heads · 32) · 2 bytes
    expect(e.memory.kvCacheBytes).toBe(2 * 3 * 2 * 2048 * 256 * 2);
    const link = e.interconnect!;
    expect(link.scheme).toBe('megatron-tensor-parallel');
    expect(link.layers).toBe(3);
    // the hidden states of one inference: batch 2 · 2048 tokens (sequence_length = --seq-len) · 256 · 2 bytes
    expect(link.perLayerBytes).toBe(2 * 2048 * 256 * 2);
    // one token: batch 2 · 1 token · 256 · 2 bytes per all-reduce, 2 per layer, ring over 2 chips: 2·(1/2)
    const perToken = (3 * 2 * 2 * 0.5 * 2 * 256 * 2) / (profile('ascend-910b').hardware.interconnect.bandwidthGBs.value * 1e9);
    expect(Math.abs(link.commMsPerToken! / (perToken * 1e3) - 1)).toBeLessThan(5e-4);
    expect(e.assumptions.join('\n')).toMatch(/3 layers found by 3 attention softmax\(es\) over a product of activations/);
  });
});

describe('assumptions come with every number', () => {
  const cnn = graphOf(
    [
      { opType: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['c'] },
      { opType: 'Relu', name: 'relu', inputs: ['c'], outputs: ['r'] },
      { opType: 'Custom', domain: 'acme', name: 'mystery', inputs: ['r'], outputs: ['y'] },
    ],
    [f32('x', ['N', 3, 64, 64])],
    [f32('y', undefined)],
    [{ name: 'w', dtype: 'FLOAT', dims: [16, 3, 3, 3], raw: new Uint8Array(16 * 27 * 4) }],
  );

  for (const id of TARGETS) {
    it(`${id}: roofline, precision, dims, memory and coverage are stated; an unknown op lowers the confidence`, () => {
      const { model, bytes } = build({ ...cnn, opsets: { ...cnn.opsets, acme: 1 } });
      const e = estimate(model, inspectModel(model), profile(id), { modelBytes: bytes, chips: 2 });
      const words = e.assumptions.join('\n');
      expect(e.latencyMs).toBeGreaterThan(0);
      expect(words).toMatch(/^roofline: /m);
      expect(words).toMatch(/^precision: /m);
      expect(words).toMatch(/symbolic dim 'N' = 1/);
      expect(words).toMatch(/^memory: /m);
      expect(words).toMatch(/1 of 3 nodes could not be costed/);
      expect(e.nodesNotCosted).toEqual({
        count: 1, examples: [{ name: 'mystery', opType: 'Custom', domain: 'acme', reason: 'no shape rule for acme::Custom' }],
      });
      expect(e.confidence).not.toBe('high');
      // Not a transformer: the split assumed is said.
      expect(e.interconnect?.scheme).toBe('output-channel-split');
      expect(words).toMatch(/no transformer layers found; assumed each weighted layer/);
    });
  }

  it('the estimate is plain data and the same on every call', () => {
    const { model, bytes } = build({ ...cnn, opsets: { ...cnn.opsets, acme: 1 } });
    const facts = inspectModel(model);
    const a = JSON.stringify(estimate(model, facts, profile('ascend-910c'), { modelBytes: bytes }));
    const b = JSON.stringify(estimate(build({ ...cnn, opsets: { ...cnn.opsets, acme: 1 } }).model, facts, profile('ascend-910c'), { modelBytes: bytes }));
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual(JSON.parse(b));
  });
});
