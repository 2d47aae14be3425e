/**
 * What precision emulation takes and returns. A PrecisionResult is plain serialisable data (no
 * NaN, no Infinity: a metric that has no value is null), so it goes into the JSON report as it is.
 */
import type { InputUsed, RunOptions } from '../runtime/types.js';
import type { PrecisionMode, StatedPolicy } from '../profiles/precision-policy.js';

export type { ComputePrecision, PrecisionMode } from '../profiles/precision-policy.js';

/**
 * Pass thresholds. The defaults are msit debug compare's monitor thresholds (Ascend/msit,
 * msquickcmp/net_compare/analyser.py, MONITOR_THRESHOLD): cosine similarity ≥ 0.99, relative
 * Euclidean distance ≤ 0.05, root mean square error ≤ 1.0, mean relative error ≤ 1.0. msit's fifth
 * monitor, KL divergence ≤ 0.005, is not computed here. The optional ones are off unless given.
 * `absoluteTolerance` is port-check's own addition.
 */
export interface Thresholds {
  /**
   * A tensor whose every error is at most this passes whatever its relative metrics say: the
   * cosine of two near-zero tensors (a detection map with nothing detected) measures noise.
   * Default 1e-6.
   */
  absoluteTolerance: number;
  /** Pass when cosine similarity ≥ this. */
  cosine: number;
  /** Pass when ‖emulated − reference‖ / ‖reference‖ ≤ this. */
  relativeEuclidean: number;
  /** Pass when the root mean square error ≤ this. */
  rmse: number;
  /** Pass when the mean relative error ≤ this. */
  meanRelativeError: number;
  maxAbsError?: number;
  maxRelativeError?: number;
  /** For classification-like outputs: pass when the top-1 agreement ≥ this (0..1). */
  top1?: number;
}

export interface PrecisionOptions
  extends Pick<RunOptions, 'dims' | 'shapes' | 'inputs' | 'inputValues' | 'seed' | 'maxInputMB' | 'intraOpNumThreads'> {
  /** Default 'profile'. */
  precision?: PrecisionMode;
  thresholds?: Partial<Thresholds>;
  /** Op types or node names to keep in their own precision, besides the policy's keepOps. */
  keep?: string[];
  /**
   * Emulate on the graph as the target's compiler converts it, after constant folding and
   * Conv+BatchNorm folding (default true); false emulates the graph as exported.
   */
  fold?: boolean;
  /** Compare every intermediate value to find the first that drifts (default true). */
  layerwise?: boolean;
  /**
   * The run found that the model as it is has no CPU kernel for this type (RunResult.reference):
   * the emulation starts from the same fp32 copy instead of trying the model again.
   */
  upcastFrom?: 'BFLOAT16' | 'FLOAT16';
}

/** The policy emulated, as the report states it (resolved in profiles/precision-policy.ts). */
export type EmulatedPolicy = StatedPolicy;

/** How one tensor of the emulated run compares with the reference. */
export interface TensorMetrics {
  elements: number;
  /** Element pairs both finite: the ones the error metrics are computed on. */
  compared: number;
  /** 1 when both are all zero, 0 when only one is. */
  cosine: number;
  maxAbsError: number;
  meanAbsError: number;
  rmse: number;
  /**
   * |emulated − reference| / |reference| over the elements whose |reference| ≥ RELATIVE_ERROR_FLOOR
   * (smaller ones measure fp16's underflow, not the model); null when there are none.
   */
  maxRelativeError: number | null;
  meanRelativeError: number | null;
  /** ‖emulated − reference‖ / ‖reference‖; null when the reference is all zero and the copy is not. */
  relativeEuclidean: number | null;
  reference: ValueStats;
  emulated: ValueStats;
  /** Elements finite in the reference and NaN or ±Inf in the emulated run. */
  newNonFinite: number;
  /** For classification-like tensors: agreement of the top-k classes along the last axis. */
  topK?: TopKAgreement[];
}

export interface ValueStats {
  nan: number;
  inf: number;
  /** Largest finite |value|. */
  maxAbs: number;
}

export interface TopKAgreement {
  k: number;
  /**
   * k = 1: share of rows whose arg-max class is the same. k > 1: mean share of the reference's
   * top-k classes that are also in the emulated top-k.
   */
  agreement: number;
  rows: number;
}

/** One threshold a tensor missed. */
export interface ThresholdMiss {
  metric: 'cosine' | 'relativeEuclidean' | 'rmse' | 'meanRelativeError' | 'maxAbsError' | 'maxRelativeError' | 'top1' | 'newNonFinite' | 'shape';
  value: number;
  threshold: number;
}

export interface OutputComparison {
  name: string;
  dtype: string;
  dims: number[];
  /** Absent when the output could not be compared (a string tensor, a shape that differs). */
  metrics?: TensorMetrics;
  /** skipped: not a numeric tensor, so not compared. */
  verdict: 'pass' | 'fail' | 'skipped';
  /** The thresholds it missed (empty on pass). */
  misses: ThresholdMiss[];
  /** The node that produces it (main graph). */
  node?: NodeAt;
  note?: string;
}

/** A main-graph node, by what a user can find it with. */
export interface NodeAt {
  /** The node's name, or "#index OpType" when it has none. */
  node: string;
  opType: string;
  /**
   * Index in the model's main-graph node list (for a node ONNX Runtime made up while folding, one
   * the model does not have, the index in the folded graph).
   */
  index: number;
  /** Whether the model gives the node a name (ATC's --keep_dtype takes names). */
  named: boolean;
}

/** The first node, in topological order, whose output moves past a threshold. */
export interface FirstDrift extends NodeAt {
  output: string;
  metric: ThresholdMiss['metric'];
  value: number;
  threshold: number;
  cosine: number;
  relativeEuclidean: number | null;
}

export interface LayerDrift extends NodeAt {
  output: string;
  dims: number[];
  cosine: number;
  relativeEuclidean: number | null;
  maxAbsError: number;
}

/**
 * fp16-overflow: the reference run puts values beyond fp16's largest finite value (65504) into a
 * value the policy computes in fp16, or a weight the policy stores in fp16 holds such values.
 * nan-inf: NaN or ±Inf in the emulated run where the reference is finite.
 */
export interface Overflow extends NodeAt {
  kind: 'fp16-overflow' | 'nan-inf';
  /** The value: the node's output, or (with `weight`) a weight the node reads. */
  output: string;
  /** The value is a weight of the node (an initializer, or a Constant's value), not its output. */
  weight?: true;
  /** Elements beyond fp16's range (fp16-overflow) or newly NaN/Inf (nan-inf). */
  count: number;
  elements: number;
  /** Largest finite |value| of the reference run. */
  maxAbs: number;
}

export interface LayerwiseSummary {
  /** Intermediate values compared (float outputs of main-graph nodes, Constant nodes left out). */
  compared: number;
  /** Values that could not be fetched (ONNX Runtime could not expose them). */
  missing: number;
  /** Values not looked at (always 0 since the comparison is one pass; kept for report readers). */
  unvisited: number;
  /** Emulation sessions run (one: the reference and the emulated graph side by side). */
  chunks: number;
  /** Values past a threshold, in all. */
  drifting: number;
  /** The values that moved most (lowest cosine), at most 5. */
  worst: LayerDrift[];
  /** Values (outputs and weights) with each kind of overflow, in all (`overflows` lists at most MAX_OVERFLOW_VALUES of each). */
  overflowValues: Record<Overflow['kind'], number>;
}

export interface PrecisionResult {
  status: 'ok' | 'failed';
  /** Why the emulation did not run or did not finish, in plain words. */
  reason?: string;
  mode: PrecisionMode;
  target: string;
  policy: EmulatedPolicy;
  /** Set when the reference is a faithful fp32 copy of a model whose own types have no CPU kernel. */
  reference?: 'upcast-bf16-to-fp32' | 'upcast-fp16-to-fp32';
  /** What the emulated copy changes, in plain words. */
  emulated: string[];
  /** What it leaves as it is, and why. */
  notEmulated: string[];
  inputs: InputUsed[];
  /** Everything assumed or defaulted. */
  assumptions: string[];
  thresholds: Thresholds;
  outputs: OutputComparison[];
  layerwise?: LayerwiseSummary;
  firstDrift?: FirstDrift;
  /** In topological order; at most MAX_OVERFLOW_VALUES of each kind. */
  overflows: Overflow[];
  /** Lines of an ATC --keep_dtype config file: node names, or OpType::<CANN op> for unnamed nodes. */
  keepDtypeSuggestion: string[];
}
