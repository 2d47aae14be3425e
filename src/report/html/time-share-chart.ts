import type { SupportLevel } from '../../checks/finding.js';
import { escapeHtml as e } from '../escape.js';
import type { TargetReport } from '../types.js';
import { LEVEL_RANK, opLabel, percent } from '../wording.js';
import { LEVEL_COLOR, truncate } from './coverage-chart.js';

export interface TimeShareRow {
  label: string;
  share: number;
  /** The worst level any target gave this op. */
  level: SupportLevel;
}

const MAX_ROWS = 12;
const WIDTH = 760;
const LABEL_W = 220;
const BAR_W = 380;
const ROW_H = 26;
const BAR_H = 16;
const AXIS_H = 22;

/**
 * Ops with findings ranked by their share of the reference run's time, one row per op over all
 * targets (the time is measured once, on this machine) coloured by the worst level a target gave.
 */
export function timeShareRows(targets: readonly TargetReport[]): TimeShareRow[] {
  const rows = new Map<string, TimeShareRow>();
  for (const t of targets) {
    for (const f of t.findings) {
      if (f.timeShare === undefined || !Number.isFinite(f.timeShare)) continue;
      const label = opLabel(f) || f.rule;
      const share = Math.min(1, Math.max(0, f.timeShare));
      const row = rows.get(label);
      if (!row) rows.set(label, { label, share, level: f.level });
      else {
        row.share = Math.max(row.share, share);
        if (LEVEL_RANK[f.level] > LEVEL_RANK[row.level]) row.level = f.level;
      }
    }
  }
  return [...rows.values()].sort((a, b) => b.share - a.share || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** Horizontal bars on a 0–100% axis; '' when no finding carries a time share. */
export function timeShareChart(targets: readonly TargetReport[]): string {
  const rows = timeShareRows(targets).slice(0, MAX_ROWS);
  if (rows.length === 0) return '';
  const height = rows.length * ROW_H + AXIS_H + 6;
  const bars = rows
    .map((r, i) => {
      const y = 4 + i * ROW_H;
      const w = Math.max(1, r.share * BAR_W);
      return (
        `<text x="${LABEL_W - 10}" y="${y + 12.5}" font-size="12.5" fill="#1d2330" text-anchor="end">${e(truncate(r.label, 30))}</text>` +
        `<rect x="${LABEL_W}" y="${y}" width="${BAR_W}" height="${BAR_H}" fill="#eef1f5"/>` +
        `<rect x="${LABEL_W}" y="${y}" width="${Number(w.toFixed(2))}" height="${BAR_H}" fill="${LEVEL_COLOR[r.level]}">` +
        `<title>${e(r.label)}: ${percent(r.share)} of reference time (${r.level})</title></rect>` +
        `<text x="${LABEL_W + BAR_W + 10}" y="${y + 12.5}" font-size="12" fill="#5b6475">${percent(r.share)} · ${r.level}</text>`
      );
    })
    .join('');
  const axisY = 4 + rows.length * ROW_H + 4;
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
    `role="img" aria-label="Share of reference run time per op with findings" font-family="system-ui, sans-serif">` +
    `<title>Share of reference run time per op with findings</title>` +
    `${bars}<line x1="${LABEL_W}" y1="${axisY - 4}" x2="${LABEL_W + BAR_W}" y2="${axisY - 4}" stroke="#8a93a3"/>${ticks}</svg>`
  );
}
