import type { EffortClass, Severity } from '../../findings/finding.js';
import { SEVERITY_RANK } from '../../findings/levels.js';
import { messageOf, remedyOf } from '../../findings/render.js';
import type { RuleDef } from '../../findings/rule.js';
import { escapeHtml as e } from '../escape.js';
import type { Report, TargetReport } from '../types.js';
import { sentence } from '../wording.js';
import { SEVERITY_PLAIN, targetFree } from './plain-words.js';

/** One piece of porting work: the same finding on every target that has it, said once. */
export interface WorkItem {
  message: string;
  remedy: string;
  effort: EffortClass;
  /** Severity per target id; absent where the target has no such finding. */
  byTarget: Map<string, Severity>;
  worst: Severity;
}

const EFFORT_RANK: Record<EffortClass, number> = { high: 3, medium: 2, low: 1, none: 0 };

/**
 * The work items of one model: errors and warnings (notes are for the appendix), one per finding
 * that reads the same on several targets once their names are taken out; the worst first, then
 * the largest effort.
 */
export function workItems(targets: readonly TargetReport[], rules: readonly RuleDef[]): WorkItem[] {
  const items = new Map<string, WorkItem>();
  for (const t of targets) {
    for (const f of t.findings) {
      if (f.severity === 'info') continue;
      const message = sentence(targetFree(messageOf(f, rules), t.name));
      const advice = remedyOf(f, rules);
      const remedy = advice ? sentence(targetFree(advice, t.name)) : '';
      const key = `${f.rule}\u0000${f.code}\u0000${message}\u0000${remedy}`;
      let item = items.get(key);
      if (!item) {
        item = { message, remedy, effort: f.effort, byTarget: new Map(), worst: f.severity };
        items.set(key, item);
      }
      item.byTarget.set(t.id, f.severity);
      if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[item.worst]) item.worst = f.severity;
      if (EFFORT_RANK[f.effort] > EFFORT_RANK[item.effort]) item.effort = f.effort;
    }
  }
  return [...items.values()].sort(
    (a, b) => SEVERITY_RANK[b.worst] - SEVERITY_RANK[a.worst] || EFFORT_RANK[b.effort] - EFFORT_RANK[a.effort],
  );
}

/** Work items across several models, counted by effort: the summary's "total porting effort". */
export function effortTotals(reports: readonly Report[], rules: readonly RuleDef[]): Record<EffortClass, number> & { items: number } {
  const out = { high: 0, medium: 0, low: 0, none: 0, items: 0 };
  for (const r of reports) {
    for (const item of workItems(r.targets, rules)) {
      out[item.effort] += 1;
      out.items += 1;
    }
  }
  return out;
}

/** "Must be ported on A, B; to review on C": which targets need the item, by how much. */
function whereCell(item: WorkItem, targets: readonly TargetReport[]): string {
  const groups = (['error', 'warning'] as const)
    .map((s) => ({ s, names: targets.filter((t) => item.byTarget.get(t.id) === s).map((t) => e(t.name)) }))
    .filter((g) => g.names.length > 0);
  return groups.map((g) => `<span class="s-${g.s}">${SEVERITY_PLAIN[g.s]}</span> on ${g.names.join(', ')}`).join('; ');
}

/** The table a reader works from: what, on which target, how hard, what to do. */
export function workItemsTable(report: Report, rules: readonly RuleDef[]): string {
  const items = workItems(report.targets, rules);
  if (items.length === 0) return '<p>Nothing to port: the model runs on every target checked as it is.</p>';
  const rows = items.map(
    (item) =>
      `<tr><td>${e(item.message)}</td><td>${whereCell(item, report.targets)}</td><td>${item.effort}</td>` +
      `<td>${item.remedy ? e(item.remedy) : '<span class="muted">see the appendix</span>'}</td></tr>`,
  );
  return (
    '<table class="work"><thead><tr><th scope="col">What</th><th scope="col">Where</th>' +
    '<th scope="col">Effort</th><th scope="col">What to do</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
