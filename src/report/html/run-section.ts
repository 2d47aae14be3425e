import type { SupportLevel } from '../../findings/finding.js';
import type { BackendRun, ProviderStatus } from '../../runtime/types.js';
import { escapeHtml as e } from '../escape.js';
import type { Report } from '../types.js';
import { LEVEL_RANK, opLabel, percent, plural } from '../wording.js';
import { LEVEL_COLOR } from './coverage-chart.js';
import { list } from './plain-list.js';
import { shareChart, type ShareBar } from './share-chart.js';
import { duration, megabytes, shape } from './units.js';

type Run = NonNullable<Report['run']>;

const MAX_OP_BARS = 12;
/** Op types no target has a finding about. */
const NO_FINDING_COLOR = '#4a6fa5';

const PROVIDER_STATUS: Record<ProviderStatus['status'], { word: string; badge: string }> = {
  ok: { word: 'works here', badge: 'l-supported' },
  unavailable: { word: 'listed, not usable', badge: 'l-degraded' },
  absent: { word: 'not in this build', badge: 'l-unknown' },
};

/**
 * What the real run on ONNX Runtime showed: providers (with how to get a missing one), latency
 * per backend, where the time goes by op type, what the blockers cost, and the inputs it used.
 * '' when the model was not run.
 */
export function runSection(r: Report): string {
  const run = r.run;
  if (!run) return '';
  const parts = [`<section class="run"><h2>The run on this machine</h2>${runLead(run)}`];
  parts.push(`<h3>Execution providers</h3>${providerTable(run.providers)}`);
  if (run.backends.length > 0) parts.push(`<h3>Latency</h3>${latencyTable(run.backends)}`);
  if (run.blockerTimeShare) parts.push(blockerCallout(run.blockerTimeShare));
  for (const b of run.backends) {
    const chart = opTypeChart(b, levelsByOp(r));
    if (chart) {
      parts.push(
        `<figure class="chart">${chart}<figcaption>Share of the ${e(b.provider)} run’s node time per op type (mean over the timed runs), ` +
          'coloured by the worst level any target gives the op (red unsupported, amber degraded, purple unknown), blue where no target has a finding about it.</figcaption></figure>',
      );
    }
  }
  if (run.inputs.length > 0) parts.push(`<h3>Inputs used</h3>${inputTable(run.inputs)}`);
  if (run.observedShapes) {
    const o = run.observedShapes;
    parts.push(
      `<p class="muted">Shapes observed on ${e(o.provider)}: ${plural(Object.keys(o.values).length, 'value')} kept of ${o.requested} asked for` +
        `${o.missing.length > 0 ? `, ${o.missing.length} that ONNX Runtime could not expose` : ''}; the estimate uses them in place of inferred shapes.</p>`,
    );
  }
  if (run.assumptions.length > 0) parts.push(`<h3>What the run assumed</h3>${list(run.assumptions)}`);
  parts.push('</section>');
  return parts.join('');
}

function runLead(run: Run): string {
  const ort = `ONNX Runtime${run.onnxruntimeVersion ? ` ${e(run.onnxruntimeVersion)}` : ''}`;
  const ok = run.backends.filter((b) => b.status === 'ok').map((b) => e(b.provider));
  const lead =
    run.status === 'ok'
      ? `<p>${ort} ran the model on ${ok.join(', ') || 'no provider'}. These are timings of this machine, not of the targets: ` +
        'they show where the time goes, and what the blockers cost.</p>'
      : `<p class="callout warn"><strong>The model could not run here:</strong> ${e(run.reason ?? 'no reason given')}. ` +
        'The static findings still hold; timings, shapes and the precision emulation are missing.</p>';
  const reference = run.reference
    ? `<p class="muted">The run used a faithful rewrite of the model (${e(run.reference)}): ONNX Runtime’s CPU provider has no kernel for part of the model as exported.</p>`
    : '';
  return lead + reference;
}

function providerTable(providers: readonly ProviderStatus[]): string {
  const rows = providers
    .map((p) => {
      const s = PROVIDER_STATUS[p.status] ?? { word: String(p.status), badge: 'l-unknown' };
      const why = [p.reason ? e(p.reason) : '', p.howTo ? `<div class="howto"><strong>How to get it:</strong> ${e(p.howTo)}</div>` : '']
        .filter(Boolean)
        .join('');
      return `<tr><th scope="row" class="mono nowrap">${e(p.name)}</th><td><span class="badge ${s.badge}">${e(s.word)}</span></td><td>${why || '<span class="muted">—</span>'}</td></tr>`;
    })
    .join('');
  return `<table class="providers"><thead><tr><th>Provider</th><th>Status</th><th>Why, and how to get it</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function latencyTable(backends: readonly BackendRun[]): string {
  const rows = backends
    .map((b) => {
      const head = `<th scope="row" class="mono nowrap">${e(b.provider)}</th>`;
      const l = b.latencyMs;
      if (b.status !== 'ok' || !l) return `<tr>${head}<td colspan="8" class="s-warning">failed: ${e(b.reason ?? 'no reason given')}</td></tr>`;
      const cells = [
        duration(l.p50),
        duration(l.p90),
        duration(l.p99),
        duration(l.mean),
        `${duration(l.min)} – ${duration(l.max)}`,
        b.iterations !== undefined ? String(b.iterations) : '?',
        b.sessionMs !== undefined ? duration(b.sessionMs) : '?',
        b.peakRssMB !== undefined ? megabytes(b.peakRssMB) : '?',
      ];
      return `<tr>${head}${cells.map((c) => `<td class="num">${e(c)}</td>`).join('')}</tr>`;
    })
    .join('');
  return (
    '<table class="latency"><thead><tr><th>Provider</th><th>p50</th><th>p90</th><th>p99</th><th>Mean</th><th>Min – max</th>' +
    `<th>Timed runs</th><th>Session load</th><th>Peak RSS</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function blockerCallout(b: NonNullable<Run['blockerTimeShare']>): string {
  const share = percent(b.share);
  const matched =
    b.findings > 0
      ? `${plural(b.findings, 'blocker finding')} matched timed nodes on ${e(b.provider)}`
      : `no blocker finding matched a timed node on ${e(b.provider)}`;
  return (
    `<p class="callout${b.share > 0 ? ' blockers' : ''}"><strong>Blockers account for ${share} of the run time</strong> (${matched}). ` +
    'That is the share of the work that must be ported before the model runs on a target that blocks; each node is counted once.</p>'
  );
}

/** The worst level any target gives each op type, to colour its bar. */
function levelsByOp(r: Report): Map<string, SupportLevel> {
  const out = new Map<string, SupportLevel>();
  for (const t of r.targets) {
    for (const f of t.findings) {
      const label = opLabel(f);
      if (!label) continue;
      const was = out.get(label);
      if (!was || LEVEL_RANK[f.level] > LEVEL_RANK[was]) out.set(label, f.level);
    }
  }
  return out;
}

function opTypeChart(b: BackendRun, levels: Map<string, SupportLevel>): string {
  const shares = b.status === 'ok' ? (b.opTypeShares ?? []) : [];
  if (shares.length === 0) return '';
  const bars: ShareBar[] = shares.slice(0, MAX_OP_BARS).map((s) => {
    const label = opLabel({ op: s.opType, domain: s.domain });
    const level = levels.get(label);
    return {
      label,
      share: s.share,
      fill: level && level !== 'supported' ? LEVEL_COLOR[level] : NO_FINDING_COLOR,
      note: `${duration(s.ms)} · ${plural(s.nodeCount, 'node')}`,
    };
  });
  const rest = shares.slice(MAX_OP_BARS);
  if (rest.length > 0) {
    bars.push({
      label: `${plural(rest.length, 'other op type')}`,
      share: rest.reduce((n, s) => n + (Number.isFinite(s.share) ? s.share : 0), 0),
      fill: '#9aa3b2',
      note: `${duration(rest.reduce((n, s) => n + (Number.isFinite(s.ms) ? s.ms : 0), 0))}`,
    });
  }
  return shareChart(`Time share per op type on ${b.provider}`, bars);
}

function inputTable(inputs: Run['inputs']): string {
  const rows = inputs
    .map(
      (i) =>
        `<tr><td class="mono">${e(i.name)}</td><td class="mono">${e(i.dtype)}</td><td class="mono">${e(shape(i.dims))}</td>` +
        `<td>${e(i.source)}</td><td>${e(i.detail)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Input</th><th>Type</th><th>Shape</th><th>Source</th><th>Values</th></tr></thead><tbody>${rows}</tbody></table>`;
}
