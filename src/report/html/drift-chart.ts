import type { OutputComparison, Thresholds } from '../../precision/types.js';
import { escapeHtml as e } from '../escape.js';
import { truncate } from './coverage-chart.js';
import { metric } from './units.js';

const MAX_OUTPUTS = 12;
const WIDTH = 780;
const LABEL_W = 210;
const PLOT_W = 400;
const HEAD_H = 18;
const BAR_H = 12;
const BAR_GAP = 5;
const GROUP_GAP = 10;
const AXIS_H = 26;
const LEGEND_H = 22;
/** The log axis: 10⁻⁸ (fp32 round-off) to 1 (nothing left of the signal). */
const MIN_EXP = -8;
const MAX_EXP = 0;
const PASS = '#2e7d32';
const FAIL = '#c62828';
const THRESHOLD = '#1d2330';

interface Bar {
  name: string;
  value: number | null;
  threshold: number;
  /** The precision stage's verdict on this metric (it also weighs the absolute tolerance). */
  missed: boolean;
}

/** Position on the log axis of a non-negative value; 0 and tiny values sit at the left edge. */
function xOf(v: number): number {
  const exp = v > 0 ? Math.log10(v) : MIN_EXP;
  const clamped = Math.min(MAX_EXP, Math.max(MIN_EXP, exp));
  return LABEL_W + ((clamped - MIN_EXP) / (MAX_EXP - MIN_EXP)) * PLOT_W;
}

function fixed(n: number): string {
  return Number(n.toFixed(2)).toString();
}

/**
 * How far each output drifted, against its thresholds: per output, 1 − cosine similarity and the
 * relative Euclidean distance on a log axis, each with its threshold marked. A bar past its mark
 * fails (red where the precision stage says it missed; an output whose every error is within the
 * absolute tolerance passes whatever its relative metrics say). '' when no output has metrics.
 */
export function driftChart(target: string, outputs: readonly OutputComparison[], thresholds: Thresholds): string {
  const shown = outputs.filter((o) => o.metrics).slice(0, MAX_OUTPUTS);
  if (shown.length === 0) return '';
  const groupH = HEAD_H + 2 * (BAR_H + BAR_GAP) + GROUP_GAP;
  const top = LEGEND_H;
  const height = top + shown.length * groupH + AXIS_H;
  const groups = shown
    .map((o, i) => {
      const m = o.metrics!;
      const y0 = top + i * groupH;
      const bars: Bar[] = [
        { name: '1 − cosine', value: Number.isFinite(m.cosine) ? Math.max(0, 1 - m.cosine) : null, threshold: 1 - thresholds.cosine, missed: missed(o, 'cosine') },
        { name: 'relative distance', value: m.relativeEuclidean, threshold: thresholds.relativeEuclidean, missed: missed(o, 'relativeEuclidean') },
      ];
      const head =
        `<text x="10" y="${y0 + 13}" font-size="12.5" font-weight="600" fill="#1d2330">${e(truncate(o.name, 60))}` +
        `<tspan font-weight="400" fill="#5b6475"> · ${e(o.verdict)}</tspan></text>`;
      return head + bars.map((b, j) => barRow(o.name, b, y0 + HEAD_H + j * (BAR_H + BAR_GAP))).join('');
    })
    .join('');
  const axisY = top + shown.length * groupH + 2;
  const ticks: string[] = [];
  for (let exp = MIN_EXP; exp <= MAX_EXP; exp += 2) {
    const x = fixed(xOf(10 ** exp));
    ticks.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${axisY + 4}" stroke="#dde2ea"/>` +
        `<text x="${x}" y="${axisY + 17}" font-size="11" fill="#5b6475" text-anchor="middle">${exp === 0 ? '1' : `1e${exp}`}</text>`,
    );
  }
  const legend =
    `<rect x="${LABEL_W}" y="4" width="12" height="10" fill="${PASS}"/><text x="${LABEL_W + 17}" y="13" font-size="11.5" fill="#5b6475">within threshold</text>` +
    `<rect x="${LABEL_W + 130}" y="4" width="12" height="10" fill="${FAIL}"/><text x="${LABEL_W + 147}" y="13" font-size="11.5" fill="#5b6475">past threshold</text>` +
    `<line x1="${LABEL_W + 256}" y1="2" x2="${LABEL_W + 256}" y2="16" stroke="${THRESHOLD}" stroke-width="2"/><text x="${LABEL_W + 263}" y="13" font-size="11.5" fill="#5b6475">threshold (log scale)</text>`;
  const title = `Precision drift per output on ${target}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="${e(title)}" font-family="system-ui, sans-serif"><title>${e(title)}</title>` +
    `${ticks.join('')}${legend}${groups}` +
    `<line x1="${LABEL_W}" y1="${axisY}" x2="${LABEL_W + PLOT_W}" y2="${axisY}" stroke="#8a93a3"/></svg>`
  );
}

function missed(o: OutputComparison, metricName: 'cosine' | 'relativeEuclidean'): boolean {
  return o.misses.some((m) => m.metric === metricName);
}

function barRow(output: string, b: Bar, y: number): string {
  const label = `<text x="${LABEL_W - 10}" y="${y + 10}" font-size="11.5" fill="#5b6475" text-anchor="end">${b.name}</text>`;
  const background = `<rect x="${LABEL_W}" y="${y}" width="${PLOT_W}" height="${BAR_H}" fill="#eef1f5"/>`;
  const threshold = Number.isFinite(b.threshold) && b.threshold > 0 ? b.threshold : undefined;
  const mark =
    threshold !== undefined
      ? `<line x1="${fixed(xOf(threshold))}" y1="${y - 2}" x2="${fixed(xOf(threshold))}" y2="${y + BAR_H + 2}" stroke="${THRESHOLD}" stroke-width="2"/>`
      : '';
  if (b.value === null || !Number.isFinite(b.value)) {
    return `${label}${background}${mark}<text x="${LABEL_W + PLOT_W + 10}" y="${y + 10}" font-size="11.5" fill="#5b6475">n/a</text>`;
  }
  const pass = !b.missed;
  const w = Math.max(1, xOf(b.value) - LABEL_W);
  const words = `${metric(b.value)}${threshold !== undefined ? ` (limit ${metric(threshold)})` : ''}`;
  return (
    label +
    background +
    `<rect x="${LABEL_W}" y="${y}" width="${fixed(w)}" height="${BAR_H}" fill="${pass ? PASS : FAIL}">` +
    `<title>${e(output)}: ${b.name} ${words}${pass ? '' : ', past the threshold'}</title></rect>` +
    mark +
    `<text x="${LABEL_W + PLOT_W + 10}" y="${y + 10}" font-size="11.5" fill="${pass ? '#5b6475' : FAIL}">${words}${pass ? '' : ' ✗'}</text>`
  );
}
