import type { Finding, Severity, SupportLevel } from '../findings/finding.js';
import type { TargetReport } from './types.js';

/**
 * A target report after some findings were taken out (baseline, config ignores): `counts` and
 * `levels` cover the findings left. The verdict and op coverage still describe the model as it
 * is, since a suppression changes what fails a gate, not what runs on the target.
 */
export function withFindings(target: TargetReport, findings: Finding[], suppressed?: Finding[]): TargetReport {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const levels: Record<SupportLevel, number> = { supported: 0, degraded: 0, unsupported: 0, unknown: 0 };
  for (const f of findings) {
    counts[f.severity] += 1;
    levels[f.level] += 1;
  }
  return { ...target, counts, levels, findings, ...(suppressed !== undefined && { suppressed }) };
}
