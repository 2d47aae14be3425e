import { effortDaysFrom } from './effort-days.js';
import { ortTypeFamilies, sortFamilies } from './families.js';
import { featureSourceKey, matchFeatureRows, ncclOps } from './features.js';
import { hardwareFrom } from './hardware.js';
import type { Knowledge, OrtKernel } from './knowledge.js';
import { opsetsIn, parseOrtOpset, runsOf, type OpsetRange } from './opset-ranges.js';
import { compareEntries, type OpEntryInput, type ProfileInput } from './profile-input.js';
import { withSources } from './sources.js';

/**
 * The source platform: an H20-like GPU running the model through ONNX Runtime's CUDA execution
 * provider. What has a CUDA kernel runs on the GPU; what has only a CPU kernel still runs, on ORT's
 * CPU provider, at the cost of host round trips.
 */

const CUDA = 'CUDAExecutionProvider';
const CPU = 'CPUExecutionProvider';
/** Domains whose kernels come from ort_operator_kernels.tsv (contrib ops come from their own lists). */
const KERNEL_DOMAINS = ['ai.onnx', 'ai.onnx.ml'];
const FALLBACK_REMEDY = 'runs on ORT\'s CPU provider (fallback): expect host round trips';

/**
 * The ONNX Runtime snapshot the kernel tables reflect, as the knowledge header names it
 * ("snapshot tianleiwu/onnxruntime @735e69a39, file last changed 9adf238eb 2026-02-11").
 */
function ortEvidence(k: Knowledge): NonNullable<ProfileInput['evidence']>[number] {
  const m = /snapshot (\S+) @([0-9a-f]+)(?:.*?(\d{4}-\d{2}-\d{2}))?/.exec(k.ortKernelsHeader);
  if (!m) throw new Error('ort_operator_kernels.tsv: the header no longer names its snapshot commit');
  const version = /ORT (\d+\.\d+\.\d+[^;),]*)/.exec(k.cudaContribHeader)?.[1];
  return {
    component: `ONNX Runtime kernel registrations (docs/OperatorKernels.md): ${m[1]}`,
    ...(version !== undefined && { version: `ONNX Runtime ${version.trim()}` }),
    commit: m[2]!,
    ...(m[3] !== undefined && { date: m[3] }),
    source: ['ort-kernels'],
  };
}

export function buildH20Profile(k: Knowledge): ProfileInput {
  const hw = k.hw['nvidia-h20'];
  if (!hw) throw new Error('hw_profiles.json: no entry \'nvidia-h20\'');
  const features = matchFeatureRows(k.featureMap);
  const fs = featureSourceKey;
  const hwSrc = 'hw-h20';
  const maxOpset = highestOpsets(k);

  const profile: Omit<ProfileInput, 'sources'> = {
    schemaVersion: 1,
    id: 'h20',
    name: 'NVIDIA H20',
    vendor: 'NVIDIA',
    kind: 'gpu',
    summary: `NVIDIA H20 (Hopper), ${hw.memory_gb} GB ${hw.memory_type}, ONNX Runtime CUDA EP: the CUDA platform the model runs on today`,
    hardware: hardwareFrom(hw, hwSrc),
    software: {
      compiler: 'none (ONNX Runtime loads the ONNX graph directly)',
      runtime: 'ONNX Runtime CUDA execution provider',
      collectives: 'NCCL',
      features: features.map(({ rule, row }) => ({
        id: rule.id,
        cuda: row.cuda,
        counterpart: rule.h20.counterpart,
        level: rule.h20.level,
        ...(rule.h20.note ? { note: rule.h20.note } : {}),
        ...(rule.h20.remedy ? { remedy: rule.h20.remedy } : {}),
        ...(rule.h20.effort ? { effort: rule.h20.effort } : {}),
        ...(rule.ops ? { ops: rule.ops(row, { ncclOps: ncclOps(k) }) } : {}),
        source: [fs(rule.id)],
      })),
    },
    effortDays: effortDaysFrom(k),
    precision: {
      support: {
        fp32: { level: 'supported', note: `${hw.tflops_dense.fp32} TFLOPS dense (TF32 tensor-core math: ${hw.tflops_dense.tf32})`, source: [hwSrc, 'ort-kernels'] },
        fp16: { level: 'supported', source: [hwSrc, 'ort-kernels'] },
        bf16: { level: 'supported', source: [hwSrc, 'ort-kernels'] },
        fp8: {
          level: 'supported',
          note: 'Hopper FP8 tensor cores; ORT reaches them through com.microsoft GemmFloat8 and fp8 Cast/QuantizeLinear',
          source: [hwSrc, 'ort-cuda-contrib', 'ort-kernels'],
        },
        fp4: {
          level: 'unsupported',
          note: 'no fp4 compute before Blackwell; ORT can only Cast to and from float4e2m1',
          source: [hwSrc, 'ort-kernels'],
        },
        fp64: {
          level: 'degraded',
          note: `${hw.tflops_dense.fp64} TFLOPS dense: fp64 works but is far slower than fp32`,
          remedy: 'downcast to fp32 where accuracy allows',
          effort: 'low',
          source: [hwSrc, fs('fp64')],
        },
        int8: { level: 'supported', note: `${hw.tflops_dense.int8_tops} TOPS dense on tensor cores`, source: [hwSrc, 'ort-kernels'] },
        int4: {
          level: 'supported',
          note: 'weight-only, through com.microsoft MatMulNBits / GatherBlockQuantized; no int4 tensor-core path',
          source: ['ort-cuda-contrib'],
        },
        int64: { level: 'supported', source: ['ort-kernels'] },
        int32: { level: 'supported', source: ['ort-kernels'] },
        int16: { level: 'supported', source: ['ort-kernels'] },
        bool: { level: 'supported', source: ['ort-kernels'] },
        string: {
          level: 'degraded',
          note: 'no CUDA kernel takes strings: string ops run on ORT\'s CPU provider',
          remedy: FALLBACK_REMEDY,
          effort: 'low',
          source: ['ort-kernels'],
        },
        complex: { level: 'unsupported', note: 'no ORT kernel takes complex tensors', source: ['ort-kernels'] },
      },
      policy: {
        name: 'as exported (ORT CUDA EP)',
        compute: 'fp32',
        converts: [],
        keepOps: [],
        note: 'ONNX Runtime computes each node in the element type the model declares; nothing is converted',
        source: ['ort-kernels'],
      },
    },
    opsets: {
      matching: 'range',
      window: Object.fromEntries([...KERNEL_DOMAINS, 'com.microsoft'].map((d) => [d, opsetWindow(k, d, maxOpset)])),
      source: ['ort-kernels', 'ort-cuda-contrib'],
      remedy: `re-export at an opset this ONNX Runtime has kernels for (torch.onnx.export(..., opset_version=${maxOpset.get('ai.onnx')}) or lower), or upgrade onnxruntime`,
    },
    ops: {
      unlisted: {
        level: 'unknown',
        note: 'no kernel is registered for it in ORT\'s OperatorKernels.md; ops defined as ONNX functions are expanded by ORT into their body and may still run',
        source: ['ort-kernels'],
      },
      entries: withConstant([...kernelEntries(k, maxOpset), ...contribEntries(k)]).sort(compareEntries),
    },
    domains: {
      'com.microsoft': {
        level: 'unknown',
        remedy: 'check the contrib kernel list of the onnxruntime version in use (docs/OperatorKernels.md)',
        effort: 'low',
        note: 'contrib ops with a CUDA or CPU kernel have their own entries; this verdict covers the rest',
        source: ['ort-cuda-contrib', 'ort-cpu-contrib'],
      },
      tensorrt: {
        level: 'degraded',
        engine: 'tensorrt',
        remedy: 'run with ORT\'s TensorRT execution provider and load the plugin library (.so) that implements these ops',
        effort: 'low',
        note: 'the CUDA EP has no kernels for TensorRT plugin ops (trt.plugins domain, *_TRT): they run inside TensorRT with the plugin library loaded',
        source: [fs('tensorrt')],
      },
      custom: {
        level: 'unsupported',
        remedy: 'register the custom-op library that implements the domain with the session (SessionOptions custom op library)',
        effort: 'low',
        note: 'runs only when a custom op library for the domain is registered',
        source: [fs('custom-cuda-kernels'), 'ort-kernels'],
      },
    },
    slowOps: [],
    evidence: [ortEvidence(k)],
    limits: {
      dynamicShapes: { level: 'supported', remedy: 'none needed: ORT\'s CUDA EP takes dynamic shapes', source: [fs('dynamic-shapes')] },
      controlFlow: { level: 'supported', remedy: 'none needed: If, Loop and Scan have CUDA EP kernels', source: ['ort-kernels'] },
      quantization: {
        level: 'supported',
        remedy: 'none needed: QuantizeLinear/DequantizeLinear have CUDA kernels (QLinear* ops fall back to the CPU provider)',
        source: ['ort-kernels', fs('qdq-int8')],
      },
    },
  };
  return withSources(k, profile);
}

/** Highest opset any kernel row mentions, per domain (an open range counts as its start). */
function highestOpsets(k: Knowledge): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of k.ortKernels) {
    const r = parseOrtOpset(row.opset);
    out.set(row.domain, Math.max(out.get(row.domain) ?? 0, r.until ?? r.since));
  }
  return out;
}

function opsetWindow(k: Knowledge, domain: string, maxOpset: Map<string, number>): { min: number; max: number } {
  if (domain === 'com.microsoft') {
    const ranges = [...k.cudaContrib, ...k.cpuContrib].map((c) => parseOrtOpset(c.opset));
    return { min: Math.min(...ranges.map((r) => r.since)), max: Math.max(...ranges.map((r) => r.until ?? r.since)) };
  }
  const rows = k.ortKernels.filter((r) => r.domain === domain && (r.ep === CUDA || r.ep === CPU));
  const max = maxOpset.get(domain);
  if (rows.length === 0 || max === undefined) throw new Error(`ort_operator_kernels.tsv: no kernels in ${domain}`);
  return { min: Math.min(...rows.map((r) => parseOrtOpset(r.opset).since)), max };
}

/**
 * One supported entry per CUDA kernel row; the opsets only a CPU kernel covers become degraded
 * cpu-fallback entries (per maximal run, so a version gap in the CUDA registrations shows up).
 */
function kernelEntries(k: Knowledge, maxOpset: Map<string, number>): OpEntryInput[] {
  const byOp = new Map<string, { cuda: OrtKernel[]; cpu: OrtKernel[] }>();
  for (const row of k.ortKernels) {
    if (!KERNEL_DOMAINS.includes(row.domain) || (row.ep !== CUDA && row.ep !== CPU)) continue;
    const key = `${row.domain}::${row.op}`;
    let group = byOp.get(key);
    if (!group) byOp.set(key, (group = { cuda: [], cpu: [] }));
    (row.ep === CUDA ? group.cuda : group.cpu).push(row);
  }

  const entries: OpEntryInput[] = [];
  for (const { cuda, cpu } of byOp.values()) {
    const any = cuda[0] ?? cpu[0]!;
    const max = maxOpset.get(any.domain)!;
    const cudaOpsets = new Set<number>();
    for (const row of cuda) {
      const r = parseOrtOpset(row.opset);
      for (const v of opsetsIn(r, max)) cudaOpsets.add(v);
      entries.push({
        op: row.op, domain: row.domain, level: 'supported', ...range(r), engine: 'cuda',
        dtypes: ortTypeFamilies(row.types), source: ['ort-kernels'],
      });
    }
    const cpuRanges = cpu.map((row) => ({ row, r: parseOrtOpset(row.opset) }));
    const cpuOnly = cpuRanges.flatMap(({ r }) => opsetsIn(r, max)).filter((v) => !cudaOpsets.has(v));
    const openEnded = cpuRanges.some(({ r }) => r.until === undefined);
    const cudaRuns = runsOf(cudaOpsets, max, cuda.some((row) => parseOrtOpset(row.opset).until === undefined));
    for (const run of runsOf(cpuOnly, max, openEnded)) {
      const overlapping = cpuRanges.filter(({ r }) => overlaps(r, run, max));
      entries.push({
        op: any.op, domain: any.domain, level: 'degraded', ...range(run), engine: 'cpu-fallback',
        dtypes: sortFamilies(overlapping.flatMap(({ row }) => ortTypeFamilies(row.types))),
        ...(cudaRuns.length > 0 ? { note: `the CUDA provider has kernels for opsets ${cudaRuns.map(show).join(', ')}` } : {}),
        remedy: FALLBACK_REMEDY, effort: 'low', source: ['ort-kernels'],
      });
    }
  }
  return entries;
}

/** com.microsoft: CUDA kernels, CPU-only kernels, and CUDA kernels that only special builds have. */
function contribEntries(k: Knowledge): OpEntryInput[] {
  const entries: OpEntryInput[] = [];
  const onCuda = new Set(k.cudaContrib.map((c) => c.op));
  for (const c of k.cudaContrib) {
    entries.push({
      op: c.op, domain: 'com.microsoft', level: 'supported', ...range(parseOrtOpset(c.opset)), engine: 'cuda',
      dtypes: ortTypeFamilies(c.types), source: ['ort-cuda-contrib'],
    });
  }
  for (const c of k.cpuContrib) {
    if (c.otherEp !== onCuda.has(c.op)) throw new Error(`ort_cpu_contrib_ops.txt: '${c.op}' disagrees with ort_cuda_contrib_ops.txt about its CUDA kernel`);
    if (c.otherEp) continue;
    entries.push({
      op: c.op, domain: 'com.microsoft', level: 'degraded', ...range(parseOrtOpset(c.opset)), engine: 'cpu-fallback',
      dtypes: ortTypeFamilies(c.types), remedy: FALLBACK_REMEDY, effort: 'low', source: ['ort-cpu-contrib'],
    });
  }
  for (const e of k.cudaContribExtras) {
    if (onCuda.has(e.op)) continue;
    const nccl = e.tag === 'NCCL-only';
    entries.push({
      op: e.op, domain: 'com.microsoft', level: nccl ? 'supported' : 'unknown', ...(nccl ? { engine: 'cuda' as const } : {}),
      note: nccl
        ? `a CUDA kernel exists only in onnxruntime builds with ${e.condition.replace(/^#if defined\((\w+)\)$/, '$1')} (multi-GPU, NCCL)`
        : `a CUDA kernel exists only in onnxruntime builds with ${e.condition} (${e.tag})`,
      source: ['ort-cuda-contrib'],
    });
  }
  return entries;
}

/** ORT turns Constant nodes into initializers when it loads a model, so no kernel is listed for it. */
function withConstant(entries: OpEntryInput[]): OpEntryInput[] {
  if (entries.some((e) => e.op === 'Constant' && e.domain === 'ai.onnx')) return entries;
  return [...entries, {
    op: 'Constant', domain: 'ai.onnx', level: 'supported', engine: 'ort-builtin',
    note: 'ONNX Runtime turns Constant nodes into initializers when it loads the model, so OperatorKernels.md lists no kernel for it',
    source: ['ort-kernels'],
  }];
}

function range(r: OpsetRange): { since: number; until?: number } {
  return r.until === undefined ? { since: r.since } : { since: r.since, until: r.until };
}

function overlaps(a: OpsetRange, b: OpsetRange, max: number): boolean {
  return a.since <= (b.until ?? max) && b.since <= (a.until ?? max);
}

function show(r: OpsetRange): string {
  return r.until === undefined ? `${r.since}+` : r.since === r.until ? `${r.since}` : `${r.since}-${r.until}`;
}
