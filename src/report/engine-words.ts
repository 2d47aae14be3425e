import type { TargetReport } from './types.js';

export { ENGINE_WORDS } from '../assess/op-table.js';

/** "hicann/ops-nn@e5c3fa9 (2026-08-22)": one evidence version, short. */
export function evidenceWords(e: NonNullable<TargetReport['evidence']>[number]): string {
  const what = e.component.includes(': ') ? e.component.slice(e.component.lastIndexOf(': ') + 2) : e.component;
  const commit = e.commit ? `@${e.commit.slice(0, 9)}` : '';
  const extra = [e.version, e.date].filter(Boolean).join(', ');
  return `${what}${commit}${extra ? ` (${extra})` : ''}`;
}
