import type { Finding, Severity, SupportLevel } from '../checks/finding.js';
import type { GraphPartitions } from '../checks/partition-graph.js';
import type { OpTableRow } from '../checks/op-table.js';
import type { TargetEstimate } from '../estimate/types.js';
import type { PrecisionResult } from '../precision/types.js';
import type { BlockerTime } from '../runtime/time-share.js';
import type { RunResult } from '../runtime/types.js';

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
  /** With --run: the target's precision policy emulated on ONNX Runtime's CPU provider (part 3). */
  precision?: PrecisionResult;
  /** Speed, memory and chip-count estimate on the target's peaks (part 5). */
  estimate?: TargetEstimate;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'port-check'; version: string };
  model: ModelSummary;
  targets: TargetReport[];
  /** With --run: what the real run on ONNX Runtime measured (part 2). */
  run?: RunResult & { blockerTimeShare?: BlockerTime };
}

/** Several models in one run (JSON output of a multi-model run, and of `port-check merge`). */
export interface ReportSet {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'port-check'; version: string };
  reports: Report[];
}
