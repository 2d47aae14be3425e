import { escapeHtml as e } from '../escape.js';
import { effortSummaryOf } from '../effort.js';
import { fitWords, latencyWords, memoryWords } from './estimate-words.js';
import { messageOf } from '../../findings/render.js';
import type { RuleDef } from '../../findings/rule.js';
import { EFFORT_PLAIN, subjectOf, targetFree } from './plain-words.js';
import { effortTotals } from './work-items.js';
import { precisionSummary } from './precision-section.js';
import type { Report, TargetReport } from '../types.js';
import {
  VERDICT_LABEL,
  VERDICT_MEANING,
  blockersOf,
  effortSummary,
  opLabel,
  percent,
  plural,
} from '../wording.js';

const MAX_BLOCKERS_NAMED = 5;

/** Share of reference time in the ops that block a target, when the model ran; undefined otherwise. */
export function blockedTimeShare(t: TargetReport): number | undefined {
  const byOp = new Map<string, number>();
  for (const f of blockersOf(t)) {
    if (f.timeShare === undefined || !Number.isFinite(f.timeShare)) continue;
    // One op can carry several findings (op, dtype): count its time once.
    const key = opLabel(f) || `${f.rule}/${f.code}`;
    byOp.set(key, Math.max(byOp.get(key) ?? 0, f.timeShare));
  }
  if (byOp.size === 0) return undefined;
  return Math.min(1, [...byOp.values()].reduce((a, b) => a + Math.max(0, b), 0));
}

export function coverageText(t: TargetReport): string {
  const c = t.opCoverage;
  const total = c.supported + c.degraded + c.unsupported + c.unknown;
  return total > 0 ? `${c.supported} of ${total} op types supported` : 'no op types';
}

/** One card per target: the verdict, what it means, blockers, warnings, effort and coverage. */
export function verdictCards(report: Report): string {
  const cards = report.targets.map((t) => {
    const blocked = blockedTimeShare(t);
    const suppressed = t.suppressed?.length ?? 0;
    return (
      `<div class="card verdict-card v-${t.verdict}">` +
      `<div class="target">${e(t.name)}</div><div class="muted mono">${e(t.id)}</div>` +
      `<div class="verdict">${VERDICT_LABEL[t.verdict]}</div>` +
      `<div class="muted">${VERDICT_MEANING[t.verdict]}</div>` +
      '<dl>' +
      `<dt>Blockers</dt><dd>${t.counts.error}</dd>` +
      `<dt>Warnings</dt><dd>${t.counts.warning}</dd>` +
      `<dt>Effort</dt><dd>${effortSummary(t.findings)}</dd>` +
      engineerDays(t) +
      `<dt>Coverage</dt><dd>${coverageText(t)}</dd>` +
      (blocked !== undefined ? `<dt>Blocked time</dt><dd>${percent(blocked)} of reference run</dd>` : '') +
      estimateFacts(t) +
      (suppressed > 0 ? `<dt>Baseline</dt><dd>${plural(suppressed, 'finding')} suppressed</dd>` : '') +
      '</dl></div>'
    );
  });
  return `<div class="cards">${cards.join('')}</div>${effortNote(report)}`;
}

/** The porting effort in engineer-days, with its basis on hover and in the effort note below the cards. */
function engineerDays(t: TargetReport): string {
  const effort = effortSummaryOf(t);
  return effort ? `<dt>Engineer-days</dt><dd title="${e(effort.basis)}">${e(effort.days)}</dd>` : '';
}

/** The basis of the engineer-day figures on the cards, once per distinct basis. */
export function effortNote(report: Report): string {
  const bases = [...new Set(report.targets.flatMap((t) => effortSummaryOf(t)?.basis ?? []))];
  if (bases.length === 0) return '';
  return `<p class="muted">Engineer-days: ${bases.map((b) => e(b)).join('; ')}.</p>`;
}

/** The estimate and the precision emulation, when the report has them: a line each on the card. */
function estimateFacts(t: TargetReport): string {
  const out: string[] = [];
  if (t.estimate) {
    out.push(`<dt>Est. latency</dt><dd>${e(latencyWords(t.estimate))}</dd>`);
    out.push(`<dt>Memory</dt><dd>${e(memoryWords(t.estimate))}</dd>`);
  }
  const precision = t.precision ? precisionSummary(t.precision) : undefined;
  if (precision) out.push(`<dt>Precision</dt><dd>${e(precision)}</dd>`);
  else if (t.precision && t.precision.status !== 'ok') out.push('<dt>Precision</dt><dd>not emulated</dd>');
  return out.join('');
}

/** The executive summary's sentences: per target, what it takes. */
export function keyPoints(report: Report, rules: readonly RuleDef[]): string {
  const items = report.targets.map((t) => {
    const blockers = blockersOf(t);
    if (blockers.length === 0) {
      const warn = t.counts.warning > 0 ? `; ${plural(t.counts.warning, 'item')} to review` : '';
      return `<li><strong>${e(t.name)}</strong>: ${VERDICT_LABEL[t.verdict].toLowerCase()}, no blockers${warn}.</li>`;
    }
    const named = blockers.slice(0, MAX_BLOCKERS_NAMED).map((f) => e(subjectOf(f, rules)));
    const more = blockers.length > MAX_BLOCKERS_NAMED ? `, and ${blockers.length - MAX_BLOCKERS_NAMED} more` : '';
    return (
      `<li><strong>${e(t.name)}</strong>: ${plural(blockers.length, 'blocker')} to port first: ` +
      `${named.join('; ')}${more}. Effort: ${effortSummary(t.findings)}.</li>`
    );
  });
  return `<ul class="key-points">${items.join('')}</ul>`;
}

/** For several models: one row per model, one column per target, the verdict in each cell. */
export function modelMatrix(reports: readonly Report[]): string {
  const targets = new Map<string, string>();
  for (const r of reports) for (const t of r.targets) if (!targets.has(t.id)) targets.set(t.id, t.name);
  const head = [...targets.values()].map((name) => `<th scope="col">${e(name)}</th>`).join('');
  const rows = reports.map((r, i) => {
    const byId = new Map(r.targets.map((t) => [t.id, t]));
    const cells = [...targets.keys()].map((id) => {
      const t = byId.get(id);
      if (!t) return '<td class="muted">not checked</td>';
      const n = t.counts.error;
      // A model that does not fit on one chip is worth a line here; latencies are in the appendix.
      const est = t.estimate && !t.estimate.memory.fits ? `<div class="muted">${e(fitWords(t.estimate))}</div>` : '';
      return `<td><span class="badge v-${t.verdict}">${VERDICT_LABEL[t.verdict]}</span>${n > 0 ? ` ${plural(n, 'blocker')}` : ''}${est}</td>`;
    });
    return `<tr><th scope="row"><a href="#model-${i}" class="mono">${e(r.model.path)}</a></th>${cells.join('')}</tr>`;
  });
  return `<table><thead><tr><th scope="col">Model</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Per target, how many models are ready, run with changes, must be ported first, or could not be told. */
export function targetTally(reports: readonly Report[]): string {
  const targets = new Map<string, { name: string; counts: Record<string, number> }>();
  for (const r of reports) {
    for (const t of r.targets) {
      const entry = targets.get(t.id) ?? { name: t.name, counts: {} };
      entry.counts[t.verdict] = (entry.counts[t.verdict] ?? 0) + 1;
      targets.set(t.id, entry);
    }
  }
  const items = [...targets.values()].map(({ name, counts }) => {
    const parts = (['blocked', 'unknown', 'runs-with-changes', 'ready'] as const)
      .filter((v) => (counts[v] ?? 0) > 0)
      .map((v) => `${counts[v]} ${TALLY_WORDS[v]}`);
    return `<li><strong>${e(name)}</strong>: ${parts.join(', ')}.</li>`;
  });
  return `<p>Of ${plural(reports.length, 'model')} checked:</p><ul class="key-points">${items.join('')}</ul>`;
}

const TALLY_WORDS = {
  blocked: 'must be ported before they run',
  unknown: 'could not be told (no evidence for some operators)',
  'runs-with-changes': 'run with changes to review',
  ready: 'run as they are',
} as const;

const MAX_BLOCKERS_LISTED = 6;

/**
 * What blocks the port across models, said once per kind: the same blocker in several models or
 * on several targets is one line, with where it applies.
 */
export function blockerList(reports: readonly Report[], rules: readonly RuleDef[]): string {
  const byWhat = new Map<string, { what: string; models: Set<string>; targets: Set<string> }>();
  for (const r of reports) {
    for (const t of r.targets) {
      for (const f of blockersOf(t)) {
        const message = targetFree(messageOf(f, rules), t.name);
        const op = opLabel(f);
        const what = op && message.includes(op) ? message : `${subjectOf(f, rules)}: ${message}`;
        const key = `${f.rule}\u0000${f.code}\u0000${opLabel(f)}`;
        const entry = byWhat.get(key) ?? { what, models: new Set(), targets: new Set() };
        entry.models.add(r.model.path);
        entry.targets.add(t.name);
        byWhat.set(key, entry);
      }
    }
  }
  if (byWhat.size === 0) return '<h3>What blocks the port</h3><p>Nothing: no model has a blocker on any target.</p>';
  const sorted = [...byWhat.values()].sort((a, b) => b.models.size - a.models.size);
  const items = sorted.slice(0, MAX_BLOCKERS_LISTED).map(
    (b) => `<li>${e(cut(b.what, 120))} <span class="muted">(${plural(b.models.size, 'model')}; ${e([...b.targets].join(', '))})</span></li>`,
  );
  const more = sorted.length > MAX_BLOCKERS_LISTED ? `<li>and ${plural(sorted.length - MAX_BLOCKERS_LISTED, 'more kind')}, in the model pages.</li>` : '';
  return `<h3>What blocks the port</h3><ul class="key-points">${items.join('')}${more}</ul>`;
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The porting work of every model, counted once per item however many targets need it. */
export function effortParagraph(reports: readonly Report[], rules: readonly RuleDef[]): string {
  const totals = effortTotals(reports, rules);
  if (totals.items === 0) return '<h3>Porting effort</h3><p>None: nothing to port or review.</p>';
  const parts = (['high', 'medium', 'low'] as const).filter((k) => totals[k] > 0).map((k) => `<li>${totals[k]} ${e(EFFORT_PLAIN[k])}</li>`);
  return (
    `<h3>Porting effort</h3><p>${plural(totals.items, 'work item')} in all (blockers and items to review, each counted once ` +
    `however many targets need it):</p><ul class="key-points">${parts.join('')}</ul>`
  );
}
