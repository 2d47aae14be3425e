import { escapeHtml as e } from '../escape.js';
import type { TargetServingPlan } from '../../serve/types.js';
import { ms } from './words.js';

const WIDTH = 840;
const LEFT = 70;
const RIGHT = 190;
const TOP = 12;
const PLOT_H = 260;
const BOTTOM = 44;
/** One colour per target, in the house palette (see html/latency-chart.ts). */
const COLOURS = ['#3b5b92', '#d58a00', '#2e8b57', '#8e44ad', '#c0392b', '#5b6475'];

/**
 * TPOT against batch per target, both axes logarithmic (batch doubles per tick; TPOT spans orders
 * of magnitude from memory-bound to compute-bound), at each target's planned layout. A point whose
 * KV cache does not fit the layout's memory is hollow. '' when no target has a curve.
 */
export function tpotChart(targets: readonly TargetServingPlan[]): string {
  const series = targets.filter((t) => t.curve.some((p) => Number.isFinite(p.tpotMs) && p.tpotMs > 0));
  if (series.length === 0) return '';
  const points = series.flatMap((t) => t.curve.filter((p) => p.tpotMs > 0 && Number.isFinite(p.tpotMs)));
  const bMin = Math.min(...points.map((p) => p.batch));
  const bMax = Math.max(...points.map((p) => p.batch), bMin * 2);
  const tMin = Math.min(...points.map((p) => p.tpotMs));
  const tMax = Math.max(...points.map((p) => p.tpotMs), tMin * 2);
  const lo = Math.floor(Math.log10(tMin));
  const hi = Math.ceil(Math.log10(tMax));
  const plotW = WIDTH - LEFT - RIGHT;
  const x = (b: number) => LEFT + ((Math.log2(b) - Math.log2(bMin)) / (Math.log2(bMax) - Math.log2(bMin))) * plotW;
  const y = (t: number) => TOP + PLOT_H - ((Math.log10(t) - lo) / Math.max(1, hi - lo)) * PLOT_H;

  const grid: string[] = [];
  for (let p = lo; p <= hi; p++) {
    const yy = fixed(y(10 ** p));
    grid.push(`<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${yy}" y2="${yy}" stroke="#e3e7ee"/>` +
      `<text x="${LEFT - 8}" y="${yy}" dy="4" font-size="11" fill="#5b6475" text-anchor="end">${e(ms(10 ** p))}</text>`);
  }
  const batches = [...new Set(points.map((p) => p.batch))].sort((a, b) => a - b);
  const step = Math.max(1, Math.ceil(batches.length / 12));
  batches.forEach((b, i) => {
    if (i % step !== 0) return;
    grid.push(`<text x="${fixed(x(b))}" y="${TOP + PLOT_H + 16}" font-size="11" fill="#5b6475" text-anchor="middle">${b}</text>`);
  });
  grid.push(`<text x="${LEFT + plotW / 2}" y="${TOP + PLOT_H + 34}" font-size="12" fill="#1d2330" text-anchor="middle">batch (sequences decoded together per instance)</text>`);

  const lines = series.map((t, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const pts = t.curve.filter((p) => p.tpotMs > 0 && Number.isFinite(p.tpotMs));
    const path = pts.map((p, j) => `${j === 0 ? 'M' : 'L'}${fixed(x(p.batch))},${fixed(y(p.tpotMs))}`).join('');
    const dots = pts
      .map((p) => `<circle cx="${fixed(x(p.batch))}" cy="${fixed(y(p.tpotMs))}" r="3.5" fill="${p.fits ? colour : '#fff'}" stroke="${colour}">` +
        `<title>${e(t.name)}: batch ${p.batch}, TPOT ${e(ms(p.tpotMs))}, ${Math.round(p.tokensPerSecondPerChip)} tokens/s per chip${p.fits ? '' : ' (KV cache does not fit)'}</title></circle>`)
      .join('');
    const last = pts[pts.length - 1]!;
    const label = `<text x="${fixed(x(last.batch) + 8)}" y="${fixed(y(last.tpotMs))}" dy="4" font-size="12" fill="${colour}">${e(t.name)} (${t.layout.chips} chips)</text>`;
    return `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${dots}${label}`;
  });
  const height = TOP + PLOT_H + BOTTOM;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="Time per output token against batch, per target" font-family="system-ui, sans-serif">` +
    `<title>Time per output token against batch, per target</title>${grid.join('')}${lines.join('')}</svg>`
  );
}

function fixed(n: number): string {
  return Number(n.toFixed(2)).toString();
}
