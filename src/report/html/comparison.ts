import type { Finding, SupportLevel } from '../../findings/finding.js';
import { escapeHtml as e } from '../escape.js';
import type { Report, TargetReport } from '../types.js';
import { LEVEL_RANK, VERDICT_LABEL, effortSummary, opLabel, plural } from '../wording.js';
import { fitWords } from './estimate-words.js';
import { precisionSummary } from './precision-section.js';
import { coverageText } from './summary.js';
import { duration } from './units.js';

interface Row {
  label: string;
  /** An op type (or dtype / feature) rather than a rule about the whole model. */
  isOp: boolean;
  nodeCount: number;
  cells: Map<string, Finding[]>;
}

function worstLevel(findings: readonly Finding[]): SupportLevel {
  let worst: SupportLevel = 'supported';
  for (const f of findings) if (LEVEL_RANK[f.level] > LEVEL_RANK[worst]) worst = f.level;
  return worst;
}

/** Rows: every op type (or rule, for model-wide findings) that has a finding on some target. */
function rowsOf(targets: readonly TargetReport[]): Row[] {
  const rows = new Map<string, Row>();
  for (const t of targets) {
    for (const f of t.findings) {
      const op = opLabel(f);
      const key = op ? `op\u0000${op}` : `rule\u0000${f.rule}`;
      let row = rows.get(key);
      if (!row) {
        row = { label: op || f.rule, isOp: op !== '', nodeCount: 0, cells: new Map() };
        rows.set(key, row);
      }
      row.nodeCount = Math.max(row.nodeCount, f.nodeCount);
      const list = row.cells.get(t.id) ?? [];
      list.push(f);
      row.cells.set(t.id, list);
    }
  }
  const rank = (r: Row) => Math.max(...[...r.cells.values()].map((fs) => LEVEL_RANK[worstLevel(fs)]));
  return [...rows.values()].sort((a, b) => rank(b) - rank(a) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

function cell(findings: readonly Finding[] | undefined): string {
  if (!findings || findings.length === 0) return '<td class="muted">no finding</td>';
  const level = worstLevel(findings);
  const blocker = findings.some((f) => f.severity === 'error');
  return `<td><span class="badge l-${level}">${level}</span>${blocker ? ' <span class="s-error">blocker</span>' : ''}</td>`;
}

/**
 * The side-by-side view: verdict, blockers, effort and coverage per target, then each op type
 * (or model-wide rule) with a finding anywhere, and the level every target gives it.
 */
export function comparisonTable(report: Report): string {
  const targets = report.targets;
  const head = targets.map((t) => `<th scope="col">${e(t.name)}</th>`).join('');
  const summaryRows = [
    ['Verdict', (t: TargetReport) => `<span class="badge v-${t.verdict}">${VERDICT_LABEL[t.verdict]}</span>`],
    ['Blockers', (t: TargetReport) => String(t.counts.error)],
    ['Warnings', (t: TargetReport) => String(t.counts.warning)],
    ['Work items by effort', (t: TargetReport) => effortSummary(t.findings)],
    ['Op coverage', (t: TargetReport) => coverageText(t)],
  ] as [string, (t: TargetReport) => string][];
  // The estimate and the precision emulation, when some target has them.
  if (targets.some((t) => t.estimate)) {
    summaryRows.push(
      ['Est. latency (roofline)', (t) => (t.estimate ? `${duration(t.estimate.latencyMs)}, ${e(t.estimate.bottleneck)}-bound` : '<span class="muted">—</span>')],
      ['Memory fit', (t) => (t.estimate ? fitWords(t.estimate) : '<span class="muted">—</span>')],
    );
  }
  if (targets.some((t) => t.precision)) {
    summaryRows.push([
      'Precision drift',
      (t) => (t.precision ? e(precisionSummary(t.precision) ?? 'not emulated') : '<span class="muted">not emulated</span>'),
    ]);
  }
  const summary = summaryRows
    .map(([label, value]) => `<tr><th scope="row">${label}</th>${targets.map((t) => `<td>${value(t)}</td>`).join('')}</tr>`)
    .join('');
  const rows = rowsOf(targets)
    .map((r) => {
      const what = r.isOp ? `<span class="mono">${e(r.label)}</span>` : `<span class="muted">rule</span> <span class="mono">${e(r.label)}</span>`;
      const nodes = r.nodeCount > 0 ? ` <span class="muted">${plural(r.nodeCount, 'node')}</span>` : '';
      return `<tr><th scope="row">${what}${nodes}</th>${targets.map((t) => cell(r.cells.get(t.id))).join('')}</tr>`;
    })
    .join('');
  const sectionHead = `<tr><th scope="rowgroup" colspan="${targets.length + 1}">Op types and features with findings</th></tr>`;
  return (
    `<table class="comparison"><thead><tr><th scope="col"></th>${head}</tr></thead>` +
    `<tbody>${summary}</tbody>` +
    (rows ? `<tbody>${sectionHead}${rows}</tbody>` : '') +
    '</table>'
  );
}
