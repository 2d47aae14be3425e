import type { TargetReport } from '../types.js';
import { escapeHtml as e } from '../escape.js';
import { truncate } from './coverage-chart.js';
import { duration } from './units.js';
import { maxOf } from '../../arrays.js';

const WIDTH = 840;
const LABEL_W = 190;
const BAR_W = 360;
const ROW_H = 30;
const BAR_H = 18;
const LEGEND_H = 26;
const COMPUTE = '#3b5b92';
const MEMORY = '#8fb0dd';
const COMM = '#d58a00';

/**
 * The estimated latency per target side by side, each bar split into its compute-bound and
 * memory-bound time. Where the model is split over several chips, the bar is one chip's share of
 * the work (the single-chip latency over the chips) plus the chip-to-chip communication, summed
 * as the estimate assumes (no overlap). Bars are to one scale (the slowest fills the width).
 * '' when no target has an estimate.
 */
export function latencyChart(targets: readonly TargetReport[]): string {
  const rows = targets.filter((t) => t.estimate && Number.isFinite(t.estimate.latencyMs));
  if (rows.length === 0) return '';
  const max = maxOf(rows.map((t) => split(t).work + split(t).comm));
  const scale = max > 0 ? BAR_W / max : 0;
  const bars = rows
    .map((t, i) => {
      const est = t.estimate!;
      const y = 4 + i * ROW_H;
      const { work, comm, chips } = split(t);
      const computeW = work * clampShare(est.computeBoundShare) * scale;
      const memoryW = work * clampShare(est.memoryBoundShare) * scale;
      const commW = comm * scale;
      const segs = [
        [computeW, COMPUTE, 'compute-bound'],
        [memoryW, MEMORY, 'memory-bound'],
        [commW, COMM, 'chip-to-chip communication'],
      ] as const;
      let x = LABEL_W;
      const rects = segs
        .filter(([w]) => w > 0)
        .map(([w, fill, what]) => {
          const r = `<rect x="${fixed(x)}" y="${y}" width="${fixed(Math.max(1, w))}" height="${BAR_H}" fill="${fill}"><title>${e(t.name)}: ${what}</title></rect>`;
          x += w;
          return r;
        })
        .join('');
      const words =
        chips > 1
          ? `${duration(work + comm)} on ${chips} chips (${duration(comm)} comm.)`
          : `${duration(work)} · ${est.bottleneck}-bound`;
      return (
        `<text x="${LABEL_W - 10}" y="${y + 13.5}" font-size="13" fill="#1d2330" text-anchor="end">${e(truncate(t.name, 24))}</text>` +
        `<rect x="${LABEL_W}" y="${y}" width="${BAR_W}" height="${BAR_H}" fill="#eef1f5"/>${rects}` +
        `<text x="${LABEL_W + BAR_W + 10}" y="${y + 13.5}" font-size="12" fill="#5b6475">${e(words)}</text>`
      );
    })
    .join('');
  const ly = 4 + rows.length * ROW_H + 6;
  const keys: [string, string][] = [
    [COMPUTE, 'compute-bound'],
    [MEMORY, 'memory-bound'],
  ];
  if (rows.some((t) => split(t).comm > 0)) keys.push([COMM, 'chip-to-chip communication']);
  const legend = keys
    .map(([fill, word], i) => {
      const x = LABEL_W + i * 130;
      return `<rect x="${x}" y="${ly}" width="12" height="12" rx="2" fill="${fill}"/><text x="${x + 17}" y="${ly + 10.5}" font-size="12" fill="#5b6475">${word}</text>`;
    })
    .join('');
  const height = ly + LEGEND_H;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="Estimated latency per target" font-family="system-ui, sans-serif"><title>Estimated latency per target</title>${bars}${legend}</svg>`
  );
}

/** One chip's work and the communication of one inference, as the estimate splits the model. */
function split(t: TargetReport): { work: number; comm: number; chips: number } {
  const est = t.estimate!;
  const i = est.interconnect;
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) && x > 0 ? x : 0);
  if (!i) return { work: finite(est.latencyMs), comm: 0, chips: 1 };
  return { work: finite(i.computeMsPerChip), comm: finite(i.commMsPerInference), chips: i.chips };
}

function clampShare(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function fixed(n: number): string {
  return Number(n.toFixed(2)).toString();
}
