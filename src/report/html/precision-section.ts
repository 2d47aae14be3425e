import type { FirstDrift, OutputComparison, Overflow, PrecisionResult, ThresholdMiss, Thresholds } from '../../precision/types.js';
import { escapeHtml as e } from '../escape.js';
import type { Report, TargetReport } from '../types.js';
import { percent, plural } from '../wording.js';
import { driftChart } from './drift-chart.js';
import { list } from './plain-list.js';
import { cosine, metric, shape } from './units.js';

const MAX_OUTPUT_ROWS = 50;
const MAX_OVERFLOW_ROWS = 20;
const MAX_KEEP_LINES = 100;

const METRIC_NAME: Record<ThresholdMiss['metric'], string> = {
  cosine: 'cosine',
  relativeEuclidean: 'relative distance',
  rmse: 'RMSE',
  meanRelativeError: 'mean relative error',
  maxAbsError: 'max abs error',
  maxRelativeError: 'max relative error',
  top1: 'top-1 agreement',
  newNonFinite: 'new NaN/Inf',
  shape: 'shape',
};

const VERDICT_BADGE: Record<OutputComparison['verdict'], string> = { pass: 'l-supported', fail: 'l-unsupported', skipped: 'l-unknown' };

/** "4 of 5 outputs within thresholds"; undefined when nothing was compared. */
export function precisionSummary(p: PrecisionResult): string | undefined {
  if (p.status !== 'ok') return undefined;
  const compared = p.outputs.filter((o) => o.verdict !== 'skipped');
  if (compared.length === 0) return undefined;
  const passed = compared.filter((o) => o.verdict === 'pass').length;
  return `${passed} of ${plural(compared.length, 'output')} within thresholds`;
}

/**
 * The target's precision policy emulated on the CPU and compared with the reference run, per
 * target: each output's metrics and verdict, a chart of the drift against the thresholds, the
 * first node that drifts, overflows, and the keep-dtype lines that would hold the drift back.
 * '' when no target was emulated.
 */
export function precisionSection(r: Report): string {
  const emulated = r.targets.filter((t) => t.precision);
  if (emulated.length === 0) return '';
  const skipped = r.targets.filter((t) => !t.precision);
  const parts = [
    '<section class="precision"><h2>Precision on the targets</h2>',
    '<p>Each target’s precision policy (which tensor types its compiler converts, to what) was emulated on ONNX Runtime’s CPU ' +
      'provider: the converted values were rounded as the target would store them, and the outputs compared with the model’s own run. ' +
      'This measures the accuracy cost of the policy, not of the target’s kernels.</p>',
    ...emulated.map((t) => targetPrecision(t, t.precision!)),
  ];
  if (skipped.length > 0) {
    parts.push(
      `<p class="muted">Not emulated: ${skipped.map((t) => `<strong>${e(t.name)}</strong>`).join(', ')} ` +
        '(a target whose policy converts no tensor type computes in the model’s own types).</p>',
    );
  }
  parts.push('</section>');
  return parts.join('');
}

function targetPrecision(t: TargetReport, p: PrecisionResult): string {
  const failing = p.outputs.filter((o) => o.verdict === 'fail').length;
  const badge =
    p.status !== 'ok'
      ? '<span class="badge l-unknown">not emulated</span>'
      : failing > 0
        ? `<span class="badge l-unsupported">${plural(failing, 'output')} past thresholds</span>`
        : '<span class="badge l-supported">within thresholds</span>';
  const policy =
    `policy <span class="mono">${e(p.policy.name)}</span>: ${p.policy.converts.length > 0 ? e(p.policy.converts.join(', ')) : 'nothing'} → ` +
    `${e(p.policy.compute)}${p.policy.keepOps.length > 0 ? `, keeping ${e(p.policy.keepOps.join(', '))}` : ''}` +
    (p.policy.from === 'option' ? ' (forced by --precision)' : ' (the target’s default)');
  const head = `<h3>${e(t.name)} ${badge}</h3><p class="muted">${policy}</p>`;
  if (p.status !== 'ok') {
    return `<div class="target-precision">${head}<p class="callout warn"><strong>Not emulated:</strong> ${e(p.reason ?? 'no reason given')}</p>${method(p)}</div>`;
  }
  const summary = precisionSummary(p);
  const chart = driftChart(t.name, p.outputs, p.thresholds);
  return (
    `<div class="target-precision">${head}` +
    (summary ? `<p><strong>${e(summary)}.</strong></p>` : '') +
    outputTable(p.outputs) +
    (chart
      ? `<figure class="chart">${chart}<figcaption>Per output: 1 − cosine similarity and relative Euclidean distance ` +
        `(‖emulated − reference‖ / ‖reference‖) on a log scale; the mark is the threshold (${e(thresholdText(p.thresholds))}).</figcaption></figure>`
      : '') +
    drift(p) +
    overflows(p) +
    keepDtype(p) +
    method(p) +
    '</div>'
  );
}

function outputTable(outputs: readonly OutputComparison[]): string {
  const rows = outputs
    .slice(0, MAX_OUTPUT_ROWS)
    .map((o) => {
      const m = o.metrics;
      const top1 = m?.topK?.find((k) => k.k === 1);
      const missed = o.misses.map((x) => `${METRIC_NAME[x.metric] ?? x.metric} ${metric(x.value)} (limit ${metric(x.threshold)})`).join('; ');
      const cells = m
        ? [cosine(m.cosine), metric(m.relativeEuclidean), metric(m.maxAbsError), metric(m.rmse), top1 ? percent(top1.agreement) : '—']
        : ['—', '—', '—', '—', '—'];
      return (
        `<tr><td class="mono">${e(o.name)}</td><td class="mono">${e(shape(o.dims))}</td>` +
        `<td><span class="badge ${VERDICT_BADGE[o.verdict] ?? 'l-unknown'}">${e(o.verdict)}</span></td>` +
        cells.map((c) => `<td class="num">${e(c)}</td>`).join('') +
        `<td>${e(missed || o.note || '')}${m && m.newNonFinite > 0 ? ` ${plural(m.newNonFinite, 'new NaN/Inf')}` : ''}</td></tr>`
      );
    })
    .join('');
  const more = outputs.length > MAX_OUTPUT_ROWS ? `<p class="muted">and ${outputs.length - MAX_OUTPUT_ROWS} more outputs (see the JSON report)</p>` : '';
  return (
    '<table class="outputs"><thead><tr><th>Output</th><th>Shape</th><th>Verdict</th><th>Cosine</th><th>Relative distance</th>' +
    `<th>Max abs error</th><th>RMSE</th><th>Top-1</th><th>Missed</th></tr></thead><tbody>${rows}</tbody></table>${more}`
  );
}

function thresholdText(t: Thresholds): string {
  const parts = [`cosine ≥ ${t.cosine}`, `relative distance ≤ ${t.relativeEuclidean}`, `RMSE ≤ ${t.rmse}`, `mean relative error ≤ ${t.meanRelativeError}`];
  if (t.maxAbsError !== undefined) parts.push(`max abs error ≤ ${t.maxAbsError}`);
  if (t.maxRelativeError !== undefined) parts.push(`max relative error ≤ ${t.maxRelativeError}`);
  if (t.top1 !== undefined) parts.push(`top-1 ≥ ${t.top1}`);
  return parts.join(', ');
}

function nodeText(n: { node: string; opType: string; index: number }): string {
  return `<span class="mono">${e(n.node)}</span> (${e(n.opType)}, node #${e(String(n.index))})`;
}

function drift(p: PrecisionResult): string {
  const lw = p.layerwise;
  const scope = lw
    ? ` ${plural(lw.compared, 'intermediate value')} compared, ${lw.drifting} past a threshold` +
      `${lw.missing > 0 ? `, ${lw.missing} could not be fetched` : ''}${lw.unvisited > 0 ? `, ${lw.unvisited} not visited (session limit)` : ''}.`
    : '';
  const f: FirstDrift | undefined = p.firstDrift;
  if (!f) {
    return lw ? `<p><strong>First drifting node:</strong> none.${scope}</p>` : '';
  }
  return (
    `<p class="callout drift"><strong>First drifting node:</strong> ${nodeText(f)}, output <span class="mono">${e(f.output)}</span>: ` +
    `${e(METRIC_NAME[f.metric] ?? f.metric)} ${e(metric(f.value))} against a limit of ${e(metric(f.threshold))}` +
    `${f.metric === 'cosine' ? '' : ` (cosine ${e(cosine(f.cosine))})`}. Drift starts here, in topological order; keeping this node in its own precision is the first thing to try.${scope}</p>`
  );
}

const OVERFLOW_WORD: Record<Overflow['kind'], string> = {
  'fp16-overflow': 'beyond fp16’s range (±65504)',
  'nan-inf': 'NaN or Inf where the reference is finite',
};

function overflows(p: PrecisionResult): string {
  if (p.overflows.length === 0) return '';
  const rows = p.overflows
    .slice(0, MAX_OVERFLOW_ROWS)
    .map(
      (o) =>
        `<tr><td>${e(OVERFLOW_WORD[o.kind] ?? o.kind)}</td><td>${nodeText(o)}</td>` +
        `<td class="mono">${e(o.output)}${o.weight ? ' <span class="muted">(weight)</span>' : ''}</td>` +
        `<td class="num">${e(`${o.count} of ${o.elements}`)}</td><td class="num">${e(metric(o.maxAbs))}</td></tr>`,
    )
    .join('');
  const totals = p.layerwise?.overflowValues;
  const more =
    p.overflows.length > MAX_OVERFLOW_ROWS || (totals && totals['fp16-overflow'] + totals['nan-inf'] > p.overflows.length)
      ? `<p class="muted">Listed: ${Math.min(p.overflows.length, MAX_OVERFLOW_ROWS)}${totals ? ` of ${totals['fp16-overflow'] + totals['nan-inf']}` : ''} values.</p>`
      : '';
  return (
    '<h4>Overflows</h4><table class="overflows"><thead><tr><th>Kind</th><th>Node</th><th>Value</th><th>Elements</th><th>Largest |value|</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>${more}`
  );
}

function keepDtype(p: PrecisionResult): string {
  const lines = p.keepDtypeSuggestion;
  if (lines.length === 0) return '';
  const shown = lines.slice(0, MAX_KEEP_LINES);
  return (
    '<h4>Keep-dtype suggestion</h4><p>An ATC <span class="mono">--keep_dtype</span> config file that keeps the drifting ' +
    'nodes in their original precision (one node name, or <span class="mono">OpType::</span> op, per line):</p>' +
    `<pre class="keep-dtype">${shown.map(e).join('\n')}${lines.length > shown.length ? `\n# and ${lines.length - shown.length} more` : ''}</pre>`
  );
}

function method(p: PrecisionResult): string {
  const parts: string[] = [];
  if (p.emulated.length > 0) parts.push(`<h4>Emulated</h4>${list(p.emulated)}`);
  if (p.notEmulated.length > 0) parts.push(`<h4>Not emulated</h4>${list(p.notEmulated)}`);
  const assumed = [
    ...p.assumptions,
    ...(p.reference ? [`the reference is a faithful fp32 copy of the model (${p.reference})`] : []),
    `inputs: ${p.inputs.map((i) => `${i.name} ${i.dtype} ${shape(i.dims)} (${i.source})`).join(', ') || 'none'}`,
    `thresholds: ${thresholdText(p.thresholds)}; an output whose every error is at most ${p.thresholds.absoluteTolerance} passes`,
  ];
  parts.push(`<h4>Assumptions</h4>${list(assumed)}`);
  return `<div class="method">${parts.join('')}</div>`;
}
