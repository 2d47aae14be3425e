import type { Finding, Severity } from '../findings/finding.js';
import { messageOf, remedyOf } from '../findings/render.js';
import type { RuleDef } from '../findings/rule.js';
import { sanitizeTerminal as clean } from './escape.js';
import { findingFingerprint } from './fingerprint.js';
import type { FormatOptions } from './format-options.js';
import { repoRelativePath } from './model-path.js';
import { onTarget } from './sarif.js';
import type { Report, TargetReport } from './types.js';
import { opLabel, plural } from './wording.js';

/** GitLab's Code Quality severities, as its merge-request widget ranks them. */
export type CodeClimateSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/**
 * An error blocks the port (GitLab's "blocker"); a warning is work to review ("minor", as ESLint's
 * GitLab formatters rank warnings); a note is "info".
 */
const SEVERITY: Record<Severity, CodeClimateSeverity> = { error: 'blocker', warning: 'minor', info: 'info' };

/** One issue, with the fields GitLab documents for a Code Quality report plus Code Climate's type and categories. */
export interface CodeClimateIssue {
  type: 'issue';
  check_name: string;
  description: string;
  content: { body: string };
  categories: string[];
  severity: CodeClimateSeverity;
  fingerprint: string;
  location: { path: string; lines: { begin: number } };
}

/**
 * Code Climate JSON as GitLab's Code Quality widget reads it (`artifacts: reports: codequality`):
 * an array with an issue per finding and target, located at the model file relative to the
 * repository root (line 1: a model has no lines), with the fingerprint SARIF and baselines use, so
 * that GitLab tells new issues from old ones across pipelines. Baseline-suppressed findings are
 * left out: GitLab has no notion of a suppressed issue.
 */
export function formatCodeClimate(reports: Report[], options: FormatOptions): string {
  const issues: CodeClimateIssue[] = [];
  const seen = new Map<string, number>();
  for (const report of reports) {
    const path = repoRelativePath(report.model.path, options);
    for (const target of report.targets) {
      for (const f of target.findings) {
        const issue = toIssue(f, target, path, options.rules);
        // GitLab keeps one issue per fingerprint: two findings of one identity stay two issues.
        const n = seen.get(issue.fingerprint) ?? 0;
        seen.set(issue.fingerprint, n + 1);
        if (n > 0) issue.fingerprint = `${issue.fingerprint}-${n + 1}`;
        issues.push(issue);
      }
    }
  }
  return JSON.stringify(issues, null, 2) + '\n';
}

function toIssue(f: Finding, target: TargetReport, path: string, rules: readonly RuleDef[]): CodeClimateIssue {
  const op = opLabel(f);
  const named = op ? `${clean(op)}${f.nodeCount > 0 ? ` (${plural(f.nodeCount, 'node')})` : ''}` : '';
  const message = onTarget(clean(messageOf(f, rules)), clean(target.name));
  const remedy = clean(remedyOf(f, rules));
  // Many messages begin with their op and node count already: say it once.
  const description = named && !message.includes(named) ? `${named}: ${message}` : message;
  const body = [
    `**${description}**`,
    ...(remedy ? [`Remedy (effort ${f.effort}): ${remedy}`] : []),
    ...f.source.map((s) => `Source: ${clean(s)}`),
  ].join('\n\n');
  return {
    type: 'issue',
    check_name: `${f.rule}/${f.code}`,
    description,
    content: { body },
    categories: ['Compatibility'],
    severity: SEVERITY[f.severity],
    fingerprint: findingFingerprint(path, target.id, f),
    location: { path, lines: { begin: 1 } },
  };
}
