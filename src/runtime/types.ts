/**
 * What the run stage takes and returns. A RunResult is plain serialisable data: it goes into the
 * JSON report as it is.
 */

/** Execution providers the run stage knows how to probe. */
export type ProviderName = 'cpu' | 'cuda' | 'tensorrt' | 'webgpu';

export const PROVIDER_NAMES: readonly ProviderName[] = ['cpu', 'cuda', 'tensorrt', 'webgpu'];

export interface ProviderStatus {
  name: ProviderName;
  /**
   * ok: a session was created on it. absent: this onnxruntime-node build does not list it.
   * unavailable: listed, but creating a session failed (missing libraries, no device...).
   */
  status: 'ok' | 'absent' | 'unavailable';
  /** Why it is not usable, in plain words. */
  reason?: string;
  /** How to get it, when it is not usable. */
  howTo?: string;
}

export interface RunOptions {
  /** Providers to run on; default: every provider the probe finds working. */
  backends?: ProviderName[];
  /** Value per symbolic dim name (`--dim name=value`). */
  dims?: Record<string, number>;
  /** Full shape per input name (`--shape input=1x3x224x224`); wins over dims. */
  shapes?: Record<string, number[]>;
  /** Input name → .npy or .json file with real data (`--input name=FILE`). */
  inputs?: Record<string, string>;
  /** Input name → one value that fills the input (`--input-value sr=16000`). */
  inputValues?: Record<string, number>;
  /** Seed of the synthesised inputs (default 1). */
  seed?: number;
  /** Timed iterations after the warm-up (default 10). */
  iterations?: number;
  /** Untimed runs before the timed ones (default 1). */
  warmup?: number;
  /** Refuse inputs larger than this in total (default 512 MB). */
  maxInputMB?: number;
  /** Per-op profile from ONNX Runtime's profiler (default true). */
  profile?: boolean;
  /** Observed shape and dtype of every main-graph value (default true). */
  observeShapes?: boolean;
  /** At most this many observed values are kept in the result (default 5000). */
  maxObservedValues?: number;
  /** Graph optimisation of the timed session (default 'all', as ONNX Runtime's own default). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Intra-op threads (default: ONNX Runtime's choice, one per physical core). */
  intraOpNumThreads?: number;
}

export type InputSource = 'synthesised' | 'file' | 'value';

export interface InputUsed {
  name: string;
  dtype: string;
  dims: number[];
  source: InputSource;
  /** For a file: its path; for synthesised data: how the values were drawn. */
  detail: string;
}

export interface LatencyStats {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export interface OpTypeShare {
  opType: string;
  domain: string;
  /** Mean time per run spent in nodes of this type. */
  ms: number;
  /** Share of all node time, 0..1. */
  share: number;
  nodeCount: number;
  /** Execution providers that ran these nodes (e.g. CPUExecutionProvider). */
  providers: string[];
}

export interface NodeTime {
  name: string;
  opType: string;
  domain: string;
  provider: string;
  /** Mean time per run. */
  ms: number;
}

export interface BackendRun {
  provider: ProviderName;
  status: 'ok' | 'failed';
  /** Why it failed, in plain words. */
  reason?: string;
  sessionMs?: number;
  iterations?: number;
  latencyMs?: LatencyStats;
  /** The process's peak resident set size after this backend's runs (a high-water mark). */
  peakRssMB?: number;
  /** Sorted by time, largest first. */
  opTypeShares?: OpTypeShare[];
  /** Sum of the mean node times of a profiled run (ms). */
  profiledNodeMs?: number;
  /** Per-node times, the slowest first, at most MAX_NODE_TIMES (nodeTimesTotal tells how many there were). */
  nodeTimes?: NodeTime[];
  nodeTimesTotal?: number;
}

export interface ObservedShape {
  dtype: string;
  dims: number[];
}

export interface ObservedShapes {
  /** The provider the shapes were observed on. */
  provider: ProviderName;
  /** Value name → dtype and dims, for main-graph values (subgraph values cannot be model outputs). */
  values: Record<string, ObservedShape>;
  /** Values that were asked for; `values` holds at most maxObservedValues of them. */
  requested: number;
  /** Values ONNX Runtime could not expose (type inference failed, or not a tensor). */
  missing: string[];
  /** How many came from the profiled run (ONNX Runtime's profiler records each node's output shapes). */
  fromProfile: number;
  /** Sessions created on rewritten copies to observe the rest (fetched in bounded chunks). */
  chunks: number;
}

export interface RunResult {
  /** ok: at least one backend ran; failed: none did (reason says why). */
  status: 'ok' | 'failed';
  reason?: string;
  /** Set when the run used a faithful rewrite of the model rather than the model itself. */
  reference?: 'upcast-bf16-to-fp32' | 'upcast-fp16-to-fp32';
  onnxruntimeVersion?: string;
  providers: ProviderStatus[];
  backends: BackendRun[];
  inputs: InputUsed[];
  observedShapes?: ObservedShapes;
  /** Everything the run assumed or defaulted, in plain words. */
  assumptions: string[];
}

/** Per-node times kept in a BackendRun; the op-type shares still cover every node. */
export const MAX_NODE_TIMES = 2000;
