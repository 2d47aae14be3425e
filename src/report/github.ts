import type { Finding, Severity } from '../findings/finding.js';
import { sanitizeTerminal as clean } from './escape.js';
import type { RuleDef } from '../findings/rule.js';
import { messageOf, remedyOf } from '../findings/render.js';
import type { FormatOptions } from './format-options.js';
import { formatMarkdown } from './markdown.js';
import { repoRelativePath } from './model-path.js';
import type { Report } from './types.js';
import { VERDICT_LABEL, opLabel, plural, sentence } from './wording.js';

/**
 * GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job): a step
 * annotates the worst this many of each; the job summary counts the rest.
 */
export const MAX_ANNOTATIONS_PER_KIND = 10;

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Workflow-command data: `%`, CR and LF percent-encoded, as the runner decodes them. */
export function escapeCommandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property values: the data encoding plus `:` and `,`, which delimit properties. */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

interface Annotation {
  severity: Severity;
  /** What "worst" sorts by after severity: the time share a run measured, else the node count. */
  timeShare: number;
  nodeCount: number;
  line: string;
}

/** The annotations a step shows and what it leaves out, by severity. */
export interface AnnotationPlan {
  shown: Annotation[];
  left: Record<Severity, number>;
  total: Record<Severity, number>;
}

/**
 * The worst MAX_ANNOTATIONS_PER_KIND errors and as many warnings, by time share (when the model
 * ran), then node count; notes are never annotated (they are in the summary).
 */
export function planAnnotations(reports: Report[], options: FormatOptions): AnnotationPlan {
  const all: Annotation[] = [];
  for (const report of reports) {
    const file = repoRelativePath(report.model.path, options);
    for (const target of report.targets) for (const f of target.findings) all.push(annotate(f, file, target.name, options.rules));
  }
  const worstFirst = (a: Annotation, b: Annotation) => b.timeShare - a.timeShare || b.nodeCount - a.nodeCount;
  const total: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const a of all) total[a.severity] += 1;
  const shown = (['error', 'warning'] as const).flatMap((severity) =>
    all.filter((a) => a.severity === severity).sort(worstFirst).slice(0, MAX_ANNOTATIONS_PER_KIND),
  );
  const left: Record<Severity, number> = {
    error: total.error - shown.filter((a) => a.severity === 'error').length,
    warning: total.warning - shown.filter((a) => a.severity === 'warning').length,
    info: total.info,
  };
  return { shown, left, total };
}

/** "3 errors, 12 warnings and 4 notes", leaving out the kinds at zero; '' when all are. */
function countWords(c: Record<Severity, number>): string {
  const parts = [
    c.error > 0 ? plural(c.error, 'error') : '',
    c.warning > 0 ? plural(c.warning, 'warning') : '',
    c.info > 0 ? plural(c.info, 'note') : '',
  ].filter(Boolean);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/**
 * GitHub Actions workflow commands: an `::error|warning file=...,line=1,title=...::...` annotation
 * for each of the worst findings (see planAnnotations), then one plain line per model and target
 * with its verdict, and one saying how many findings were not annotated. Every plain line starts
 * with "port-check:" so that no model string can begin a line with "::" and issue a command of
 * its own.
 */
export function formatGithub(reports: Report[], options: FormatOptions): string {
  const lines: string[] = [];
  for (const report of reports) {
    const file = repoRelativePath(report.model.path, options);
    for (const target of report.targets) {
      const suppressed = target.suppressed?.length ?? 0;
      lines.push(
        `port-check: ${clean(file)} on ${clean(target.name)}: ${VERDICT_LABEL[target.verdict]}` +
          ` (${plural(target.counts.error, 'error')}, ${plural(target.counts.warning, 'warning')}` +
          `${suppressed > 0 ? `, ${suppressed} suppressed by the baseline` : ''})`,
      );
    }
  }
  const plan = planAnnotations(reports, options);
  const left = countWords(plan.left);
  if (left) lines.push(`port-check: ${left} not annotated (GitHub shows ${MAX_ANNOTATIONS_PER_KIND} errors and ${MAX_ANNOTATIONS_PER_KIND} warnings per step): see the job summary.`);
  return [...plan.shown.map((a) => a.line), ...lines].join('\n') + '\n';
}

function annotate(f: Finding, file: string, targetName: string, rules: readonly RuleDef[]): Annotation {
  const op = opLabel(f);
  const title = `port-check ${f.rule}/${f.code} on ${targetName}`;
  const named = op ? `${op}${f.nodeCount > 0 ? ` (${plural(f.nodeCount, 'node')})` : ''}` : '';
  const text = messageOf(f, rules);
  // Many messages begin with their op and node count already: say it once.
  const subject = named && !text.includes(named) ? `${named}: ` : '';
  const advice = remedyOf(f, rules);
  const remedy = advice ? ` Remedy: ${advice}` : '';
  const message = `${subject}${sentence(text)}${remedy}`;
  const props = `file=${escapeCommandProperty(clean(file))},line=1,title=${escapeCommandProperty(clean(title))}`;
  return {
    severity: f.severity,
    timeShare: f.timeShare !== undefined && Number.isFinite(f.timeShare) ? f.timeShare : 0,
    nodeCount: f.nodeCount,
    line: `::${COMMAND[f.severity]} ${props}::${escapeCommandData(clean(message))}`,
  };
}

/**
 * The Markdown for `$GITHUB_STEP_SUMMARY`: the same verdict table, blockers and details as the
 * pull-request comment. The CLI appends it to the file the variable names.
 */
export function githubJobSummary(reports: Report[], options: FormatOptions): string {
  const plan = planAnnotations(reports, options);
  const left = countWords(plan.left);
  const preface = left
    ? [
        `Annotated in the changed files: ${countWords(subtract(plan.total, plan.left)) || 'nothing'}; not annotated: ${left} ` +
          `(GitHub shows ${MAX_ANNOTATIONS_PER_KIND} errors and ${MAX_ANNOTATIONS_PER_KIND} warnings per step; notes are not annotated). The tables below count them all.`,
      ]
    : [];
  return formatMarkdown(reports, options, { title: 'port-check', preface });
}

function subtract(a: Record<Severity, number>, b: Record<Severity, number>): Record<Severity, number> {
  return { error: a.error - b.error, warning: a.warning - b.warning, info: a.info - b.info };
}
