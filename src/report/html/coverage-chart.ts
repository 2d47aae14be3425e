import type { SupportLevel } from '../../findings/finding.js';
import { escapeHtml as e } from '../escape.js';
import type { TargetReport } from '../types.js';

/** Fill colours per level; the legend and the counts say the same in words. */
export const LEVEL_COLOR: Record<SupportLevel, string> = {
  supported: '#2e7d32',
  degraded: '#d58a00',
  unknown: '#6b5bb0',
  unsupported: '#c62828',
};

/** Best first, so the bars read left to right from "fine" to "must port". */
const ORDER: SupportLevel[] = ['supported', 'degraded', 'unknown', 'unsupported'];

const WIDTH = 790;
const LABEL_W = 190;
const BAR_W = 420;
const ROW_H = 34;
const BAR_H = 20;
const TOP = 8;
const LEGEND_H = 30;

/**
 * Operator coverage per target as horizontal stacked bars: distinct op types by support level,
 * as shares of the model's op types, with the counts written beside each bar.
 */
export function coverageChart(targets: readonly TargetReport[]): string {
  const height = TOP + targets.length * ROW_H + LEGEND_H;
  const rows = targets.map((t, i) => coverageRow(t, TOP + i * ROW_H)).join('');
  const legend = ORDER.map((level, i) => {
    const x = LABEL_W + i * 110;
    const y = TOP + targets.length * ROW_H + 12;
    return (
      `<rect x="${x}" y="${y}" width="12" height="12" rx="2" fill="${LEVEL_COLOR[level]}"/>` +
      `<text x="${x + 17}" y="${y + 10.5}" font-size="12" fill="#5b6475">${level}</text>`
    );
  }).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="Operator coverage per target" font-family="system-ui, sans-serif">` +
    `<title>Operator coverage per target</title>${rows}${legend}</svg>`
  );
}

function coverageRow(t: TargetReport, y: number): string {
  const counts = t.opCoverage;
  const total = ORDER.reduce((n, level) => n + Math.max(0, counts[level] ?? 0), 0);
  const label = truncate(t.name, 24);
  let x = LABEL_W;
  const segments: string[] = [];
  for (const level of ORDER) {
    const n = Math.max(0, counts[level] ?? 0);
    if (n === 0 || total === 0) continue;
    const w = (n / total) * BAR_W;
    segments.push(
      `<rect x="${fixed(x)}" y="${y}" width="${fixed(w)}" height="${BAR_H}" fill="${LEVEL_COLOR[level]}">` +
        `<title>${e(t.name)}: ${n} ${level}</title></rect>`,
    );
    // A count inside its segment only where it fits; the total to the right says the rest.
    if (w >= 22) {
      segments.push(
        `<text x="${fixed(x + w / 2)}" y="${y + 14.5}" font-size="12" fill="#fff" text-anchor="middle">${n}</text>`,
      );
    }
    x += w;
  }
  const background = `<rect x="${LABEL_W}" y="${y}" width="${BAR_W}" height="${BAR_H}" fill="#eef1f5"/>`;
  const supportedShare = total > 0 ? Math.round((Math.max(0, counts.supported) / total) * 100) : 0;
  const summary = total > 0 ? `${counts.supported}/${total} supported (${supportedShare}%)` : 'no op types';
  return (
    `<text x="${LABEL_W - 10}" y="${y + 14.5}" font-size="13" fill="#1d2330" text-anchor="end">${e(label)}</text>` +
    background +
    segments.join('') +
    `<text x="${LABEL_W + BAR_W + 10}" y="${y + 14.5}" font-size="12" fill="#5b6475">${summary}</text>`
  );
}

function fixed(n: number): string {
  return Number(n.toFixed(2)).toString();
}

/** Long names would run into the bars; the full name is in the tables and tooltips. */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : s;
}
