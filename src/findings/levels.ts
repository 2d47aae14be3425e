import type { EffortClass, Severity, SupportLevel } from './finding.js';

/** The one order of severities: error is the worst. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The one order of support levels: unsupported blocks; unknown might block; degraded runs. */
export const LEVEL_RANK: Record<SupportLevel, number> = { supported: 0, degraded: 1, unknown: 2, unsupported: 3 };

export function worseLevel(a: SupportLevel, b: SupportLevel): SupportLevel {
  return LEVEL_RANK[b] > LEVEL_RANK[a] ? b : a;
}

/** The severity a verdict's level gives where a code follows the target's verdict. */
export function severityFor(level: SupportLevel): Severity {
  switch (level) {
    case 'unsupported':
      return 'error';
    case 'degraded':
    case 'unknown':
      return 'warning';
    case 'supported':
      return 'info';
  }
}

export function defaultEffort(level: SupportLevel): EffortClass {
  switch (level) {
    case 'supported':
      return 'none';
    case 'degraded':
    case 'unknown':
      return 'low';
    case 'unsupported':
      return 'medium';
  }
}
