import type { Finding } from '../findings/finding.js';
import { withFindings } from '../report/recount.js';
import type { Report, TargetReport } from '../report/types.js';
import { opLabel } from '../report/wording.js';
import { modelMatches } from './model-match.js';
import type { IgnoreRule } from './schema.js';

export interface IgnoreOptions {
  /** The config file's folder: model globs are relative to it. */
  configDir: string;
  /** The folder relative model paths in the reports are relative to (the working directory). */
  baseDir: string;
}

export interface IgnoreResult {
  reports: Report[];
  /** Findings left out, over all reports and targets. */
  ignoredCount: number;
}

function ignores(rule: IgnoreRule, f: Finding, target: TargetReport, modelMatched: boolean): boolean {
  if (rule.model !== undefined && !modelMatched) return false;
  if (rule.target !== undefined && rule.target !== target.id) return false;
  if (rule.rule !== undefined && rule.rule !== (rule.rule.includes('/') ? `${f.rule}/${f.code}` : f.rule)) return false;
  if (rule.op !== undefined && rule.op !== f.op && rule.op !== opLabel(f)) return false;
  return true;
}

/**
 * Leaves out the findings the config's `ignore` entries match (all of an entry's fields must
 * match). Unlike a baseline, an ignore is a decision: the findings are dropped, not kept aside.
 * `counts` and `levels` are recounted; the inputs are not changed.
 */
export function applyIgnores(reports: Report[], rules: readonly IgnoreRule[], options: IgnoreOptions): IgnoreResult {
  if (rules.length === 0) return { reports, ignoredCount: 0 };
  let ignoredCount = 0;
  const out = reports.map((report): Report => {
    const matched = rules.map((r) => r.model === undefined || modelMatches(report.model.path, r.model, options.configDir, options.baseDir));
    return {
      ...report,
      targets: report.targets.map((target) => {
        const kept = target.findings.filter((f) => !rules.some((r, i) => ignores(r, f, target, matched[i]!)));
        ignoredCount += target.findings.length - kept.length;
        return kept.length === target.findings.length ? target : withFindings(target, kept, target.suppressed);
      }),
    };
  });
  return { reports: out, ignoredCount };
}
