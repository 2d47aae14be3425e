import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR } from '../onnx/ir.js';
import type { Profile, SupportLevel } from '../profiles/schema.js';
import { verdictForOp } from './op-owner.js';
import { worseLevel } from '../findings/levels.js';

/**
 * Distinct (domain, op) types of the model by the target's verdict, supported ones included:
 * the "how much of the model runs" figure. Calls to model-local functions are not counted (the
 * ops in their bodies are).
 */
export function opCoverage(_model: ModelIR, facts: ModelFacts, profile: Profile): Record<SupportLevel, number> {
  const levels = new Map<string, SupportLevel>();
  for (const op of facts.ops) {
    const verdict = verdictForOp(profile, op, facts);
    if (!verdict) continue;
    const key = `${op.domain}::${op.opType}`;
    const seen = levels.get(key);
    levels.set(key, seen === undefined ? verdict.level : worseLevel(seen, verdict.level));
  }
  const counts: Record<SupportLevel, number> = { supported: 0, degraded: 0, unsupported: 0, unknown: 0 };
  for (const level of levels.values()) counts[level] += 1;
  return counts;
}
