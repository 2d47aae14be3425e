import type { ModelFacts } from '../inspect/facts.js';
import type { TargetPrecision } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import type { ModelAnalysis } from './analyse-model.js';
import type { InterconnectEstimate } from './interconnect.js';
import type { MemoryEstimate } from './memory.js';
import type { Roofline } from './roofline.js';
import type { NotCostedNode, TargetEstimate } from './types.js';
import { append, topN } from '../arrays.js';

/** How many op types and nodes the estimate lists, and how many uncosted nodes it names. */
export const TOP_N = 8;
export const NOT_COSTED_EXAMPLES = 10;

/** Families of real math; int64 / int32 / bool nodes are index and shape arithmetic. */
const MATH_FAMILIES = new Set(['fp64', 'fp32', 'fp16', 'bf16', 'fp8', 'fp4', 'int8', 'int4']);

type Confidence = 'high' | 'medium' | 'low';
const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
const lowest = (list: Confidence[]): Confidence => list.reduce((a, b) => (RANK[b] < RANK[a] ? b : a), 'high');

export interface SummaryInput {
  facts: ModelFacts;
  profile: Profile;
  precision: TargetPrecision;
  analysis: ModelAnalysis;
  timing: Roofline;
  memory: MemoryEstimate;
  interconnect: InterconnectEstimate | undefined;
  kvCacheBytes: number;
  seqLen: number;
  usableFraction: number;
}

/** The parts of an estimate → the serialisable TargetEstimate, with every assumption in words. */
export function summarise(input: SummaryInput): TargetEstimate {
  const { analysis, timing, memory, interconnect } = input;
  const total = timing.seconds;
  const ms = (s: number) => sig(s * 1e3);
  const share = (s: number) => (total > 0 ? round3(s / total) : 0);

  const notCosted = analysis.costs.filter((c) => !c.costed);
  const examples: NotCostedNode[] = notCosted.slice(0, NOT_COSTED_EXAMPLES).map((c) => ({
    name: c.name, opType: c.opType, domain: c.domain, reason: c.reason ?? 'unknown',
  }));

  const topOpTypes = topN(timing.opTypes.filter((t) => t.seconds > 0), TOP_N, (a, b) => b.seconds - a.seconds || cmp(a.domain + a.opType, b.domain + b.opType))
    .map(({ computeSeconds, seconds, ...t }) => ({
      ...t, ms: ms(seconds), share: share(seconds), bound: computeSeconds * 2 > seconds ? 'compute' as const : 'memory' as const,
    }));
  const topNodes = timing.slowest.slice(0, TOP_N).map((n) => ({
    name: n.cost.name, opType: n.cost.opType, domain: n.cost.domain, ms: ms(n.seconds), share: share(n.seconds),
    bound: n.bound, flops: n.flops, bytes: Math.round(n.bytes),
  }));

  const computeBoundShare = share(timing.computeBoundSeconds);
  const costedCount = analysis.costs.length - notCosted.length;
  const confidence = confidenceOf(input, notCosted.length, analysis.costs.length);
  let bottleneck: TargetEstimate['bottleneck'] = costedCount === 0 || total === 0 ? 'unknown' : computeBoundShare >= 0.5 ? 'compute' : 'memory';
  if (interconnect && interconnect.commMsPerInference > interconnect.computeMsPerChip) bottleneck = 'interconnect';

  const estimate: TargetEstimate = {
    latencyMs: ms(total),
    computeBoundShare,
    memoryBoundShare: total > 0 ? round3(1 - computeBoundShare) : 0,
    confidence,
    bottleneck,
    computePrecisions: [...timing.mathFamilies].filter((f) => MATH_FAMILIES.has(f)).sort(),
    flops: timing.flops,
    bytesMoved: Math.round(timing.bytes),
    topOpTypes,
    topNodes,
    nodesCosted: costedCount,
    nodesNotCosted: { count: notCosted.length, examples },
    memory,
    assumptions: assumptionsOf(input, notCosted.length, costedCount),
  };
  if (interconnect) {
    estimate.interconnect = {
      ...interconnect,
      commMsPerInference: sig(interconnect.commMsPerInference),
      computeMsPerChip: sig(interconnect.computeMsPerChip),
      commShare: round3(interconnect.commShare),
      ...(interconnect.commMsPerToken !== undefined ? { commMsPerToken: sig(interconnect.commMsPerToken) } : {}),
    };
  }
  return estimate;
}

/**
 * The lowest confidence among the profile figures used (bandwidth, each peak used, device memory,
 * the link when chips > 1), lowered to medium when some node could not be costed and to low when
 * more than a quarter could not.
 */
function confidenceOf(input: SummaryInput, notCosted: number, total: number): Confidence {
  const hw = input.profile.hardware;
  const used: Confidence[] = [hw.memoryBandwidthTBs.confidence, hw.memoryGiB.confidence];
  for (const p of input.timing.peaks.values()) used.push(p ? p.confidence : 'low');
  if (input.interconnect) used.push(input.interconnect.confidence);
  if (notCosted > 0) used.push(notCosted * 4 > total ? 'low' : 'medium');
  return lowest(used);
}

function assumptionsOf(input: SummaryInput, notCosted: number, costed: number): string[] {
  const { profile, analysis, timing, memory, interconnect, facts } = input;
  const hw = profile.hardware;
  const policy = input.precision;
  const out: string[] = [];
  const peaksUsed = [...new Set([...timing.peaks.entries()]
    .map(([family, p]) => (p ? `${p.family} ${p.tflops} TFLOPS (${p.confidence})` : `${family}: no peak in the profile, compute time not counted`)))]
    .sort();
  out.push(
    `roofline: each node takes max(FLOPs / dense peak, bytes / memory bandwidth) at 100% of ${profile.name}'s figures ` +
      `(${peaksUsed.join(', ') || 'no compute'}; ${hw.memoryBandwidthTBs.value} TB/s, ${hw.memoryBandwidthTBs.confidence}), ` +
      'nodes one after another with no overlap, fusion or launch overhead: a lower bound on latency',
    'matrix and vector math are both timed at the dense matrix peak; elementwise ops are memory-bound either way',
  );
  for (const p of timing.peaks.values()) if (p?.note) out.push(p.note);
  if (timing.conversions.size > 0) {
    const list = [...timing.conversions.entries()].map(([k, n]) => `${k} (${n} nodes)`).sort().join(', ');
    out.push(`precision: ${list} under ${profile.software.compiler}'s default policy ${policy.name}; converted tensors and weights are sized in ${policy.compute}`);
  } else {
    out.push(`precision: computed in the model's own types (the default policy, ${policy.name}, converts none of them)`);
  }
  append(out, analysis.inference.dimNotes);
  out.push(shapeSourceNote(analysis));
  if (notCosted > 0) {
    out.push(`${notCosted} of ${notCosted + costed} nodes could not be costed (see nodesNotCosted): their time is not in the latency`);
  }
  if (facts.controlFlow.length > 0) out.push('If / Loop / Scan subgraphs are not costed: a loop body counts as zero, not once per iteration');
  out.push(
    `memory: weights (every initializer and Constant, in the target's precision) + the peak of live activations over the main graph ` +
      `in topological order (no buffer reuse beyond freeing after the last reader, no workspace) + KV cache; ` +
      `${Math.round(input.usableFraction * 100)}% of ${hw.memoryGiB.value} GiB usable (${hw.memoryGiB.confidence})`,
  );
  if (memory.unsizedValues > 0) out.push(`${memory.unsizedValues} activation(s) of unknown shape are left out of the activation peak`);
  const kv = analysis.structure?.kvCache;
  if (kv) {
    out.push(
      `KV cache: 2 (K, V) · ${kv.layers} layers · batch ${analysis.inference.batch} · seq ${input.seqLen} · ${kv.kvHidden} (kv heads · head size) ` +
        `· bytes per element = ${input.kvCacheBytes} bytes; decoder found by ${kv.detectedBy}; set the context with --seq-len and --batch`,
    );
  }
  if (!interconnect && memory.chipsNeeded > 1) {
    out.push(`${memory.chipsNeeded} chips needed, but the profile gives no ${hw.interconnect.name} bandwidth: their communication is not estimated`);
  }
  if (interconnect) {
    const s = analysis.structure;
    out.push(
      interconnect.scheme === 'megatron-tensor-parallel' && s
        ? `interconnect: Megatron-style tensor parallelism over ${interconnect.chips} chips: 2 all-reduces per layer of ` +
            `${s.tokens} tokens · ${s.hidden} hidden · bytes; ${s.layers} layers found by ${s.detectedBy}; ring all-reduce sends 2·(n−1)/n of each tensor per chip`
        : `interconnect: no transformer layers found; assumed each weighted layer (Conv/MatMul/Gemm) is split by output channels ` +
            `over ${interconnect.chips} chips with one ring all-gather of its output ((n−1)/n per chip)`,
      `interconnect time at 100% of ${hw.interconnect.name}'s ${hw.interconnect.bandwidthGBs.value} GB/s per chip (one direction, ` +
        `${hw.interconnect.bandwidthGBs.confidence}), no per-message latency, no overlap with compute; compute per chip = single-chip latency / chips`,
    );
  }
  return out;
}

/** The note depends on the model alone: counted over its values once, not once per target. */
const shapeSourceNotes = new WeakMap<ModelAnalysis, string>();

function shapeSourceNote(analysis: ModelAnalysis): string {
  let note = shapeSourceNotes.get(analysis);
  if (note === undefined) shapeSourceNotes.set(analysis, (note = countShapeSources(analysis)));
  return note;
}

function countShapeSources(analysis: ModelAnalysis): string {
  const counts = { observed: 0, inferred: 0, value_info: 0 };
  for (const s of analysis.inference.sources.values()) if (s in counts) counts[s as keyof typeof counts] += 1;
  const parts = [`${counts.inferred} inferred statically`];
  if (counts.observed > 0) parts.unshift(`${counts.observed} observed in a run`);
  if (counts.value_info > 0) parts.push(`${counts.value_info} from the model's value_info`);
  return `shapes: ${parts.join(', ')}; ${analysis.constantsRead} small constant tensor(s) read for Reshape/Slice/Resize arguments`;
}

/** Four significant digits: enough for an estimate, stable in a report. */
function sig(x: number): number {
  if (!Number.isFinite(x) || x === 0) return Number.isFinite(x) ? 0 : x;
  return Number(x.toPrecision(4));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
