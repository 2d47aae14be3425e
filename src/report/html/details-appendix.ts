import type { Finding } from '../../findings/finding.js';
import type { RuleDef } from '../../findings/rule.js';
import { escapeHtml as e } from '../escape.js';
import type { Report } from '../types.js';
import { nodeNames, percent, plural } from '../wording.js';
import { subjectOf } from './plain-words.js';
import type { SourceIndex } from './sources-appendix.js';

const MAX_NODES_SHOWN = 2;

interface Row {
  finding: Finding;
  targets: string[];
  suppressed: boolean;
}

/** Findings that are the same on several targets (rule, code, op, severity, level, nodes) share a row. */
function rowsOf(report: Report): Row[] {
  const rows = new Map<string, Row>();
  for (const t of report.targets) {
    const all = [...t.findings.map((f) => [f, false] as const), ...(t.suppressed ?? []).map((f) => [f, true] as const)];
    for (const [f, suppressed] of all) {
      const key = JSON.stringify([f.rule, f.code, f.domain ?? '', f.op ?? '', f.severity, f.level, f.nodeCount, suppressed]);
      const row = rows.get(key);
      if (row) row.targets.push(t.id);
      else rows.set(key, { finding: f, targets: [t.id], suppressed });
    }
  }
  return [...rows.values()];
}

function rowHtml({ finding: f, targets, suppressed }: Row, sources: SourceIndex, rules: readonly RuleDef[]): string {
  const { names, more } = nodeNames(f, MAX_NODES_SHOWN);
  const nodes = names.length > 0 ? `${names.map((n) => `<span class="mono">${e(n)}</span>`).join(', ')}${more > 0 ? ` +${more}` : ''}` : '';
  const share = f.timeShare !== undefined ? ` · ${percent(f.timeShare)} of run time` : '';
  return (
    `<tr${suppressed ? ' class="muted"' : ''}><td>${e(subjectOf(f, rules))}</td><td class="mono">${e(`${f.rule}/${f.code}`)}</td>` +
    `<td class="nowrap">${f.severity}${suppressed ? ' (baseline)' : ''}</td><td class="nowrap">${f.level}</td>` +
    `<td class="mono">${targets.map((t) => e(t)).join(', ')}</td>` +
    `<td>${nodes || (f.nodeCount > 0 ? plural(f.nodeCount, 'node') : '—')}${share}</td><td>${sources.marks(f.source)}</td></tr>`
  );
}

/**
 * Every finding of one model with the ids an engineer looks up (rule/code, severity, level, target
 * ids), the nodes concerned and its numbered sources: the appendix behind the plain-words pages.
 */
export function findingDetails(report: Report, sources: SourceIndex, rules: readonly RuleDef[]): string {
  const rows = rowsOf(report);
  if (rows.length === 0) return '<p class="muted">No findings.</p>';
  return (
    '<table class="details"><thead><tr><th scope="col">About</th><th scope="col">Rule</th><th scope="col">Severity</th>' +
    '<th scope="col">Level</th><th scope="col">Targets</th><th scope="col">Nodes</th><th scope="col">Sources</th></tr></thead>' +
    `<tbody>${rows.map((r) => rowHtml(r, sources, rules)).join('')}</tbody></table>`
  );
}
