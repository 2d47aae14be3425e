import type { SupportLevel } from '../../src/profiles/schema.js';
import { effortDaysFrom } from './effort-days.js';
import { CannEngineIndex } from './cann-engine.js';
import { featureSourceKey, matchFeatureRows, ncclOps } from './features.js';
import { hardwareFrom } from './hardware.js';
import type { Knowledge } from './knowledge.js';
import { MISSING_OP_REMEDIES } from './missing-op-remedies.js';
import { parseAtcOpsets, type OpsetRange } from './opset-ranges.js';
import { compareEntries, type OpEntryInput, type ProfileInput } from './profile-input.js';
import { withSources } from './sources.js';

/** The two Ascend targets differ in SoC config name (for AI Core evidence) and hardware figures. */
export interface AscendTarget {
  id: string;
  name: string;
  /** SoC config name in the CANN op definitions. */
  soc: string;
  /** Key in hw_profiles.json, and the source key of its figures. */
  hwKey: string;
  hwSource: string;
  /** Board family, for the one-line summary. */
  boards: string;
}

export const ASCEND_TARGETS: AscendTarget[] = [
  { id: 'ascend-910b', name: 'Huawei Ascend 910B', soc: 'ascend910b', hwKey: 'ascend-910b', hwSource: 'hw-ascend-910b', boards: 'Atlas A2' },
  { id: 'ascend-910c', name: 'Huawei Ascend 910C', soc: 'ascend910_93', hwKey: 'ascend-910c', hwSource: 'hw-ascend-910c', boards: 'Atlas A3, two 910B-class dies' },
];

const OPSET_REMEDY = 're-export at opset 18 (torch.onnx.export(..., opset_version=18)) or convert with onnx.version_converter';

export function buildAscendProfile(k: Knowledge, target: AscendTarget): ProfileInput {
  const hw = k.hw[target.hwKey];
  if (!hw) throw new Error(`hw_profiles.json: no entry '${target.hwKey}'`);
  const engines = new CannEngineIndex(k);
  const features = matchFeatureRows(k.featureMap);
  const window = opsetWindow(k);
  const entries = opEntries(k, target, engines);
  const hwSrc = target.hwSource;
  const fs = featureSourceKey;

  const slowOps: ProfileInput['slowOps'] = [
    { op: 'TopK', reason: 'int64 K and indices are slow on AI Core, and the offline model wants them as int32: cast before TopK', dtypes: ['int64'], source: [fs('int64-index-math')] },
    { op: 'NonZero', reason: 'data-dependent output shape and int64 indices: compiled as a dynamic-shape op, often on AI CPU', source: [fs('dynamic-shapes'), fs('int64-index-math')] },
    { op: 'Unique', reason: 'data-dependent output shape: compiled as a dynamic-shape op, often on AI CPU', source: [fs('dynamic-shapes')] },
    { op: 'Gather', reason: 'int64 indices make index math slow on AI Core: cast indices to int32 where they fit', dtypes: ['int64'], source: [fs('int64-index-math')] },
    { op: 'Where', reason: 'int64 operands (typical in mask and shape math) are slow on AI Core: cast to int32 where they fit', dtypes: ['int64'], source: [fs('int64-index-math')] },
  ];
  for (const e of entries) {
    if (e.engine === 'aicpu' && !slowOps.some((s) => s.op === e.op)) {
      const declared = e.source.includes('cann-imply-types');
      slowOps.push({
        op: e.op,
        reason: declared
          ? 'runs on AI CPU (the NPU\'s ARM cores): its parser plugin declares ImplyType::AI_CPU'
          : `runs on AI CPU (the NPU's ARM cores): only an AI CPU kernel is known for ${e.mapsTo ?? e.op}`,
        source: [declared ? 'cann-imply-types' : 'cann-aicpu'],
      });
    }
  }

  // Disagreement kept, and marked: the per-SoC dtype parse is heuristic, the porting map is not.
  const fp8Note = engines.socHasFamily(target.soc, 'fp8')
    ? ` (a few ${target.soc} op definitions, e.g. ${engines.socOpsWithFamily(target.soc, 'fp8')[0]}, list FLOAT8 dtypes: a lower-confidence heuristic parse)`
    : '';

  const profile: Omit<ProfileInput, 'sources'> = {
    schemaVersion: 1,
    id: target.id,
    name: target.name,
    vendor: 'Huawei',
    kind: 'npu',
    summary: `${target.name} NPU (${target.boards}), ${hw.memory_gb} GB ${hw.memory_type.split(' ')[0]}; ONNX → ATC/GE offline model, opsets ${window.min}-${window.max} matched exactly, fp16 by default (force_fp16)`,
    hardware: hardwareFrom(hw, hwSrc),
    software: {
      compiler: 'ATC / GE (CANN)',
      runtime: 'ACL',
      collectives: 'HCCL',
      features: features.map(({ rule, row }) => ({
        id: rule.id,
        cuda: row.cuda,
        counterpart: row.counterpart,
        level: rule.ascend.level,
        note: row.note,
        remedy: rule.ascend.remedy,
        effort: rule.ascend.effort,
        ...(rule.ops ? { ops: rule.ops(row, { ncclOps: ncclOps(k) }) } : {}),
        source: [fs(rule.id)],
      })),
      atc: {
        socVersions: socVersionsOf(k, target.id),
        precisionMode: 'force_fp16',
        note: 'ATC compiles an ONNX model with --framework=5; --keep_dtype lists the nodes kept in their own precision under --precision_mode (not with must_keep_origin_dtype)',
        source: ['atc-soc-versions', 'atc-keep-dtype'],
      },
    },
    effortDays: effortDaysFrom(k),
    precision: {
      support: {
        fp32: {
          level: 'degraded',
          note: 'computed as fp16 under ATC\'s default --precision_mode=force_fp16; fp32 matmul/conv can use HF32 mode',
          remedy: 'pass --precision_mode=allow_fp32_to_fp16 or must_keep_origin_dtype to keep fp32 where ops support it, and compare accuracy',
          effort: 'low',
          source: [fs('cublas'), hwSrc],
        },
        fp16: { level: 'supported', note: 'native on the Cube and Vector units', source: [hwSrc, 'cann-aicore'] },
        bf16: {
          level: 'supported',
          note: 'bf16 Cube on 910B/910C, but the default force_fp16 still computes bf16 graphs in fp16 (smaller range)',
          remedy: 'pass --precision_mode=must_keep_origin_dtype to keep bf16',
          effort: 'low',
          source: [hwSrc, 'cann-aicore', fs('cublas')],
        },
        fp8: {
          level: 'unsupported',
          note: `no FP8 compute on 910B/910C: FP8 quant-matmul configs exist only for ascend950/ascend350${fp8Note}`,
          remedy: rule(features, 'fp8-gemm').ascend.remedy,
          effort: 'medium',
          source: [fs('fp8-gemm'), hwSrc, 'cann-aicore'],
        },
        fp4: {
          level: 'unsupported',
          note: 'MXFP4 compute appears only for ascend950',
          remedy: 're-quantize to int8 (w8a8) or int4 weights (w4a16) with AMCT/msModelSlim, or keep bf16',
          effort: 'medium',
          source: [hwSrc, fs('fp8-gemm')],
        },
        fp64: {
          level: 'unsupported',
          note: 'no fp64 on the Cube; torch_npu maps DoubleTensor to FloatTensor',
          remedy: rule(features, 'fp64').ascend.remedy,
          effort: 'low',
          source: [fs('fp64'), hwSrc],
        },
        int8: {
          level: 'degraded',
          note: 'int8 compute exists (AscendQuant/AscendDequant, QuantBatchMatmulV3) but only in graphs quantized by AMCT; ONNX QDQ/QLinear int8 is not parsed',
          remedy: rule(features, 'qdq-int8').ascend.remedy,
          effort: 'medium',
          source: [fs('qdq-int8'), hwSrc, 'atc-missing'],
        },
        int4: {
          level: 'degraded',
          note: 'int4 weights only (w4a16 through WeightQuantBatchMatmulV2 / QuantBatchMatmulV3), produced by AMCT/msModelSlim; ONNX int4 tensors (MatMulNBits, int4 DequantizeLinear) do not go through ATC',
          remedy: 're-quantize the fp32/bf16 model with AMCT/msModelSlim (w4a16) instead of exporting ONNX int4',
          effort: 'medium',
          source: [hwSrc, 'cann-aicore'],
        },
        int64: {
          level: 'degraded',
          note: 'works, but int64 index and shape math is slow on AI Core; TopK wants int32 K and indices',
          remedy: rule(features, 'int64-index-math').ascend.remedy,
          effort: 'low',
          source: [fs('int64-index-math')],
        },
        int32: { level: 'supported', source: [hwSrc, 'cann-aicore'] },
        int16: { level: 'supported', source: ['cann-aicore'] },
        bool: { level: 'supported', source: [hwSrc, 'cann-aicore'] },
        string: {
          level: 'unsupported',
          note: 'no string compute on the NPU; ATC has no parser for the ONNX string ops',
          remedy: 'move text processing out of the graph into host pre-processing',
          effort: 'medium',
          source: ['atc-missing'],
        },
        complex: {
          level: 'unknown',
          note: 'a few AI Core op definitions list COMPLEX64, but no parsed ONNX op is known to take complex tensors',
          source: ['cann-aicore'],
        },
      },
      policy: {
        name: 'force_fp16',
        compute: 'fp16',
        converts: ['fp32', 'bf16'],
        keepOps: [],
        note: 'ATC\'s default --precision_mode: every op with an fp16 kernel computes in fp16; ops without one keep their type (the evidence does not list them, so keepOps is empty). --precision_mode=allow_fp32_to_fp16 or must_keep_origin_dtype changes it',
        source: [fs('cublas')],
      },
    },
    opsets: {
      matching: 'exact',
      window: windows(k, window),
      source: ['atc-parsers', 'ort-cann-graph'],
      remedy: OPSET_REMEDY,
    },
    ops: {
      // ATC parses a standard op only through a registered parser (domain::opset::Op), and the
      // parser plugins of CANN's op repos are that list: no registration is ATC's E16002 error.
      unlisted: {
        level: 'unsupported',
        note: 'no parser is registered for it: ATC stops with E16002 "No parser is registered" (CANN\'s parser plugins list every ONNX op ATC parses)',
        source: ['atc-parsers', 'atc-missing'],
      },
      entries,
    },
    domains: {
      'com.microsoft': {
        level: 'unsupported',
        remedy: rule(features, 'ort-contrib-ops').ascend.remedy,
        effort: 'medium',
        note: 'no contrib op has a CANN kernel or an ATC parser; the CANN EP\'s graph mode refuses any domain but ai.onnx',
        source: [fs('ort-contrib-ops'), 'ort-cann-ep', 'ort-cann-graph'],
      },
      tensorrt: {
        level: 'unsupported',
        remedy: 'rewrite as an ATC ONNX parser plugin + Ascend C kernel',
        effort: 'high',
        note: 'TensorRT plugin ops (trt.plugins domain, *_TRT) hit E19010/E16002 "No parser is registered"',
        source: [fs('tensorrt')],
      },
      custom: {
        level: 'unsupported',
        remedy: 'rewrite the custom CUDA kernel in Ascend C and register an ONNX parser plugin',
        effort: 'high',
        note: 'ATC parses only ops with a registered parser (domain::opset::Op)',
        source: [fs('custom-cuda-kernels'), fs('tensorrt')],
      },
    },
    slowOps,
    evidence: [
      ...k.implyTypeCommits.map((c) => evidenceOf(c, 'CANN ONNX parser plugins and their engines (ImplyType)', 'cann-imply-types')),
      { component: 'CANN open-source AI Core op definitions per SoC', source: ['cann-aicore'] },
    ],
    limits: {
      dynamicShapes: {
        level: 'degraded',
        remedy: 'ATC wants static shapes: pin them (atc --input_shape) or declare gears with --dynamic_batch_size / --dynamic_image_size / --dynamic_dims',
        source: [fs('dynamic-shapes')],
      },
      controlFlow: {
        level: 'degraded',
        remedy: 'If is parsed by GE; Loop and Scan have no parser: unroll them at export or move the loop into host code',
        source: ['atc-parsers', 'atc-missing'],
      },
      quantization: {
        level: 'unsupported',
        remedy: 'ONNX QDQ/QLinear int8 does not go through ATC: re-quantize the fp32 model with AMCT (or msModelSlim)',
        source: [fs('qdq-int8'), 'atc-missing'],
      },
    },
  };
  return withSources(k, profile);
}

/** "hicann/ops-nn@<sha> (2026-08-22)" → an evidence row naming the repository, commit and date. */
function evidenceOf(text: string, what: string, source: string): NonNullable<ProfileInput['evidence']>[number] {
  const m = /^(\S+)@([0-9a-f]+) \(([^)]+)\)$/.exec(text);
  if (!m) throw new Error(`cannot read source commit '${text}'`);
  return { component: `${what}: ${m[1]}`, commit: m[2]!, date: m[3]!, source: [source] };
}

function rule(features: ReturnType<typeof matchFeatureRows>, id: string) {
  const found = features.find((f) => f.rule.id === id);
  if (!found) throw new Error(`features.ts: no rule '${id}'`);
  return found.rule;
}

/** Standard ai.onnx op names: those ORT's CPU provider has a kernel for. */
function standardOps(k: Knowledge): Set<string> {
  return new Set(k.ortKernels.filter((r) => r.ep === 'CPUExecutionProvider' && r.domain === 'ai.onnx').map((r) => r.op));
}

/**
 * The ai.onnx window: max = the highest opset any standard op is registered for; min = the opset
 * most standard ops start at (a few list 1 or 6 too, but the CANN EP refuses opset < 8 outright).
 */
function opsetWindow(k: Knowledge): { min: number; max: number } {
  const standard = standardOps(k);
  const firstSince = new Map<string, number>();
  let max = 0;
  for (const reg of k.atcRegistrations) {
    if (reg.domain !== 'ai.onnx' || !standard.has(reg.op)) continue;
    for (const r of parseAtcOpsets(reg.opsets)) {
      max = Math.max(max, r.until ?? r.since);
      firstSince.set(reg.op, Math.min(firstSince.get(reg.op) ?? Infinity, r.since));
    }
  }
  const counts = new Map<number, number>();
  for (const since of firstSince.values()) counts.set(since, (counts.get(since) ?? 0) + 1);
  const [min] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [0];
  if (max === 0) throw new Error('atc_onnx_parser_registrations.tsv: no standard ai.onnx op found');
  return { min, max };
}

/** ai.onnx plus each other domain ATC registers parsers in (npu, mmdeploy), from their ranges. */
function windows(k: Knowledge, aiOnnx: { min: number; max: number }): Record<string, { min: number; max: number }> {
  const out: Record<string, { min: number; max: number }> = { 'ai.onnx': aiOnnx };
  const others = new Map<string, OpsetRange[]>();
  for (const reg of k.atcRegistrations) {
    if (reg.domain === 'ai.onnx') continue;
    const ranges = parseAtcOpsets(reg.opsets);
    if (ranges.length > 0) others.set(reg.domain, [...(others.get(reg.domain) ?? []), ...ranges]);
  }
  for (const domain of [...others.keys()].sort()) {
    const ranges = others.get(domain)!;
    out[domain] = { min: Math.min(...ranges.map((r) => r.since)), max: Math.max(...ranges.map((r) => r.until ?? r.since)) };
  }
  return out;
}

function opEntries(k: Knowledge, target: AscendTarget, engines: CannEngineIndex): OpEntryInput[] {
  const entries: OpEntryInput[] = [];
  const msit = new Map(k.msitMap.map((m) => [m.op, m]));
  const registered = new Set<string>();

  for (const reg of k.atcRegistrations) {
    registered.add(`${reg.domain}::${reg.op}`);
    const verdict = engines.verdict(reg.cannOps, target.soc, impliedEngines(k, reg.domain, reg.op, reg.opsets));
    // The verdict's reason first (checks quote notes to users), provenance last.
    const notes = [...verdict.notes];
    const sources = ['atc-parsers', ...verdict.sources];
    const other = reg.domain === 'ai.onnx' ? msit.get(reg.op) : undefined;
    if (other && !sameMapping(other.opsets, other.cannOps, reg.opsets, reg.cannOps)) {
      notes.push(`msit's older map (atc_onnx_ops.txt) says opsets ${other.opsets} → ${other.cannOps.join(' | ')}`);
      sources.push('msit-onnx-map');
    }
    notes.push(`parser: ${reg.parserFiles}`);
    entries.push(...perRange(reg.opsets, {
      op: reg.op,
      domain: reg.domain,
      level: verdict.level,
      ...(verdict.engine ? { engine: verdict.engine } : {}),
      ...(verdict.dtypes ? { dtypes: verdict.dtypes } : {}),
      mapsTo: reg.cannOps.join(' | '),
      note: notes.join('; '),
      ...(verdict.remedy ? { remedy: verdict.remedy, effort: 'low' as const } : {}),
      source: sources,
    }));
  }

  // msit's map names a few ops no registration has: keep them, marked as the weaker evidence.
  const missing = new Set(k.atcMissing);
  for (const m of k.msitMap) {
    if (registered.has(`ai.onnx::${m.op}`) || missing.has(m.op)) continue;
    registered.add(`ai.onnx::${m.op}`);
    const verdict = engines.verdict(m.cannOps, target.soc);
    entries.push(...perRange(m.opsets, {
      op: m.op,
      domain: 'ai.onnx',
      level: verdict.level,
      ...(verdict.engine ? { engine: verdict.engine } : {}),
      ...(verdict.dtypes ? { dtypes: verdict.dtypes } : {}),
      mapsTo: m.cannOps.join(' | '),
      note: ['listed only in msit\'s map; no parser registration was found in the open-source repos', ...verdict.notes].join('; '),
      ...(verdict.remedy ? { remedy: verdict.remedy, effort: 'low' as const } : {}),
      source: ['msit-onnx-map', ...verdict.sources],
    }));
  }

  for (const op of geBuiltinOps(k)) {
    if (registered.has(`ai.onnx::${op}`)) continue;
    registered.add(`ai.onnx::${op}`);
    entries.push({
      op,
      domain: 'ai.onnx',
      level: 'supported',
      engine: 'ge',
      note: 'built into the GE ONNX parser (not a plugin registration), so no opset list is known',
      source: ['ge-onnx-parser'],
    });
  }

  for (const op of k.atcMissing) {
    const fix = MISSING_OP_REMEDIES[op];
    if (!fix) throw new Error(`missing-op-remedies.ts: no remedy for '${op}' (atc_missing_standard_onnx_ops.txt)`);
    if (registered.has(`ai.onnx::${op}`)) throw new Error(`'${op}' is both registered and listed as missing`);
    // Where another source says GE takes the op, the dissent is recorded; the parser list decides,
    // since GE can only parse what a plugin registers (the CANN EP's graph mode hands ops to GE).
    const msitSays = msit.get(op);
    const graphModeSays = k.cannGraphModeOps.has(op);
    const dissent = [
      ...(msitSays ? [`msit's older map lists it (opsets ${msitSays.opsets} → ${msitSays.cannOps.join(' | ')})`] : []),
      ...(graphModeSays ? ['ORT\'s CANN EP hands it to GE in graph mode, where the parser is missing all the same'] : []),
    ];
    entries.push({
      op,
      domain: 'ai.onnx',
      level: 'unsupported' satisfies SupportLevel,
      engine: 'none' as const,
      note: ['no ATC parser: ATC fails with E16002 "No parser is registered"', fix.note, ...dissent].filter(Boolean).join('; '),
      remedy: fix.remedy,
      effort: fix.effort,
      source: ['atc-missing', ...(msitSays ? ['msit-onnx-map'] : []), ...(graphModeSays ? ['ort-cann-graph'] : [])],
    });
  }
  return entries.sort(compareEntries);
}

/** The engines the op's parser plugins declare at any of the registration's opsets (ImplyType rows). */
function impliedEngines(k: Knowledge, domain: string, op: string, opsets: string): Set<string> {
  const wanted = parseAtcOpsets(opsets);
  const overlaps = (text: string): boolean => wanted.length === 0 || parseAtcOpsets(text).some((r) =>
    wanted.some((w) => r.since <= (w.until ?? w.since) && w.since <= (r.until ?? r.since)));
  return new Set(k.implyTypes.filter((row) => row.domain === domain && row.op === op && overlaps(row.opsets)).map((row) => row.engine));
}

/** One entry per opset run: ATC matches exactly, so a gap in the list is a real gap. */
function perRange(opsets: string, entry: OpEntryInput): OpEntryInput[] {
  const ranges = parseAtcOpsets(opsets);
  if (ranges.length === 0) return [orderKeys(entry)];
  return ranges.map((r) => {
    const { op, domain, ...rest } = entry;
    return { op, domain, ...rest, since: r.since, until: r.until ?? r.since };
  }).map(orderKeys);
}

/** Keeps a readable key order: op, domain, level, since, until, then the rest. */
function orderKeys(e: OpEntryInput): OpEntryInput {
  const { op, domain, level, since, until, ...rest } = e;
  return { op, domain, level, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}), ...rest };
}

function sameMapping(aOpsets: string, aOps: string[], bOpsets: string, bOps: string[]): boolean {
  return JSON.stringify(parseAtcOpsets(aOpsets)) === JSON.stringify(parseAtcOpsets(bOpsets)) && aOps.join('|') === bOps.join('|');
}

/** "... built into the GE ONNX parser (hicann/ge parser/parser/onnx: Constant, FileConstant, If)". */
function geBuiltinOps(k: Knowledge): string[] {
  const m = /built into the GE ONNX parser \([^:]*:\s*([^)]+)\)/.exec(k.atcMissingHeader);
  if (!m) throw new Error('atc_missing_standard_onnx_ops.txt: header no longer names the GE parser\'s built-in ops');
  return m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
}

function socVersionsOf(k: Knowledge, id: string): string[] {
  const list = k.socVersions.get(id);
  if (!list || list.length === 0) throw new Error(`atc_soc_versions.tsv: no SoC version for '${id}'`);
  return list;
}
