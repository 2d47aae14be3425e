import type { Finding, Severity, SupportLevel } from '../findings/finding.js';
import type { GraphPartitions } from '../assess/partition-graph.js';
import type { OpTableRow } from '../assess/op-table.js';
import type { TargetEstimate } from '../estimate/types.js';
import type { PrecisionResult } from '../precision/types.js';
import type { BlockerTime } from '../runtime/time-share.js';
import type { RunResult } from '../runtime/types.js';
import type { ServingPlan } from '../serve/types.js';

export const REPORT_SCHEMA_VERSION = 1;

/** Whether the model will run on a target as it is. */
export type Verdict =
  /** Nothing to port. */
  | 'ready'
  /** Runs, with degraded ops or precisions worth reviewing. */
  | 'runs-with-changes'
  /** Some ops or features must be ported before it runs. */
  | 'blocked'
  /** Evidence is missing for some ops: could not tell. */
  | 'unknown';

export interface ModelSummary {
  path: string;
  fileBytes: number;
  irVersion: number;
  producer: string;
  opsets: Record<string, number>;
  nodeCount: number;
  /** Nodes in subgraphs and functions included. */
  graphCount: number;
  opTypeCount: number;
  parameterCount: number;
  parameterBytes: number;
  externalDataBytes: number;
  inputs: { name: string; dtype?: string; dims?: (number | string | null)[] }[];
  outputs: { name: string; dtype?: string; dims?: (number | string | null)[] }[];
  dtypes: string[];
  customDomains: string[];
}

/** One of the target's published hardware figures, as the profile records it, with how far to trust it. */
export interface HardwareFigure {
  /** What it is, in words: "Device memory", "Peak fp16", "Interconnect (HCCS)". */
  name: string;
  value: number;
  /** "GiB", "TB/s", "TFLOPS", "TOPS", "GB/s", "W". */
  unit: string;
  confidence: 'high' | 'medium' | 'low';
  /** The sources behind it, resolved as findings' are ("title (upstream; file)"). */
  source: string[];
  note?: string;
}

export interface TargetReport {
  id: string;
  name: string;
  verdict: Verdict;
  counts: Record<Severity, number>;
  levels: Record<SupportLevel, number>;
  /** Op coverage: distinct (domain, op) types by level. */
  opCoverage: Record<SupportLevel, number>;
  /**
   * The versions the target's evidence reflects (toolkit releases, source commits), from its profile.
   * Absent in reports written before the op table existed (as are `ops` and `partitions`).
   */
  evidence?: { component: string; version?: string; commit?: string; date?: string }[];
  /** Every op type of the model on this target: level, engine, the target's op type and the evidence. */
  ops?: OpTableRow[];
  /** The partitions the target cuts the main graph into (device ↔ host-side islands) and what crosses. */
  partitions?: GraphPartitions;
  findings: Finding[];
  /**
   * Findings a baseline (`--baseline FILE`) matched: known before, so they do not count towards
   * the exit code or `counts`. Absent when no baseline was applied.
   */
  suppressed?: Finding[];
  /** With --run: the target's precision policy emulated on ONNX Runtime's CPU provider. */
  precision?: PrecisionResult;
  /** Speed, memory and chip-count estimate on the target's peaks. */
  estimate?: TargetEstimate;
  /** The profile's hardware figures the estimate rests on, each with its confidence and sources. */
  hardware?: HardwareFigure[];
  /** Engineer-days per finding of each effort class, and where the figures come from (report/effort.ts totals them). */
  effortRates?: EffortRates;
}

export interface EffortRates {
  days: Record<'low' | 'medium' | 'high', [number, number]>;
  /** Where the rates come from, in words: the profile's defaults or the config file. */
  basis: string;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'port-check'; version: string };
  model: ModelSummary;
  /** Set when the model file could not be read (one of several checked): why; see report/load-error.ts. */
  loadError?: string;
  targets: TargetReport[];
  /** With --run: what the real run on ONNX Runtime measured. */
  run?: RunResult & { blockerTimeShare?: BlockerTime };
  /** With --serve: the LLM serving plan per target (prefill, decode, KV cache, parallelism, chips). */
  serving?: ServingPlan;
}

/** `port-check --llm-config FILE` without a model: the serving plan alone. */
export interface ServingReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'port-check'; version: string };
  serving: ServingPlan;
}

/**
 * A finding as the JSON report writes it: the data plus its words, rendered from the rule registry
 * for tools that do not render (see json.ts). Reading a JSON report back gives these.
 */
export interface RenderedFinding extends Finding {
  message: string;
  remedy: string;
}

export type JsonTargetReport = Omit<TargetReport, 'findings' | 'suppressed'> & {
  findings: RenderedFinding[];
  suppressed?: RenderedFinding[];
};

/** The JSON file of one model: a Report with its findings' words rendered. */
export type JsonReport = Omit<Report, 'targets'> & { targets: JsonTargetReport[] };

/** Several models in one run (JSON output of a multi-model run, and of `port-check merge`). */
export interface ReportSet {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'port-check'; version: string };
  reports: Report[];
}
