import { describe, expect, it } from 'vitest';
import { analyseModel, estimate } from '../../src/estimate/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { build, f32, graphOf, profile, zeros } from './models.js';

/** FLOPs of each costed node by name. */
function flopsOf(spec: Parameters<typeof build>[0]): Record<string, number> {
  const { model, bytes } = build(spec);
  const { costs } = analyseModel(model, { modelBytes: bytes });
  return Object.fromEntries(costs.map((c) => [c.name, c.costed ? c.flops : -1]));
}

describe('FLOPs counted by hand', () => {
  it('Conv: 2·N·Cout·Hout·Wout·(Cin/group)·kH·kW, plus one add per output for the bias', () => {
    const spec = graphOf(
      [
        { opType: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['y'], attributes: { pads: { ints: [1, 1, 1, 1] } } },
        { opType: 'Conv', name: 'conv_bias', inputs: ['x', 'w', 'b'], outputs: ['yb'], attributes: { pads: { ints: [1, 1, 1, 1] } } },
        {
          opType: 'Conv', name: 'grouped', inputs: ['g', 'wg'], outputs: ['yg'],
          attributes: { group: { i: 4 }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } },
        },
      ],
      [f32('x', [1, 3, 32, 32]), f32('g', [1, 8, 16, 16])],
      [f32('y', undefined), f32('yb', undefined), f32('yg', undefined)],
      [zeros('w', [8, 3, 3, 3]), zeros('b', [8]), zeros('wg', [8, 2, 3, 3])],
    );
    const flops = flopsOf(spec);
    // y = [1, 8, 32, 32] (3x3, pad 1, stride 1): 2 · 1 · 8 · 32 · 32 · 3 · 3 · 3 = 442,368
    expect(flops.conv).toBe(442_368);
    // + bias: 1 · 8 · 32 · 32 = 8,192
    expect(flops.conv_bias).toBe(442_368 + 8_192);
    // yg = [1, 8, 8, 8] (stride 2, pad 1: floor((16 + 2 − 3) / 2) + 1 = 8); Cin/group = 8/4 = 2:
    // 2 · 1 · 8 · 8 · 8 · 2 · 3 · 3 = 18,432
    expect(flops.grouped).toBe(18_432);
  });

  it('MatMul: 2·M·N·K·batch, with numpy batch broadcasting', () => {
    const spec = graphOf(
      [{ opType: 'MatMul', name: 'mm', inputs: ['a', 'w'], outputs: ['y'] }],
      [f32('a', [2, 4, 16, 32])],
      [f32('y', undefined)],
      [zeros('w', [32, 64])],
    );
    // [2,4,16,32] × [32,64] → [2,4,16,64]: 2 · 16 · 64 · 32 · (2 · 4) = 524,288
    expect(flopsOf(spec).mm).toBe(524_288);
  });

  it('Gemm: 2·M·N·K plus M·N for C, with transB', () => {
    const spec = graphOf(
      [{ opType: 'Gemm', name: 'gemm', inputs: ['a', 'w', 'c'], outputs: ['y'], attributes: { transB: { i: 1 } } }],
      [f32('a', [16, 32])],
      [f32('y', undefined)],
      [zeros('w', [64, 32]), zeros('c', [64])],
    );
    // A [16,32] · Bᵀ [32,64]: 2 · 16 · 64 · 32 = 65,536; + C: 16 · 64 = 1,024
    expect(flopsOf(spec).gemm).toBe(66_560);
  });

  it('com.microsoft Attention: QKV projection + QKᵀ + softmax + AV', () => {
    const spec = graphOf(
      [{
        opType: 'Attention', domain: 'com.microsoft', name: 'attn', inputs: ['x', 'w', 'b'], outputs: ['y'],
        attributes: { num_heads: { i: 4 } },
      }],
      [f32('x', [2, 8, 32])],
      [f32('y', undefined)],
      [zeros('w', [32, 96]), zeros('b', [96])],
    );
    // B = 2, S = 8, hidden 32, 4 heads of 8.
    // projection: 2 · (2·8 rows) · 32 · 96 = 98,304; bias: 16 · 96 = 1,536
    // scores: B · heads · S · S = 2 · 4 · 8 · 8 = 512
    // QKᵀ: 2 · 512 · 8 = 8,192; softmax: 5 · 512 = 2,560; AV: 2 · 512 · 8 = 8,192
    expect(flopsOf(spec).attn).toBe(98_304 + 1_536 + 8_192 + 2_560 + 8_192);
  });

  it('GroupQueryAttention: the scores cover past + new tokens, with fewer KV heads', () => {
    const spec = graphOf(
      [{
        opType: 'GroupQueryAttention', domain: 'com.microsoft', name: 'gqa',
        inputs: ['q', 'k', 'v', 'pk', 'pv', 'seqlens', 'total'], outputs: ['y', 'present_k', 'present_v'],
        attributes: { num_heads: { i: 8 }, kv_num_heads: { i: 2 } },
      }],
      [
        f32('q', [1, 4, 128]), f32('k', [1, 4, 32]), f32('v', [1, 4, 32]),
        f32('pk', [1, 2, 12, 16]), f32('pv', [1, 2, 12, 16]),
        { name: 'seqlens', dtype: 'INT32', dims: [1] }, { name: 'total', dtype: 'INT32', dims: [] },
      ],
      [f32('y', undefined)],
    );
    // 8 heads of 16, S = 4 new tokens, T = 12 past + 4 = 16: scores 1 · 8 · 4 · 16 = 512
    // QKᵀ 2 · 512 · 16 = 16,384; softmax 5 · 512 = 2,560; AV 2 · 512 · 16 = 16,384
    expect(flopsOf(spec).gqa).toBe(16_384 + 2_560 + 16_384);
  });

  it('unfused attention: MatMul(Q, Kᵀ) → Softmax → MatMul(·, V)', () => {
    const spec = graphOf(
      [
        { opType: 'Transpose', name: 'kt', inputs: ['k'], outputs: ['k_t'], attributes: { perm: { ints: [0, 1, 3, 2] } } },
        { opType: 'MatMul', name: 'qk', inputs: ['q', 'k_t'], outputs: ['scores'] },
        { opType: 'Softmax', name: 'softmax', inputs: ['scores'], outputs: ['probs'], attributes: { axis: { i: -1 } } },
        { opType: 'MatMul', name: 'av', inputs: ['probs', 'v'], outputs: ['y'] },
      ],
      [f32('q', [1, 4, 8, 16]), f32('k', [1, 4, 8, 16]), f32('v', [1, 4, 8, 16])],
      [f32('y', undefined)],
    );
    const flops = flopsOf(spec);
    // scores [1,4,8,8]: 2 · 4 · 8 · 8 · 16 = 8,192
    expect(flops.qk).toBe(8_192);
    // softmax: 5 per element of [1,4,8,8] = 1,280
    expect(flops.softmax).toBe(1_280);
    // [1,4,8,8] × [1,4,8,16]: 2 · 4 · 8 · 16 · 8 = 8,192
    expect(flops.av).toBe(8_192);
    // a transpose moves data: no FLOPs, but it is costed (bytes)
    expect(flops.kt).toBe(0);
  });
});

/** Reported figures keep 4 significant digits. */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(5e-4);
}

describe('roofline on the profile figures', () => {
  const spec = graphOf(
    [{ opType: 'MatMul', name: 'mm', inputs: ['a', 'w'], outputs: ['y'] }],
    [f32('a', [512, 1024])],
    [f32('y', undefined)],
    [zeros('w', [1024, 1024])],
  );
  const { model, bytes } = build(spec);
  const facts = inspectModel(model);
  const flops = 2 * 512 * 1024 * 1024;
  const elements = 512 * 1024 + 1024 * 1024 + 512 * 1024;

  it('H20 computes fp32 as fp32: max(FLOPs / fp32 peak, 4-byte traffic / bandwidth)', () => {
    const p = profile('h20');
    const e = estimate(model, facts, p, { modelBytes: bytes });
    const compute = flops / (p.hardware.peakTflops.fp32!.value * 1e12);
    const memory = (elements * 4) / (p.hardware.memoryBandwidthTBs.value * 1e12);
    expectNear(e.latencyMs, Math.max(compute, memory) * 1e3);
    expect(e.computePrecisions).toEqual(['fp32']);
    expect(e.flops).toBe(flops);
    expect(e.bytesMoved).toBe(elements * 4);
  });

  it('910B computes fp32 as fp16 (force_fp16): 2-byte traffic and the fp16 peak, and says so', () => {
    const p = profile('ascend-910b');
    const e = estimate(model, facts, p, { modelBytes: bytes });
    const compute = flops / (p.hardware.peakTflops.fp16!.value * 1e12);
    const memory = (elements * 2) / (p.hardware.memoryBandwidthTBs.value * 1e12);
    expectNear(e.latencyMs, Math.max(compute, memory) * 1e3);
    expect(e.computePrecisions).toEqual(['fp16']);
    expect(e.bytesMoved).toBe(elements * 2);
    expect(e.memory.weightsBytes).toBe(1024 * 1024 * 2);
    expect(e.assumptions.join('\n')).toMatch(/fp32→fp16 \(1 nodes\) under .*force_fp16/);
    expect(e.confidence).toBe('low');
    expect(e.bottleneck).toBe(compute > memory ? 'compute' : 'memory');
  });
});
