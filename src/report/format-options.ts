import type { Severity } from '../findings/finding.js';
import type { RuleDef } from '../findings/rule.js';

/** Who the customer report is for and by whom: `--title`, `--customer`, `--author`, `--date`. */
export interface DocumentInfo {
  title?: string;
  customer?: string;
  author?: string;
  /** YYYY-MM-DD; the CLI passes today's date. */
  date?: string;
}

/** What every formatter takes besides the reports. All optional fields have safe defaults. */
export interface FormatOptions {
  /** ANSI colours (text format only). */
  color?: boolean;
  /** Text format: each finding's nodes, remedy and sources, and the estimate in full. */
  verbose?: boolean;
  /** The rule registry (RULES in src/rules.ts): every message is rendered from it; SARIF rules[], help text. */
  rules: readonly RuleDef[];
  /**
   * The folder relative model paths are relative to; absolute ones are shown relative to it when
   * there is no `rootDir`. The CLI passes the working directory.
   */
  baseDir?: string;
  /**
   * The repository root: SARIF, Code Climate, JUnit and GitHub annotations locate models relative
   * to it (the CLI finds it from `.git`, or takes `--root` / the config's `root`).
   */
  rootDir?: string;
  /** Markdown: the most characters to write (default MARKDOWN_MAX_CHARS); past it, a summary. */
  maxChars?: number;
  /** HTML: the title page's fields (the date defaults to the report's day, see html.ts). */
  document?: DocumentInfo;
  /** The tool version to print when there is no report to take it from. */
  toolVersion?: string;
  /** Findings at or above this severity fail a JUnit test case (default 'error'; 'never': none fails). */
  failOn?: Severity | 'never';
}
