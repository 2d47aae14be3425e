import { SEVERITY_RANK } from '../findings/levels.js';
import type { Severity } from '../findings/finding.js';
import type { Report } from '../report/types.js';

export type FailOn = Severity | 'never';
export const FAIL_ON_CHOICES: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export const EXIT = { clean: 0, findings: 1, usage: 2, internal: 3 } as const;

/** 1 when any finding is at or above `failOn`, else 0. Usage and internal errors are decided elsewhere. */
export function exitCodeFor(reports: Report[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return EXIT.clean;
  const bar = SEVERITY_RANK[failOn];
  const failing = reports.some((r) => r.targets.some((t) => t.findings.some((f) => SEVERITY_RANK[f.severity] >= bar)));
  return failing ? EXIT.findings : EXIT.clean;
}
