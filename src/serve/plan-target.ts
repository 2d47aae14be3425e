import { USABLE_MEMORY_FRACTION } from '../estimate/memory.js';
import type { Profile } from '../profiles/schema.js';
import type { LlmSpec } from './llm-spec.js';
import type { ServeRequest } from './serve-request.js';
import { BYTES, resolvePrecision, type ResolvedPrecision } from './serving-precision.js';
import type { Bound, CurvePoint, StepTimes, TargetServingPlan } from './types.js';

/**
 * The serving plan of one LLM on one target: a roofline, so every time is a lower bound and every
 * rate an upper bound (a measured figure above it means the model or the profile is wrong).
 *
 * Layout. One instance spans `chips` = pp · s chips: s inside one scale-up domain, pp pipeline
 * stages across domains only when one domain cannot hold it. A mixture of experts keeps its dense
 * part (attention, dense MLPs, shared experts) on every chip, data-parallel over the sequences,
 * and spreads the routed experts over the s chips (expert parallel: a dispatch and a combine
 * all-to-all per MoE layer), as DeepSeek's and CloudMatrix384's deployments do, when that fits;
 * otherwise, and for a dense model, everything is tensor-parallel over the s chips (two
 * all-reduces of the hidden states per layer; MLA's latent cache is kept whole on each chip).
 *
 * Decode step (one token for each of the b sequences on a stage; pp microbatches of B/pp):
 *   compute = tokens · (2 · active parameters at the serving peak + attention FLOPs over the
 *             average KV length at the bf16 peak) / chips
 *   memory  = (weights the step touches + the KV cache it reads) / chips / HBM bandwidth; a MoE
 *             layer touches E · (1 − (1 − k/E)^b) of its experts
 *   link    = the step's collectives / the scale-up link's bandwidth
 *   TPOT    = pp · max(compute, memory, link): full overlap, 100% of every peak.
 * Prefill of C tokens: max(FLOPs / all chips' peak, weights read once / their bandwidth).
 */
const ACTIVATION_BYTES = 2;
const MAX_SEARCH_CHIPS = 1 << 16;
const CURVE_BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];

interface Hardware {
  bandwidth: number;
  usable: number;
  link: number;
  domain: number;
}

export function planTarget(spec: LlmSpec, request: ServeRequest, profile: Profile): TargetServingPlan | string {
  const precision = resolvePrecision(profile, request.precision, request.kv);
  if (typeof precision === 'string') return precision;
  const hw = hardwareOf(profile);
  const wb = BYTES[precision.weights];
  const kvTok = spec.kvElementsPerToken * BYTES[precision.kv];
  const kvSeq = kvTok * (request.context + request.output);
  const weightsBytes = spec.parameters.total * wb;
  const memoryChips = chipsForMemory(spec, request.batch, wb, kvSeq, hw);
  if (memoryChips === undefined) {
    return `${spec.name} (${gb(weightsBytes)} GB of ${precision.weights} weights) with ${request.batch} sequences of ${request.context + request.output} tokens does not fit ${MAX_SEARCH_CHIPS} ${profile.name} chips`;
  }
  const fit = { wb, kvSeq, batch: request.batch };
  const layout = layoutOf(spec, Math.max(request.chips ?? memoryChips, 1), hw, fit);
  // Stages of equal size: 9 chips over 8-chip domains are 2 stages of 5.
  const chips = layout.pp * layout.stage;
  const decode = decodeAt(spec, request, precision, hw, layout, request.batch);
  const perChip = perChipBytes(spec, wb, kvSeq, request.batch, layout);
  const prefill = prefillOf(spec, request.context, precision, hw, chips, weightsBytes);
  const plan: TargetServingPlan = {
    target: profile.id,
    name: profile.name,
    precision: {
      weights: precision.weights, kv: precision.kv, supported: precision.supported,
      linearTflops: precision.linearTflops, attentionTflops: precision.attentionTflops,
      ...(precision.note !== undefined && { note: precision.note }),
    },
    confidence: lowest([precision.confidence, profile.hardware.memoryBandwidthTBs.confidence, profile.hardware.memoryGiB.confidence, linkConfidence(profile)]),
    weightsBytes,
    kvBytesPerToken: kvTok,
    kvBytesPerSequence: kvSeq,
    memoryChips,
    layout: { chips, ...layout },
    memoryPerChipBytes: perChip.weights + perChip.kv,
    usableBytesPerChip: hw.usable,
    fits: perChip.weights + perChip.kv <= hw.usable,
    sequencesPerChip: sequencesPerChip(spec, wb, kvSeq, layout, hw),
    prefill,
    decode,
    collectives: collectivesOf(spec, profile, hw, layout),
    curve: curveOf(spec, request, precision, hw, layout, wb, kvSeq),
    assumptions: assumptionsFor(spec, request, precision, profile, hw, layout),
  };
  if (request.tpotMs !== undefined) plan.forTpot = chipsForTpot(spec, request, precision, hw, memoryChips, request.tpotMs, fit);
  if (request.throughput !== undefined) {
    const instances = Math.ceil(request.throughput / decode.tokensPerSecond);
    plan.forThroughput = { tokensPerSecond: request.throughput, instances, chips: instances * chips };
  }
  return plan;
}

function hardwareOf(profile: Profile): Hardware {
  const hw = profile.hardware;
  const up = hw.scaleUp;
  return {
    bandwidth: hw.memoryBandwidthTBs.value * 1e12,
    usable: hw.memoryGiB.value * 1024 ** 3 * USABLE_MEMORY_FRACTION,
    link: (up?.bandwidthGBs.value ?? hw.interconnect.bandwidthGBs.value) * 1e9,
    domain: Math.max(1, Math.floor(up?.chips.value ?? 8)),
  };
}

function linkConfidence(profile: Profile): 'high' | 'medium' | 'low' {
  return (profile.hardware.scaleUp?.bandwidthGBs ?? profile.hardware.interconnect.bandwidthGBs).confidence;
}

interface Layout {
  tp: number;
  ep: number;
  pp: number;
  /** Chips per pipeline stage (inside one scale-up domain). */
  stage: number;
  scheme: 'tensor-parallel' | 'expert-parallel';
}

/**
 * The layout of `chips`: a mixture of experts keeps its dense part on every chip when that fits
 * (expert parallel); otherwise, and for a dense model, everything is split tensor-parallel.
 */
function layoutOf(spec: LlmSpec, chips: number, hw: Hardware, fit?: { wb: number; kvSeq: number; batch: number }): Layout {
  const pp = Math.ceil(chips / hw.domain);
  const stage = Math.ceil(chips / pp);
  const expert: Layout = { tp: 1, ep: stage, pp, stage, scheme: 'expert-parallel' };
  const tensor: Layout = { tp: stage, ep: 1, pp, stage, scheme: 'tensor-parallel' };
  if (!spec.moe) return tensor;
  if (!fit) return expert;
  const b = perChipBytes(spec, fit.wb, fit.kvSeq, fit.batch, expert);
  return b.weights + b.kv <= hw.usable ? expert : tensor;
}

function denseBytes(spec: LlmSpec, wb: number): number {
  return (spec.parameters.total - spec.parameters.routedExperts) * wb;
}

/** Tensor parallel splits KV heads over the chips; MLA's latent is shared by all heads, so every chip keeps it whole. */
function kvSplit(spec: LlmSpec, l: Layout): number {
  return l.scheme === 'tensor-parallel' && !spec.mla ? l.stage : 1;
}

/** Weights and KV cache on one chip with `batch` sequences of `kvSeq` bytes each. */
function perChipBytes(spec: LlmSpec, wb: number, kvSeq: number, batch: number, l: Layout): { weights: number; kv: number } {
  if (l.scheme === 'expert-parallel') {
    return {
      weights: denseBytes(spec, wb) / l.pp + (spec.parameters.routedExperts * wb) / (l.pp * l.stage),
      kv: (Math.ceil(batch / l.stage) * kvSeq) / l.pp,
    };
  }
  return { weights: (spec.parameters.total * wb) / (l.pp * l.stage), kv: (batch * kvSeq) / (l.pp * kvSplit(spec, l)) };
}

function chipsForMemory(spec: LlmSpec, batch: number, wb: number, kvSeq: number, hw: Hardware): number | undefined {
  for (let chips = 1; chips <= MAX_SEARCH_CHIPS; chips = chips < 64 ? chips + 1 : Math.ceil(chips * 1.05)) {
    const l = layoutOf(spec, chips, hw, { wb, kvSeq, batch });
    const b = perChipBytes(spec, wb, kvSeq, batch, l);
    if (b.weights + b.kv <= hw.usable) return chips;
  }
  return undefined;
}

function sequencesPerChip(spec: LlmSpec, wb: number, kvSeq: number, l: Layout, hw: Hardware): number {
  const free = hw.usable - perChipBytes(spec, wb, kvSeq, 0, l).weights;
  if (free <= 0) return 0;
  // KV per sequence on one chip: the stage's layers, and the chip's share of the heads under tensor parallel.
  return Math.floor(free / (kvSeq / (l.pp * kvSplit(spec, l))));
}

function stepTimes(spec: LlmSpec, request: ServeRequest, p: ResolvedPrecision, hw: Hardware, l: Layout, b: number): StepTimes {
  const kvLen = request.context + request.output / 2;
  const wb = BYTES[p.weights];
  const kvTok = spec.kvElementsPerToken * BYTES[p.kv];
  const chipsOfStage = l.stage;
  const linearFlops = (b * 2 * spec.parameters.activePerToken) / l.pp;
  const attentionFlops = (b * spec.attentionFlopsPerPair.decode * kvLen) / l.pp;
  const computeMs = ((linearFlops / (p.linearTflops * 1e12) + attentionFlops / (p.attentionTflops * 1e12)) / chipsOfStage) * 1e3;
  const layers = spec.layers / l.pp;
  const routed = spec.parameters.routedExperts * wb;
  // A MoE layer touches E · (1 − (1 − k/E)^b) of its experts; a dense model has none.
  const touched = spec.moe ? 1 - Math.pow(1 - spec.moe.perToken / spec.moe.experts, b) : 0;
  let weightBytes: number;
  let linkBytes: number;
  if (l.scheme === 'expert-parallel') {
    const { perToken, moeLayers } = spec.moe!;
    weightBytes = denseBytes(spec, wb) / l.pp + (routed * touched) / (l.pp * chipsOfStage);
    const tokensPerChip = b / chipsOfStage;
    linkBytes = 2 * tokensPerChip * perToken * spec.hidden * ACTIVATION_BYTES * ((chipsOfStage - 1) / chipsOfStage) * (moeLayers / l.pp);
  } else {
    weightBytes = (denseBytes(spec, wb) + routed * touched) / (l.pp * chipsOfStage);
    linkBytes = layers * 2 * 2 * ((chipsOfStage - 1) / chipsOfStage) * b * spec.hidden * ACTIVATION_BYTES;
  }
  const kvBytes = (b * kvLen * kvTok) / (l.pp * (l.scheme === 'expert-parallel' ? chipsOfStage : kvSplit(spec, l)));
  return {
    computeMs,
    memoryMs: ((weightBytes + kvBytes) / hw.bandwidth) * 1e3,
    linkMs: chipsOfStage > 1 ? (linkBytes / hw.link) * 1e3 : 0,
  };
}

function decodeAt(spec: LlmSpec, request: ServeRequest, p: ResolvedPrecision, hw: Hardware, l: Layout, batch: number): TargetServingPlan['decode'] {
  const chips = l.pp * l.stage;
  const micro = Math.max(1, Math.ceil(batch / l.pp));
  // A token passes every stage once: each stage's tick, pp times over.
  const tick = stepTimes(spec, request, p, hw, l, micro);
  const t = { computeMs: tick.computeMs * l.pp, memoryMs: tick.memoryMs * l.pp, linkMs: tick.linkMs * l.pp };
  const { ms: tpotMs, bound } = slowest(t);
  const tokensPerSecond = batch / (tpotMs / 1e3);
  return { batch, tpotMs, tokensPerSecond, tokensPerSecondPerChip: tokensPerSecond / chips, bound, ...t };
}

function slowest(t: StepTimes): { ms: number; bound: Bound } {
  if (t.computeMs >= t.memoryMs && t.computeMs >= t.linkMs) return { ms: t.computeMs, bound: 'compute' };
  return t.memoryMs >= t.linkMs ? { ms: t.memoryMs, bound: 'memory' } : { ms: t.linkMs, bound: 'link' };
}

function prefillOf(spec: LlmSpec, context: number, p: ResolvedPrecision, hw: Hardware, chips: number, weightsBytes: number): TargetServingPlan['prefill'] {
  // Causal attention: token i attends to i earlier tokens, C²/2 pairs in all.
  const linear = context * 2 * spec.parameters.activePerToken;
  const attention = (spec.attentionFlopsPerPair.prefill * context * context) / 2;
  const computeMs = ((linear / (p.linearTflops * 1e12) + attention / (p.attentionTflops * 1e12)) / chips) * 1e3;
  const memoryMs = (weightsBytes / chips / hw.bandwidth) * 1e3;
  const ms = Math.max(computeMs, memoryMs);
  return {
    tokens: context, ms, computeMs, memoryMs, bound: computeMs >= memoryMs ? 'compute' : 'memory',
    tokensPerSecondPerChip: context / (ms / 1e3) / chips,
  };
}

function collectivesOf(spec: LlmSpec, profile: Profile, hw: Hardware, l: Layout): TargetServingPlan['collectives'] {
  const up = profile.hardware.scaleUp;
  const degree = Math.max(2, l.stage);
  const ring = (degree - 1) / degree;
  const expert = l.scheme === 'expert-parallel';
  // Expert parallel: each token's hidden state goes to k experts and back; tensor parallel: two ring all-reduces.
  const perToken = expert
    ? (2 * spec.moe!.perToken * spec.hidden * ACTIVATION_BYTES * ring) / hw.link
    : (2 * 2 * ring * spec.hidden * ACTIVATION_BYTES) / hw.link;
  return {
    link: up?.name ?? profile.hardware.interconnect.name,
    topology: up?.topology ?? 'not given by the profile',
    domainChips: hw.domain,
    bandwidthGBs: hw.link / 1e9,
    confidence: linkConfidence(profile),
    ...(up?.bandwidthGBs.note !== undefined && { source: up.bandwidthGBs.note }),
    kind: expert ? 'all-to-all dispatch + combine' : 'two all-reduces',
    degree,
    perTokenPerLayerUs: perToken * 1e6,
  };
}

function curveOf(spec: LlmSpec, request: ServeRequest, p: ResolvedPrecision, hw: Hardware, l: Layout, wb: number, kvSeq: number): CurvePoint[] {
  const batches = [...new Set([...CURVE_BATCHES.filter((b) => b <= Math.max(request.batch * 4, 64)), request.batch])].sort((a, b) => a - b);
  return batches.map((batch) => {
    const d = decodeAt(spec, request, p, hw, l, batch);
    const bytes = perChipBytes(spec, wb, kvSeq, batch, l);
    return { batch, tpotMs: d.tpotMs, tokensPerSecondPerChip: d.tokensPerSecondPerChip, fits: bytes.weights + bytes.kv <= hw.usable };
  });
}

function chipsForTpot(
  spec: LlmSpec, request: ServeRequest, p: ResolvedPrecision, hw: Hardware, from: number, target: number, fit: { wb: number; kvSeq: number; batch: number },
): NonNullable<TargetServingPlan['forTpot']> {
  let best: TargetServingPlan['decode'] | undefined;
  for (let chips = from; chips <= MAX_SEARCH_CHIPS; chips = chips < 64 ? chips + 1 : Math.ceil(chips * 1.05)) {
    const layout = layoutOf(spec, chips, hw, fit);
    const d = decodeAt(spec, request, p, hw, layout, request.batch);
    if (!best || d.tpotMs < best.tpotMs) best = d;
    const used = layout.pp * layout.stage;
    if (d.tpotMs <= target) return { targetMs: target, reachable: true, chips: used, tpotMs: d.tpotMs, layout: { chips: used, ...layout } };
  }
  return { targetMs: target, reachable: false, tpotMs: best!.tpotMs, bound: best!.bound };
}

function assumptionsFor(spec: LlmSpec, request: ServeRequest, p: ResolvedPrecision, profile: Profile, hw: Hardware, l: Layout): string[] {
  return [
    `roofline at 100% of ${profile.name}'s peaks with compute, memory and link fully overlapped: times are lower bounds, rates upper bounds`,
    `linear layers at the ${p.weights === 'int4' ? 'bf16' : p.weights} peak (${p.linearTflops} ${p.weights === 'int8' ? 'TOPS' : 'TFLOPS'}), attention at the bf16 peak (${p.attentionTflops} TFLOPS)${p.weights === 'int4' ? '; int4 is weight-only (W4A16): it halves the bytes, not the math' : ''}`,
    `serving precisions ${profile.name} supports: ${p.supported.join(', ')}`,
    `${Math.round(USABLE_MEMORY_FRACTION * 100)}% of ${profile.hardware.memoryGiB.value} GiB usable per chip for weights and KV cache; activations and the runtime use the rest`,
    `decode reads each sequence's KV cache at its average length, context + output/2 = ${request.context + request.output / 2} tokens`,
    l.scheme === 'expert-parallel'
      ? `expert parallel: the dense part (attention, dense MLPs, shared experts) on every chip, data-parallel over the sequences; the ${spec.moe!.experts} routed experts spread over the stage's chips; tokens routed uniformly (k/E per expert), load balanced`
      : `tensor parallel: weights and heads split evenly${spec.mla ? ", MLA's latent KV cache whole on every chip" : ', the KV cache split by heads (KV heads fewer than the degree would be replicated: not counted)'}${spec.moe ? '; experts sliced over the chips, tokens routed uniformly' : ''}`,
    ...(l.pp > 1 ? [`${l.pp} pipeline stages across scale-up domains with ${l.pp} microbatches in flight: TPOT is ${l.pp} stage times; expert or tensor parallelism over the slower scale-out network is not planned`] : []),
    `collectives in bf16 on the scale-up link (${hw.link / 1e9} GB/s per chip each way, ${hw.domain} chips per domain), no per-message latency; pipeline stages cross domains and their hops are not counted`,
  ];
}

function lowest(levels: ('high' | 'medium' | 'low')[]): 'high' | 'medium' | 'low' {
  return levels.includes('low') ? 'low' : levels.includes('medium') ? 'medium' : 'high';
}

function gb(bytes: number): string {
  return (bytes / 1e9).toFixed(1);
}
