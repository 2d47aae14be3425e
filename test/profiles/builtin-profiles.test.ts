import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinProfileIds, loadBuiltinProfile } from '../../src/profiles/load.js';
import type { OpSupport, Profile } from '../../src/profiles/schema.js';

/**
 * The built-in profiles against the knowledge files they were generated from. The expected values
 * were read off the knowledge files by hand (line quoted beside each), not computed by the
 * generator's own code.
 */

const root = join(import.meta.dirname, '..', '..');
const knowledge = (file: string): string[] =>
  readFileSync(join(root, 'knowledge', file), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

const entries = (p: Profile, op: string, domain = 'ai.onnx'): OpSupport[] =>
  p.ops.entries.filter((e) => e.op === op && e.domain === domain);
const only = (p: Profile, op: string, domain = 'ai.onnx'): OpSupport => {
  const found = entries(p, op, domain);
  expect(found, `${p.id}: one entry for ${domain}::${op}`).toHaveLength(1);
  return found[0]!;
};

describe('built-in profiles', () => {
  it('lists h20, ascend-910b and ascend-910c, the source platform first', () => {
    expect(builtinProfileIds()).toEqual(['h20', 'ascend-910b', 'ascend-910c']);
  });

  it.each(['h20', 'ascend-910b', 'ascend-910c'])('%s validates and every source key and file resolves', (id) => {
    const p = loadBuiltinProfile(id);
    expect(p.id).toBe(id);
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'source' && Array.isArray(x)) refs.push(...x);
          else if (k !== 'sources') walk(x);
        }
      }
    };
    walk(p);
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of refs) expect(p.sources, ref).toHaveProperty([ref]);
    for (const [key, s] of Object.entries(p.sources)) {
      if (s.file) expect(existsSync(join(root, s.file)), `${key}: ${s.file}`).toBe(true);
      expect(s.file ?? s.upstream, key).toBeTruthy();
    }
  });
});

describe('ascend-910b', () => {
  const p = loadBuiltinProfile('ascend-910b');

  it('parses Conv at opsets 8-18 into a subgraph (atc: "ai.onnx Conv 8-18 PartitionedCall")', () => {
    expect(only(p, 'Conv')).toMatchObject({ level: 'supported', since: 8, until: 18, engine: 'decomposed', mapsTo: 'PartitionedCall' });
    expect(only(p, 'Conv').source).toContain('atc-parsers');
  });

  it('parses LSTM as CommonLSTM and If as If', () => {
    expect(only(p, 'LSTM')).toMatchObject({ level: 'supported', since: 8, until: 18, mapsTo: 'CommonLSTM' });
    expect(only(p, 'If')).toMatchObject({ level: 'supported', since: 8, until: 18, mapsTo: 'If' });
  });

  it('keeps gaps in an opset list as separate ranges (GreaterOrEqual "8,12-18")', () => {
    expect(entries(p, 'GreaterOrEqual').map((e) => [e.since, e.until])).toEqual([[8, 8], [12, 18]]);
  });

  it('runs Acos on AI Core with the dtypes of its ascend910b definition (BF16,FLOAT,FLOAT16)', () => {
    expect(only(p, 'Acos')).toMatchObject({ engine: 'aicore', dtypes: ['fp32', 'fp16', 'bf16'] });
  });

  it('marks an op with only an AI CPU kernel as degraded and slow (Bucketize)', () => {
    expect(only(p, 'Bucketize')).toMatchObject({ level: 'degraded', engine: 'aicpu' });
    expect(p.slowOps.map((s) => s.op)).toContain('Bucketize');
  });

  it('takes the engine from the parser plugin\'s ImplyType where no AI Core def is open-sourced for the SoC (Add: def only for ascend950)', () => {
    expect(only(p, 'Add')).toMatchObject({ level: 'supported', engine: 'aicore' });
    expect(only(p, 'Add').dtypes).toBeUndefined();
    expect(only(p, 'Add').source).toContain('cann-imply-types');
  });

  it('places the ops CANN\'s plugins declare ImplyType::AI_CPU on AI CPU, degraded, with the reason', () => {
    for (const op of ['SequenceAt', 'SequenceConstruct', 'SequenceEmpty', 'SequenceErase', 'SequenceInsert', 'SequenceLength', 'Bucketize']) {
      const e = only(p, op);
      expect(e, op).toMatchObject({ level: 'degraded', engine: 'aicpu' });
      expect(e.note, op).toMatch(/ImplyType::AI_CPU/);
      expect(e.source, op).toContain('cann-imply-types');
    }
  });

  it('says GE handles shape ops itself (ImplyType::GELOCAL) and the ops built into its parser', () => {
    for (const op of ['Reshape', 'Shape', 'Constant']) expect(only(p, op).engine, op).toBe('ge');
  });

  it('names the source commits its evidence reflects', () => {
    const commits = p.evidence.map((e) => e.commit).filter(Boolean);
    expect(commits).toHaveLength(3);
    for (const c of commits) expect(c).toMatch(/^[0-9a-f]{40}$/);
    expect(p.evidence.map((e) => e.component).join(' ')).toMatch(/hicann\/ops-nn.*hicann\/ops-math.*hicann\/ops-cv/);
  });

  it('says the integer/QDQ ops are unsupported and points to AMCT', () => {
    for (const op of ['ConvInteger', 'DynamicQuantizeLinear', 'QuantizeLinear', 'DequantizeLinear', 'MatMulInteger']) {
      const e = only(p, op);
      expect(e.level, op).toBe('unsupported');
      expect(e.remedy, op).toMatch(/AMCT/);
      expect(e.source).toContain('atc-missing');
    }
  });

  it('says Loop and Scan are unsupported and must be unrolled or moved out', () => {
    for (const op of ['Loop', 'Scan']) expect(only(p, op)).toMatchObject({ level: 'unsupported', remedy: expect.stringMatching(/unroll/) });
    expect(only(p, 'Gelu').remedy).toMatch(/opset 18 or lower/);
  });

  it('covers every op of the parser registrations and of the missing list', () => {
    for (const line of knowledge('atc_onnx_parser_registrations.tsv')) {
      const [domain, op] = line.split('\t');
      expect(entries(p, op!, domain).length, `${domain}::${op}`).toBeGreaterThan(0);
    }
    for (const op of knowledge('atc_missing_standard_onnx_ops.txt')) {
      expect(['unsupported', 'unknown'], op).toContain(only(p, op).level);
    }
  });

  it('lets the parser list decide and records the dissent (TfIdfVectorizer: no parser, yet in msit\'s map and the CANN EP graph list)', () => {
    const e = only(p, 'TfIdfVectorizer');
    expect(e.level).toBe('unsupported');
    expect(e.note).toMatch(/No parser is registered.*msit's older map lists it/);
    expect(e.source).toEqual(['atc-missing', 'msit-onnx-map', 'ort-cann-graph']);
  });

  it('knows Constant from the GE parser itself', () => {
    expect(only(p, 'Constant')).toMatchObject({ level: 'supported', source: ['ge-onnx-parser'] });
  });

  it('has an exact opset window of 8-18 and the re-export remedy', () => {
    expect(p.opsets.matching).toBe('exact');
    expect(p.opsets.window['ai.onnx']).toEqual({ min: 8, max: 18 });
    expect(p.opsets.remedy).toMatch(/opset_version=18/);
    // ATC parses only what a plugin registers: an ai.onnx op without one is E16002.
    expect(p.ops.unlisted.level).toBe('unsupported');
    expect(p.ops.unlisted.note).toMatch(/No parser is registered/);
  });

  it('computes in fp16 by default and has no fp8, fp4 or fp64', () => {
    expect(p.precision.policy).toMatchObject({ name: 'force_fp16', compute: 'fp16', converts: ['fp32', 'bf16'] });
    const s = p.precision.support;
    expect(s.fp16?.level).toBe('supported');
    expect(s.bf16?.level).toBe('supported');
    expect(s.fp32?.level).toBe('degraded');
    expect(s.fp32?.remedy).toMatch(/must_keep_origin_dtype/);
    expect(s.fp8?.level).toBe('unsupported');
    expect(s.fp4?.level).toBe('unsupported');
    expect(s.fp64?.level).toBe('unsupported');
    expect(s.int8?.level).toBe('degraded');
    expect(s.int64?.level).toBe('degraded');
  });

  it('takes its low-confidence hardware figures from hw_profiles.json', () => {
    expect(p.hardware.memoryGiB).toMatchObject({ value: 64, confidence: 'low' });
    expect(p.hardware.peakTflops.fp16).toMatchObject({ value: 280, confidence: 'low' });
    expect(p.hardware.interconnect.name).toBe('HCCS');
    expect(p.hardware.interconnect.bandwidthGBs.value).toBe(392);
  });

  it('refuses every non-standard domain, with a rewrite remedy', () => {
    expect(p.domains['com.microsoft'].level).toBe('unsupported');
    expect(p.domains.tensorrt).toMatchObject({ level: 'unsupported', remedy: 'rewrite as an ATC ONNX parser plugin + Ascend C kernel' });
    expect(p.domains.custom.remedy).toMatch(/Ascend C/);
    expect(p.limits.controlFlow.level).toBe('degraded');
    expect(p.limits.quantization.level).toBe('unsupported');
    expect(p.limits.dynamicShapes.remedy).toMatch(/--dynamic_dims/);
  });

  it('has one software feature per porting-map row, with the ops that imply it', () => {
    expect(p.software).toMatchObject({ compiler: 'ATC / GE (CANN)', runtime: 'ACL', collectives: 'HCCL' });
    expect(p.software.features).toHaveLength(knowledge('porting_feature_map.tsv').length);
    const feature = (id: string) => p.software.features.find((f) => f.id === id);
    expect(feature('nccl')?.ops).toEqual(expect.arrayContaining(['com.microsoft::AllReduce', 'com.microsoft::AllGather', 'com.microsoft::AllToAll', 'com.microsoft::ShardedMoE']));
    expect(feature('flash-attention')?.ops).toEqual(expect.arrayContaining(['com.microsoft::MultiHeadAttention', 'com.microsoft::GroupQueryAttention', 'com.microsoft::PagedAttention']));
    expect(feature('fp8-gemm')).toMatchObject({ level: 'unsupported', ops: ['com.microsoft::GemmFloat8'] });
    expect(feature('nccl')?.counterpart).toMatch(/^HCCL/);
  });
});

describe('ascend-910c', () => {
  const b = loadBuiltinProfile('ascend-910b');
  const c = loadBuiltinProfile('ascend-910c');

  it('reads AI Core evidence for the ascend910_93 SoC, not ascend910b', () => {
    // cann_aicore_ops_by_soc.tsv: Acos has rows for both SoCs; Exp only for ascend910b.
    expect(only(c, 'Acos').engine).toBe('aicore');
    expect(only(b, 'Exp').engine).toBe('aicore');
    expect(only(b, 'Exp').dtypes).toBeDefined();
    // 910C: the plugin declares AI Core, but no open-source def lists ascend910_93, so no dtypes.
    expect(only(c, 'Exp').engine).toBe('aicore');
    expect(only(c, 'Exp').dtypes).toBeUndefined();
    expect(only(c, 'Exp').note).toMatch(/ascend910_93 kernel may be in the closed CANN package/);
  });

  it('has its own hardware figures and the same software verdicts', () => {
    expect(c.hardware.memoryGiB).toMatchObject({ value: 128, confidence: 'low' });
    expect(c.hardware.peakTflops.bf16?.value).toBe(780);
    expect(c.hardware.interconnect.bandwidthGBs.value).toBe(784);
    expect(c.opsets.window['ai.onnx']).toEqual({ min: 8, max: 18 });
    expect(c.precision.support.fp8?.level).toBe('unsupported');
    expect(only(c, 'Loop').level).toBe('unsupported');
  });
});

describe('h20', () => {
  const p = loadBuiltinProfile('h20');

  it('runs Conv on CUDA per kernel version ("[1, 10]", "[11, 21]", "22+")', () => {
    expect(entries(p, 'Conv').map((e) => [e.since, e.until, e.engine, e.level])).toEqual([
      [1, 10, 'cuda', 'supported'], [11, 21, 'cuda', 'supported'], [22, undefined, 'cuda', 'supported'],
    ]);
    expect(entries(p, 'Conv')[2]!.dtypes).toEqual(['fp64', 'fp32', 'fp16', 'bf16']);
  });

  it('marks an op with only a CPU kernel as a degraded CPU fallback (Unique 11+)', () => {
    expect(only(p, 'Unique')).toMatchObject({
      level: 'degraded', since: 11, engine: 'cpu-fallback',
      remedy: 'runs on ORT\'s CPU provider (fallback): expect host round trips',
    });
  });

  it('has the com.microsoft CUDA contrib ops, CUDA-only ones included, and CPU-only ones as fallbacks', () => {
    expect(only(p, 'GemmFloat8', 'com.microsoft')).toMatchObject({ level: 'supported', engine: 'cuda' });
    expect(only(p, 'GemmFloat8', 'com.microsoft').dtypes).toContain('fp8');
    expect(only(p, 'AttnLSTM', 'com.microsoft')).toMatchObject({ level: 'degraded', engine: 'cpu-fallback' });
    // Main section rows: op<TAB>also-CPU|CUDA-ONLY<TAB>opset: types (NCCL/training-only builds follow).
    const cudaContrib = knowledge('ort_cuda_contrib_ops.txt').filter((l) => /\t(also-CPU|CUDA-ONLY)\t/.test(l)).map((l) => l.split('\t')[0]!);
    expect(cudaContrib).toHaveLength(67);
    for (const op of cudaContrib) expect(only(p, op, 'com.microsoft').engine, op).toBe('cuda');
  });

  it('matches opsets by range up to the highest opset ORT lists (25)', () => {
    expect(p.opsets.matching).toBe('range');
    expect(p.opsets.window['ai.onnx']?.max).toBe(25);
  });

  it('keeps every precision the model was exported in, with fp64 slow', () => {
    expect(p.precision.policy).toMatchObject({ name: 'as exported (ORT CUDA EP)', compute: 'fp32', converts: [] });
    for (const f of ['fp32', 'fp16', 'bf16', 'fp8', 'int8'] as const) expect(p.precision.support[f]?.level, f).toBe('supported');
    expect(p.precision.support.fp64?.level).toBe('degraded');
    expect(p.precision.support.int4?.note).toMatch(/MatMulNBits/);
  });

  it('gives NVLink per direction: 900 GB/s bidirectional is 450', () => {
    expect(p.hardware.interconnect.bandwidthGBs).toMatchObject({ value: 450, confidence: 'high' });
    expect(p.hardware.interconnect.bandwidthGBs.note).toMatch(/900 GB\/s bidirectional/);
    expect(p.hardware.peakTflops.fp8?.value).toBe(296);
  });
});
