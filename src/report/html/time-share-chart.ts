import type { SupportLevel } from '../../findings/finding.js';
import type { TargetReport } from '../types.js';
import { LEVEL_RANK, opLabel, percent } from '../wording.js';
import { LEVEL_COLOR } from './coverage-chart.js';
import { shareChart, type ShareBar } from './share-chart.js';

export interface TimeShareRow {
  label: string;
  share: number;
  /** The worst level any target gave this op. */
  level: SupportLevel;
}

const MAX_ROWS = 12;

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

/** Horizontal bars on a 0–100% axis, coloured by level; '' when no finding carries a time share. */
export function timeShareChart(targets: readonly TargetReport[]): string {
  const bars: ShareBar[] = timeShareRows(targets)
    .slice(0, MAX_ROWS)
    .map((r) => ({
      label: r.label,
      share: r.share,
      fill: LEVEL_COLOR[r.level],
      note: r.level,
      tooltip: `${r.label}: ${percent(r.share)} of reference time (${r.level})`,
    }));
  return shareChart('Share of reference run time per op with findings', bars);
}
