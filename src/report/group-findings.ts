import type { Finding } from '../findings/finding.js';
import { compareFindings } from '../findings/order.js';
import type { TargetReport } from './types.js';

/** A finding as several targets give it, word for word: shown once, with the targets listed. */
export interface FindingGroup {
  finding: Finding;
  targets: TargetReport[];
}

/**
 * The findings of one model across its targets, those that read the same (rule, code, severity,
 * op and `wording`: the rendered message, and whatever else the view shows) joined into one
 * group; in the one finding order, then target order.
 */
export function groupAcrossTargets(targets: readonly TargetReport[], wording: (f: Finding) => string): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const t of targets) {
    for (const f of t.findings) {
      const key = [f.severity, f.rule, f.code, f.domain ?? '', f.op ?? '', wording(f), f.timeShare ?? ''].join('\u0000');
      const group = groups.get(key);
      if (group) group.targets.push(t);
      else groups.set(key, { finding: f, targets: [t] });
    }
  }
  return [...groups.values()].sort((a, b) => compareFindings(a.finding, b.finding));
}
