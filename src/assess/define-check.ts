import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR } from '../onnx/ir.js';
import type { TargetPrecision } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import type { Finding } from '../findings/finding.js';
import { defineRule, type FindingInput, type Rule, type RuleDef } from '../findings/rule.js';
import { describeSources } from '../findings/sources.js';
import type { OpTableRow } from './op-table.js';
import type { GraphPartitions } from './partition-graph.js';

export interface CheckContext {
  model: ModelIR;
  facts: ModelFacts;
  profile: Profile;
  /** The target's precision under its compiler's default policy (profiles/precision-policy.ts). */
  precision: TargetPrecision;
  /**
   * The memory one inference needs on the target: the estimate's one figure (estimate/memory
   * targetMemory), which check() computes before the checks run. Without it, memory-fit says nothing.
   */
  memory?: MemoryNeed;
  /**
   * The target's op table and the partitions it cuts the graph into, which check() computes once
   * per target for the report; a check that needs them reads these rather than cutting the graph again.
   * Without them (a check driven alone), the check computes its own.
   */
  ops?: OpTableRow[];
  partitions?: GraphPartitions;
}

/** What memory-fit reads of the estimate's MemoryEstimate (a later stage, so only its shape is named here). */
export interface MemoryNeed {
  weightsBytes: number;
  activationBytes: number;
  kvCacheBytes: number;
  totalBytes: number;
  deviceBytes: number;
  fits: boolean;
  chipsNeeded: number;
}

/** What a check returns for one finding: its code and FindingInput, with the profile's source keys. */
export interface RawFinding<Code extends string> extends Omit<FindingInput, 'source'> {
  code: Code;
  /** Profile source keys; defineCheck resolves them to text. */
  source: string[];
}

export interface CheckDefinition<Code extends string> extends Omit<RuleDef<Code>, 'stage'> {
  run(ctx: CheckContext): RawFinding<Code>[];
}

export interface Check {
  rule: Rule;
  id: string;
  run(ctx: CheckContext): Finding[];
}

/** A static check: its rule (see defineRule) and a run() that reports by code with data-only args. */
export function defineCheck<Code extends string>(def: CheckDefinition<Code>): Check {
  const { run, ...rest } = def;
  const rule = defineRule<Code>({ ...rest, stage: 'check' });
  return {
    rule: rule as unknown as Rule,
    id: def.id,
    run(ctx) {
      return run(ctx).map(({ code, source, ...input }) =>
        rule.finding(code, { ...input, source: describeSources(ctx.profile, source) }));
    },
  };
}

/**
 * Memoises a computation that depends on the model alone, not the target: checks run once per
 * target, and model-only work (graph integrity, external data) should not be done three times.
 */
export function perModel<T, A = void>(compute: (model: ModelIR, modelLevel: A) => T): (model: ModelIR, modelLevel: A) => T {
  const cache = new WeakMap<ModelIR, T>();
  return (model, modelLevel) => {
    if (!cache.has(model)) cache.set(model, compute(model, modelLevel));
    return cache.get(model)!;
  };
}
