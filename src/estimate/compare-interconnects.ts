import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import type { EstimateOptions } from './analyse-model.js';
import { estimate } from './estimate-target.js';
import { maxOf } from '../arrays.js';

/**
 * The interconnect side by side: the same tensor-parallel split (the largest chip count any target
 * needs, at least 2) timed on each target's own link, so that NVLink and HCCS are compared on the
 * same traffic.
 */
export interface InterconnectRow {
  target: string;
  name: string;
  link: string;
  bandwidthGBs: number;
  confidence: 'high' | 'medium' | 'low';
  /** Chips this target needs for memory alone. */
  chipsNeeded: number;
  bytesPerChipPerInference: number;
  commMsPerInference: number;
  commMsPerToken?: number;
  commShare: number;
}

export interface InterconnectComparison {
  chips: number;
  rows: InterconnectRow[];
}

/**
 * Undefined when every target fits on one chip and no `chips` was asked for. A target whose
 * profile gives no link bandwidth has no row.
 */
export function compareInterconnects(
  model: ModelIR, facts: ModelFacts, profiles: Profile[], options: EstimateOptions = {},
): InterconnectComparison | undefined {
  const own = profiles.map((p) => ({ profile: p, est: estimate(model, facts, p, options) }));
  const chips = maxOf(own.map((o) => o.est.memory.chipsNeeded), options.chips ?? 1);
  if (chips < 2) return undefined;
  const rows: InterconnectRow[] = [];
  for (const { profile, est } of own) {
    const split = estimate(model, facts, profile, { ...options, chips }).interconnect;
    if (!split) continue; // the profile gives no link bandwidth
    const row: InterconnectRow = {
      target: profile.id,
      name: profile.name,
      link: split.link,
      bandwidthGBs: split.bandwidthGBs,
      confidence: split.confidence,
      chipsNeeded: est.memory.chipsNeeded,
      bytesPerChipPerInference: split.bytesPerChipPerInference,
      commMsPerInference: split.commMsPerInference,
      commShare: split.commShare,
    };
    if (split.commMsPerToken !== undefined) row.commMsPerToken = split.commMsPerToken;
    rows.push(row);
  }
  return { chips, rows };
}
