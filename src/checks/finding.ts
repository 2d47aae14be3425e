import type { EffortClass, SupportLevel } from '../profiles/schema.js';

export type Severity = 'error' | 'warning' | 'info';
export type { EffortClass, SupportLevel };

/** One node a finding concerns: its name (or a stand-in like "#12 Conv" when unnamed) and graph path. */
export interface NodeRef {
  name: string;
  /** Graph path, e.g. "main" or "main/Loop_3.body". */
  graph: string;
  index: number;
}

/** Plain, serialisable data: everything a reporter needs, nothing it must compute. */
export interface Finding {
  /** The check's id, e.g. "op-support". */
  rule: string;
  /** The message id within the rule, e.g. "unsupported-op"; rule/code is stable across releases. */
  code: string;
  severity: Severity;
  level: SupportLevel;
  /** The op type (or dtype / feature name for non-op findings). */
  op?: string;
  domain?: string;
  /** The opset the model imports for `domain`. */
  opset?: number;
  /** How many nodes it concerns, and the first few (bounded, see MAX_NODE_REFS). */
  nodeCount: number;
  nodes: NodeRef[];
  /** Words for a person, from the check's message template and args. */
  message: string;
  remedy: string;
  effort: EffortClass;
  /** Profile source keys resolved to titles/upstream, e.g. "ATC ONNX parser registrations (hicann/ops-nn ...)". */
  source: string[];
  /** The values the message was built from. */
  args: Record<string, string | number>;
  /** Filled by a run (part 2): share of reference time spent in these nodes, 0..1. */
  timeShare?: number;
}

/** Findings list at most this many node references; nodeCount keeps the total. */
export const MAX_NODE_REFS = 20;

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
