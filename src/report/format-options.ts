import type { Severity } from '../findings/finding.js';
import type { RuleDef } from '../findings/rule.js';

/** What every formatter takes besides the reports. All optional fields have safe defaults. */
export interface FormatOptions {
  /** ANSI colours (text format only). */
  color?: boolean;
  /** Text format: each finding's nodes, remedy and sources, and the estimate in full. */
  verbose?: boolean;
  /** The rule registry (RULES in src/rules.ts): every message is rendered from it; SARIF rules[], help text. */
  rules: readonly RuleDef[];
  /**
   * Model paths that are absolute are shown relative to this folder (SARIF, GitHub annotations
   * and baselines need repository-relative paths). The CLI passes the working directory.
   */
  baseDir?: string;
  /** The tool version to print when there is no report to take it from. */
  toolVersion?: string;
  /** Findings at or above this severity fail a JUnit test case (default 'error'; 'never': none fails). */
  failOn?: Severity | 'never';
}
