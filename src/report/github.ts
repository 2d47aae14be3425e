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
 * GitHub shows at most 10 annotations of each kind per step and 50 per job: past this many,
 * the rest are summarised in one notice pointing at the job summary.
 */
export const MAX_ANNOTATIONS = 50;

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

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
  line: string;
}

/**
 * GitHub Actions workflow commands: one `::error|warning|notice file=...,line=1,title=...::...`
 * annotation per finding and target, errors first, then one plain line per model and target
 * with its verdict. Every plain line starts with "port-check:" so that no model string can begin
 * a line with "::" and issue a command of its own.
 */
export function formatGithub(reports: Report[], options: FormatOptions): string {
  const annotations: Annotation[] = [];
  const lines: string[] = [];
  for (const report of reports) {
    const file = repoRelativePath(report.model.path, options.baseDir);
    for (const target of report.targets) {
      const suppressed = target.suppressed?.length ?? 0;
      lines.push(
        `port-check: ${clean(file)} on ${clean(target.name)}: ${VERDICT_LABEL[target.verdict]}` +
          ` (${plural(target.counts.error, 'error')}, ${plural(target.counts.warning, 'warning')}` +
          `${suppressed > 0 ? `, ${suppressed} suppressed by the baseline` : ''})`,
      );
      for (const f of target.findings) annotations.push(annotate(f, file, target.name, options.rules));
    }
  }
  annotations.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const shown = annotations.slice(0, MAX_ANNOTATIONS).map((a) => a.line);
  if (annotations.length > MAX_ANNOTATIONS) {
    shown.push(
      `::notice title=port-check::${escapeCommandData(
        `${annotations.length - MAX_ANNOTATIONS} more findings are not annotated: see the job summary.`,
      )}`,
    );
  }
  return [...shown, ...lines].join('\n') + '\n';
}

function annotate(f: Finding, file: string, targetName: string, rules: readonly RuleDef[]): Annotation {
  const op = opLabel(f);
  const title = `port-check ${f.rule}/${f.code} on ${targetName}`;
  const subject = op ? `${op}${f.nodeCount > 0 ? ` (${plural(f.nodeCount, 'node')})` : ''}: ` : '';
  const advice = remedyOf(f, rules);
  const remedy = advice ? ` Remedy: ${advice}` : '';
  const message = `${subject}${sentence(messageOf(f, rules))}${remedy}`;
  const props = `file=${escapeCommandProperty(clean(file))},line=1,title=${escapeCommandProperty(clean(title))}`;
  return { severity: f.severity, line: `::${COMMAND[f.severity]} ${props}::${escapeCommandData(clean(message))}` };
}

/**
 * The Markdown for `$GITHUB_STEP_SUMMARY`: the same verdict table, blockers and details as the
 * pull-request comment. The CLI appends it to the file the variable names.
 */
export function githubJobSummary(reports: Report[], options: FormatOptions): string {
  return formatMarkdown(reports, options, { title: 'port-check' });
}
