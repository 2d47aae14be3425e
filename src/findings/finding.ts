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

/**
 * A value a message is built from: a name or note from the model or the profile, a number, or a
 * list of names. Never words of ours ("3 nodes", "and 2 more"): the renderer says those, so that a
 * formatter can highlight or link each value.
 */
export type ArgValue = string | number | string[];
export type FindingArgs = Record<string, ArgValue>;

/** Plain, serialisable data: everything a formatter needs, no prose of ours (see render.ts). */
export interface Finding {
  /** The rule's id, e.g. "op-support". */
  rule: string;
  /** The message code within the rule, e.g. "unsupported-op"; rule/code is stable across releases. */
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
  /** The values the code's message and remedy templates are filled from. */
  args: FindingArgs;
  /**
   * The remedy the target's profile gives for this case (evidence text, not ours); when absent,
   * the rule's remedy template for the code applies (see remedyOf in render.ts).
   */
  remedy?: string;
  effort: EffortClass;
  /** Profile source keys resolved to titles/upstream, e.g. "ATC ONNX parser registrations (hicann/ops-nn ...)". */
  source: string[];
  /** Filled by a run: share of reference time spent in these nodes, 0..1. */
  timeShare?: number;
}

/** Findings list at most this many node references; nodeCount keeps the total. */
export const MAX_NODE_REFS = 20;
