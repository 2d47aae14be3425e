import { escapeHtml as e } from '../escape.js';
import { percent } from '../wording.js';
import { truncate } from './coverage-chart.js';

export interface ShareBar {
  label: string;
  /** 0..1 of the whole. */
  share: number;
  fill: string;
  /** Written after the percentage, e.g. "3 nodes". */
  note?: string;
  /** The bar's tooltip; default "label: percentage · note". */
  tooltip?: string;
}

const WIDTH = 840;
const LABEL_W = 220;
const BAR_W = 380;
const ROW_H = 26;
const BAR_H = 16;
const AXIS_H = 22;

/**
 * Horizontal bars on a 0–100% axis, one per row, the percentage written beside each bar so that
 * the chart reads without colour. `title` names the chart for screen readers and tooltips.
 */
export function shareChart(title: string, bars: readonly ShareBar[]): string {
  if (bars.length === 0) return '';
  const height = bars.length * ROW_H + AXIS_H + 6;
  const rows = bars
    .map((b, i) => {
      const y = 4 + i * ROW_H;
      const share = Number.isFinite(b.share) ? Math.min(1, Math.max(0, b.share)) : 0;
      const w = Math.max(1, share * BAR_W);
      const note = b.note ? ` · ${b.note}` : '';
      return (
        `<text x="${LABEL_W - 10}" y="${y + 12.5}" font-size="12.5" fill="#1d2330" text-anchor="end">${e(truncate(b.label, 30))}</text>` +
        `<rect x="${LABEL_W}" y="${y}" width="${BAR_W}" height="${BAR_H}" fill="#eef1f5"/>` +
        `<rect x="${LABEL_W}" y="${y}" width="${Number(w.toFixed(2))}" height="${BAR_H}" fill="${b.fill}">` +
        `<title>${e(b.tooltip ?? `${b.label}: ${percent(share)}${note}`)}</title></rect>` +
        `<text x="${LABEL_W + BAR_W + 10}" y="${y + 12.5}" font-size="12" fill="#5b6475">${percent(share)}${e(note)}</text>`
      );
    })
    .join('');
  const axisY = 4 + bars.length * ROW_H + 4;
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((v) => {
      const x = LABEL_W + v * BAR_W;
      return (
        `<line x1="${x}" y1="${axisY - 4}" x2="${x}" y2="${axisY}" stroke="#8a93a3"/>` +
        `<text x="${x}" y="${axisY + 13}" font-size="11" fill="#5b6475" text-anchor="middle">${v * 100}%</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="${e(title)}" font-family="system-ui, sans-serif"><title>${e(title)}</title>` +
    `${rows}<line x1="${LABEL_W}" y1="${axisY - 4}" x2="${LABEL_W + BAR_W}" y2="${axisY - 4}" stroke="#8a93a3"/>${ticks}</svg>`
  );
}
