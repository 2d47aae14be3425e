import type { EffortClass, Finding } from '../findings/finding.js';
import { FALLBACK_EFFORT_DAYS } from '../profiles/constants.js';
import type { EffortDaysOverride, Profile } from '../profiles/schema.js';
import type { EffortRates, TargetReport } from './types.js';

/**
 * Porting effort in engineer-days. A finding is one work item (an op type to map or rewrite, a
 * feature to move, a precision to re-check), whatever its node count: the work is per op type, not
 * per node. Errors and warnings count; info findings (a feature in use, already covered by the
 * findings of its ops) and effort 'none' do not. One place computes the total; the kit, the HTML
 * summary and the Markdown call it.
 */

type Counted = Exclude<EffortClass, 'none'>;
const CLASSES: readonly Counted[] = ['high', 'medium', 'low'];

/** The rates a target's report carries: the profile's, with the config file's classes replacing them. */
export function effortRatesFor(profile: Profile, override?: EffortDaysOverride): EffortRates {
  const p = profile.effortDays ?? { ...FALLBACK_EFFORT_DAYS, note: "the profile states none: port-check's built-in rates" };
  const given = CLASSES.filter((c) => override?.[c] !== undefined);
  const days = {
    low: override?.low ?? p.low,
    medium: override?.medium ?? p.medium,
    high: override?.high ?? p.high,
  };
  const fromProfile = `target profile${p.note ? ` (${p.note})` : ''}`;
  const basis = given.length === 0
    ? `rates from the ${fromProfile}`
    : given.length === CLASSES.length
      ? 'rates from the config file (effortDays)'
      : `rates for ${given.join(', ')} from the config file (effortDays), the others from the ${fromProfile}`;
  return { days: { low: [...days.low], medium: [...days.medium], high: [...days.high] }, basis };
}

export interface EffortItem {
  finding: Finding;
  days: [number, number];
}

export interface EffortTotal {
  items: EffortItem[];
  byClass: Record<Counted, number>;
  days: [number, number];
  rates: EffortRates;
}

/** Whether a finding is a work item that counts towards the total. */
export function isWorkItem(f: Finding): f is Finding & { effort: Counted } {
  return (f.severity === 'error' || f.severity === 'warning') && f.effort !== 'none';
}

/** The target's total, or undefined when its report carries no rates. */
export function effortTotal(target: TargetReport): EffortTotal | undefined {
  const rates = target.effortRates;
  if (!rates) return undefined;
  const byClass: Record<Counted, number> = { high: 0, medium: 0, low: 0 };
  const items: EffortItem[] = [];
  let min = 0;
  let max = 0;
  for (const finding of target.findings) {
    if (!isWorkItem(finding)) continue;
    const days = rates.days[finding.effort];
    byClass[finding.effort]++;
    items.push({ finding, days: [days[0], days[1]] });
    min += days[0];
    max += days[1];
  }
  return { items, byClass, days: [round(min), round(max)], rates };
}

/** "2–5 engineer-days" (one figure when both ends agree). */
export function formatDays([min, max]: readonly [number, number]): string {
  const unit = max === 1 ? 'engineer-day' : 'engineer-days';
  return min === max ? `${min} ${unit}` : `${min}–${max} ${unit}`;
}

/** One sentence for a summary: "3 work items (1 high, 2 low): 6–19 engineer-days". */
export function effortSentence(total: EffortTotal): string {
  if (total.items.length === 0) return 'no work items: 0 engineer-days';
  const parts = CLASSES.filter((c) => total.byClass[c] > 0).map((c) => `${total.byClass[c]} ${c}`);
  const n = total.items.length;
  return `${n} work item${n === 1 ? '' : 's'} (${parts.join(', ')}): ${formatDays(total.days)}`;
}

/** The basis of a total, in words: what counts and at what rates. */
export function effortBasis(total: EffortTotal): string {
  const d = total.rates.days;
  return (
    'one work item per error or warning finding; ' +
    `high ${formatDays(d.high)}, medium ${formatDays(d.medium)}, low ${formatDays(d.low)} each; ${total.rates.basis}`
  );
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** What the document formats show per target: the days and the basis, or undefined without rates. */
export function effortSummaryOf(target: TargetReport): { days: string; sentence: string; basis: string } | undefined {
  const total = effortTotal(target);
  if (!total) return undefined;
  return { days: formatDays(total.days), sentence: effortSentence(total), basis: effortBasis(total) };
}
