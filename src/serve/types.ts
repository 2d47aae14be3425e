import type { LlmSpec } from './llm-spec.js';
import type { ServeRequest, ServingPrecision } from './serve-request.js';

/** What limits a time: the chip's peak, its memory bandwidth, or the chip-to-chip link. */
export type Bound = 'compute' | 'memory' | 'link';

export interface StepTimes {
  computeMs: number;
  memoryMs: number;
  linkMs: number;
}

export interface CurvePoint {
  batch: number;
  tpotMs: number;
  tokensPerSecondPerChip: number;
  /** Whether this batch's KV cache fits the instance's chips. */
  fits: boolean;
}

export interface ServingLayout {
  chips: number;
  tp: number;
  ep: number;
  pp: number;
  stage: number;
  scheme: 'tensor-parallel' | 'expert-parallel';
}

/** One target's serving plan: plain data for the JSON report, each figure beside its bound. */
export interface TargetServingPlan {
  target: string;
  name: string;
  precision: { weights: ServingPrecision; kv: ServingPrecision; supported: ServingPrecision[]; linearTflops: number; attentionTflops: number; note?: string };
  /** The lowest confidence of the profile figures the plan uses. */
  confidence: 'high' | 'medium' | 'low';
  weightsBytes: number;
  kvBytesPerToken: number;
  kvBytesPerSequence: number;
  /** The fewest chips that hold the weights and the batch's KV cache. */
  memoryChips: number;
  layout: ServingLayout;
  memoryPerChipBytes: number;
  usableBytesPerChip: number;
  fits: boolean;
  /** Sequences of context + output tokens one chip holds beside its weights, in this layout. */
  sequencesPerChip: number;
  prefill: { tokens: number; ms: number; computeMs: number; memoryMs: number; bound: 'compute' | 'memory'; tokensPerSecondPerChip: number };
  decode: StepTimes & { batch: number; tpotMs: number; tokensPerSecond: number; tokensPerSecondPerChip: number; bound: Bound };
  collectives: {
    link: string;
    topology: string;
    domainChips: number;
    bandwidthGBs: number;
    confidence: 'high' | 'medium' | 'low';
    source?: string;
    kind: 'all-to-all dispatch + combine' | 'two all-reduces';
    degree: number;
    perTokenPerLayerUs: number;
  };
  /** With --tpot-ms: the fewest chips (from memoryChips up) whose TPOT meets it. */
  forTpot?:
    | { targetMs: number; reachable: true; chips: number; tpotMs: number; layout: ServingLayout }
    | { targetMs: number; reachable: false; tpotMs: number; bound: Bound };
  /** With throughput=T: instances and chips for T output tokens/s. */
  forThroughput?: { tokensPerSecond: number; instances: number; chips: number };
  /** TPOT and tokens/s per chip against batch at this layout (the chart). */
  curve: CurvePoint[];
  assumptions: string[];
}

/** The serving plan of one LLM: what it is, what was asked, and a plan per target. */
export interface ServingPlan {
  llm: LlmSpec;
  request: ServeRequest;
  targets: TargetServingPlan[];
  /** Targets that could not be planned, with why. */
  skipped: { target: string; reason: string }[];
}
