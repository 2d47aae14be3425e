import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadProfileFile } from '../../src/profiles/load.js';
import { fileIn } from '../saved-models.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { llmSpecFromConfigText, parseServe, planServing, type ServeRequest } from '../../src/serve/index.js';
import { DEEPSEEK_V3, LLAMA_3_8B } from './configs.js';

const h20 = loadBuiltinProfile('h20');
const a910b = loadBuiltinProfile('ascend-910b');
const a910c = loadBuiltinProfile('ascend-910c');
const llama = llmSpecFromConfigText(JSON.stringify(LLAMA_3_8B), 'llama.json');
const deepseek = llmSpecFromConfigText(JSON.stringify(DEEPSEEK_V3), 'deepseek.json');

function planOn(spec: typeof llama, serve: string, profile = h20, tpot?: string) {
  const plan = planServing(spec, parseServe(serve, tpot), [profile]);
  expect(plan.skipped).toEqual([]);
  return plan.targets[0]!;
}

describe('an LLM from its config.json', () => {
  it('Llama-3-8B: parameters, KV per token, attention FLOPs', () => {
    // embed + lm head 2 · 128,256 · 4,096 = 1,050,673,152
    // attention per layer q + o 2 · 4,096² + k + v 2 · 4,096 · 1,024 = 41,943,040; · 32 = 1,342,177,280
    // MLP 3 · 4,096 · 14,336 = 176,160,768; · 32 = 5,637,144,576 → total 8,029,995,008
    expect(llama.parameters.total).toBe(8_029_995_008);
    // Active: all but the input embedding (a lookup): 8,029,995,008 − 525,336,576.
    expect(llama.parameters.activePerToken).toBe(7_504_658_432);
    // K and V of 8 KV heads of 128 per layer: 32 · 2 · 8 · 128.
    expect(llama.kvElementsPerToken).toBe(65_536);
    // Scores and values: 2 FLOPs · 2 products · 128 per head, 32 heads, 32 layers.
    expect(llama.attentionFlopsPerPair).toEqual({ decode: 524_288, prefill: 524_288 });
    expect(llama.detectedBy).toContain('32 heads / 8 KV heads');
  });

  it('DeepSeek-V3: MLA, 256 experts of which 8 per token, 3 dense layers', () => {
    // embed + lm head 2 · 129,280 · 7,168 = 1,853,358,080
    // MLA per layer: q_a 7,168 · 1,536 + q_b 1,536 · 128 · 192 + kv_a 7,168 · 576 + kv_b 512 · 128 · 256 + o 128 · 128 · 7,168
    //   = 187,105,280; · 61 = 11,413,422,080
    // dense MLP 3 · 7,168 · 18,432 = 396,361,728; · 3 = 1,189,085,184
    // MoE layer: an expert 3 · 7,168 · 2,048 = 44,040,192; shared 1 + router 7,168 · 256 = 45,875,200; · 58 = 2,660,761,600
    //   routed 256 · 44,040,192 · 58 = 653,908,770,816 → total 671,025,397,760 (the 671 B DeepSeek publishes)
    expect(deepseek.parameters.total).toBe(671_025_397_760);
    expect(deepseek.parameters.routedExperts).toBe(653_908_770_816);
    // Active: lm head 926,679,040 + attention + dense + shared/routers + 8 · 44,040,192 · 58 = 36,624,596,992 (the "37 B").
    expect(deepseek.parameters.activePerToken).toBe(36_624_596_992);
    // MLA caches the 512 latent + 64 rope key per layer: 61 · 576.
    expect(deepseek.kvElementsPerToken).toBe(35_136);
    // Absorbed decode: 2 · (512 + 64 + 512) per head; prefill expanded: 2 · (192 + 128).
    expect(deepseek.attentionFlopsPerPair).toEqual({ decode: 61 * 128 * 2 * 1088, prefill: 61 * 128 * 2 * 320 });
    expect(deepseek.moe).toEqual({ experts: 256, perToken: 8, sharedExperts: 1, moeLayers: 58 });
  });
});

describe('the serving plan, by hand', () => {
  it('Llama-3-8B on one H20 in bf16: batch 32, 2,048 + 256 tokens', () => {
    const t = planOn(llama, 'batch=32,context=2048,output=256');
    // Weights 8,029,995,008 · 2 B; KV 65,536 · 2 B = 131,072 B per token, · 2,304 tokens per sequence.
    expect(t.weightsBytes).toBe(16_059_990_016);
    expect(t.kvBytesPerToken).toBe(131_072);
    expect(t.kvBytesPerSequence).toBe(301_989_888);
    // Usable 96 GiB · 0.9 = 92,771,293,593.6 B: (92,771,293,593.6 − 16,059,990,016) / 301,989,888 = 254.02.
    expect(t.memoryChips).toBe(1);
    expect(t.sequencesPerChip).toBe(254);
    expect(t.layout).toMatchObject({ chips: 1, tp: 1, pp: 1 });
    // Decode reads the weights and 32 caches of 2,048 + 128 tokens: 16,059,990,016 + 32 · 2,176 · 131,072
    // = 25,186,795,520 B at 4 TB/s = 6.2967 ms; compute 32 · 2 · 7,504,658,432 / 148 T + 32 · 524,288 · 2,176 / 148 T = 3.49 ms.
    expect(t.decode.bound).toBe('memory');
    expect(t.decode.tpotMs).toBeCloseTo(6.2967, 3);
    expect(t.decode.computeMs).toBeCloseTo(3.4920, 3);
    expect(t.decode.tokensPerSecondPerChip).toBeCloseTo(5082.0, 0);
    // Prefill of 2,048 tokens: 2,048 · 2 · 7,504,658,432 + 524,288 · 2,048² / 2 FLOPs at 148 T = 215.13 ms.
    expect(t.prefill.bound).toBe('compute');
    expect(t.prefill.ms).toBeCloseTo(215.13, 1);
    expect(t.prefill.tokensPerSecondPerChip).toBeCloseTo(9520, -1);
  });

  it('Llama-3-8B on one 910B: the same bytes at 1.6 TB/s', () => {
    const t = planOn(llama, 'batch=32,context=2048,output=256', a910b);
    // 25,186,795,520 B / 1.6 TB/s = 15.742 ms.
    expect(t.decode.tpotMs).toBeCloseTo(15.742, 2);
    expect(t.precision.weights).toBe('bf16');
  });

  it('fp8 is not served on Ascend: int8 instead, and said so', () => {
    const t = planOn(llama, 'batch=8,precision=fp8', a910c);
    expect(t.precision.weights).toBe('int8');
    expect(t.precision.note).toContain('fp8 weights are not supported on Huawei Ascend 910C');
    expect(planOn(llama, 'batch=8,precision=fp8', h20).precision.weights).toBe('fp8');
  });

  it('DeepSeek-V3 on 160 910C in int8 at 96 sequences per chip (the CloudMatrix384 decode layout)', () => {
    const t = planOn(deepseek, 'batch=15360,context=4096,output=1024,precision=int8,chips=160', a910c);
    expect(t.layout).toMatchObject({ chips: 160, ep: 160, pp: 1, scheme: 'expert-parallel' });
    // Per chip: dense part 17,116,626,944 B + routed 653,908,770,816 / 160 + KV 96 · 4,608 · 70,272 B
    // = 52,289,640,857.6 B at 3.2 TB/s = 16.34 ms; compute 96 · 73,249,193,984 / 1,504 T + 96 · 16,990,208 · 4,608 / 780 T = 14.31 ms;
    // dispatch + combine 2 · 96 · 8 · 7,168 · 2 B · 159/160 · 58 layers / 392 GB/s = 3.24 ms.
    expect(t.decode.bound).toBe('memory');
    expect(t.decode.memoryMs).toBeCloseTo(16.340, 2);
    expect(t.decode.computeMs).toBeCloseTo(14.31, 1);
    expect(t.decode.linkMs).toBeCloseTo(3.238, 2);
    expect(t.decode.tokensPerSecondPerChip).toBeCloseTo(96 / 0.016340, -1);
    expect(t.fits).toBe(true);
  });

  it('--tpot-ms: the chips that meet it, or why not', () => {
    const t = planOn(llama, 'batch=256,context=4096,output=512', a910b, '10');
    // Weights 16.06 GB + 256 caches of 4,608 tokens · 131,072 B = 154.6 GB = 170.7 GB over 61.8 GB usable (57.6 GiB): 3 chips.
    expect(t.memoryChips).toBe(3);
    expect(t.forTpot?.reachable).toBe(true);
    if (t.forTpot?.reachable) {
      expect(t.forTpot.tpotMs).toBeLessThanOrEqual(10);
      expect(t.forTpot.chips).toBeGreaterThan(t.memoryChips);
    }
    const never = planOn(llama, 'batch=256,context=4096,output=512', a910b, '0.01');
    expect(never.forTpot).toMatchObject({ reachable: false });
  });

  it('throughput=T: instances and chips for T output tokens/s', () => {
    const t = planOn(llama, 'batch=32,context=2048,output=256,throughput=100000');
    // 5,082 tokens/s per one-chip instance: ceil(100,000 / 5,082.0) = 20.
    expect(t.forThroughput).toEqual({ tokensPerSecond: 100_000, instances: 20, chips: 20 });
  });

  it('collectives per token per layer on each target\'s scale-up link', () => {
    const serve = 'batch=64,context=4096,output=512,chips=8';
    const onH20 = planOn(llama, serve, h20);
    // Two ring all-reduces of 4,096 bf16 values over 8 chips: 2 · 2 · 7/8 · 8,192 B / 450 GB/s = 63.7 ns.
    expect(onH20.collectives.perTokenPerLayerUs).toBeCloseTo(0.0637, 3);
    expect(onH20.collectives.link).toContain('NVLink');
    const on910b = planOn(llama, serve, a910b);
    expect(on910b.collectives.link).toContain('HCCS');
    expect(on910b.collectives.perTokenPerLayerUs).toBeCloseTo(0.0731, 3);
    const on910c = planOn(deepseek, 'batch=1024,context=4096,output=512,precision=int8,chips=32', a910c);
    expect(on910c.collectives.link).toContain('Unified Bus');
    expect(on910c.collectives.source).toContain('2506.12708');
    expect(on910c.collectives.kind).toBe('all-to-all dispatch + combine');
  });
});

/**
 * Monotonicity: at a fixed layout, more batch means a higher TPOT and more tokens/s per chip, up to
 * the compute roof, where tokens/s per chip stays flat (it never falls).
 */
describe('monotonicity: at a fixed layout, more batch means more tokens/s per chip and a higher TPOT', () => {
  const cases: [string, typeof llama, string, typeof h20][] = [
    ['Llama-3-8B on one 910B', llama, 'context=2048,output=256,chips=1', a910b],
    ['Llama-3-8B on 8 H20', llama, 'context=2048,output=256,chips=8', h20],
    ['DeepSeek-V3 on 160 910C', deepseek, 'context=4096,output=1024,precision=int8,chips=160', a910c],
  ];
  for (const [name, spec, serve, profile] of cases) {
    it(name, () => {
      const rows = [1, 4, 16, 64, 256, 1024, 4096].map((batch) => planOn(spec, `${serve},batch=${batch}`, profile).decode);
      expect(rows[0]!.bound).toBe('memory');
      expect(rows[rows.length - 1]!.tokensPerSecondPerChip).toBeGreaterThan(rows[0]!.tokensPerSecondPerChip * 10);
      for (let i = 1; i < rows.length; i++) {
        expect(rows[i]!.tpotMs).toBeGreaterThan(rows[i - 1]!.tpotMs);
        if (rows[i]!.bound === 'compute') expect(rows[i]!.tokensPerSecondPerChip).toBeGreaterThanOrEqual(rows[i - 1]!.tokensPerSecondPerChip * (1 - 1e-12));
        else expect(rows[i]!.tokensPerSecondPerChip).toBeGreaterThan(rows[i - 1]!.tokensPerSecondPerChip);
      }
    });
  }
});

describe('--serve is checked', () => {
  it.each([
    ['batch=0', "--serve batch takes a whole number from 1"],
    ['batch=x', "--serve batch takes a whole number"],
    ['beam=4', "unknown key 'beam'"],
    ['precision=fp4', "'fp4' is not one of bf16, fp8, int8, int4"],
    ['batch', "'batch' is not key=value"],
  ])('%s', (text, message) => {
    expect(() => parseServe(text)).toThrow(message);
  });
  it('defaults', () => {
    const r: ServeRequest = parseServe('');
    expect(r).toEqual({ batch: 1, context: 2048, output: 256, precision: 'bf16', kv: 'bf16' });
  });
});

describe('a user profile changes the figures the plan uses', () => {
  it('an H20 board on PCIe (64 GB/s, no NVLink): the same layout becomes link-bound', () => {
    const yaml = parse(readFileSync(new URL('../../profiles/h20.yaml', import.meta.url), 'utf8'));
    yaml.id = 'h20-pcie';
    yaml.name = 'NVIDIA H20 on PCIe';
    yaml.hardware.scaleUp = {
      name: 'PCIe Gen5 x16', topology: 'through the host', chips: { value: 8, confidence: 'medium', source: ['hw-h20'] },
      bandwidthGBs: { value: 64, confidence: 'medium', source: ['hw-h20'], note: 'PCIe Gen5 x16, each way' },
    };
    const pcie = loadProfileFile(fileIn('h20-pcie.yaml', stringify(yaml)));
    const serve = 'batch=256,context=1024,output=128,chips=8';
    const nvlink = planOn(llama, serve, h20);
    const slow = planOn(llama, serve, pcie);
    // All-reduce traffic per step: 32 layers · 2 · 2 · 7/8 · 256 · 4,096 · 2 B = 235 MB; at 64 GB/s 3.67 ms, at 450 GB/s 0.52 ms.
    expect(slow.decode.linkMs).toBeCloseTo(3.670, 2);
    expect(nvlink.decode.linkMs).toBeCloseTo(0.522, 2);
    expect(slow.decode.bound).toBe('link');
    expect(slow.collectives.link).toBe('PCIe Gen5 x16');
    expect(slow.collectives.perTokenPerLayerUs / nvlink.collectives.perTokenPerLayerUs).toBeCloseTo(450 / 64, 6);
  });
});
