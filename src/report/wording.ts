import type { EffortClass, Finding, Severity } from '../findings/finding.js';
import { isWorkItem } from './effort.js';
import type { TargetReport, Verdict } from './types.js';

/** Words shared by the document formats (Markdown, HTML, job summary), so that they agree. */
export const VERDICT_LABEL: Record<Verdict, string> = {
  ready: 'Ready',
  'runs-with-changes': 'Runs with changes',
  blocked: 'Blocked',
  unknown: 'Unknown',
};

export const VERDICT_MEANING: Record<Verdict, string> = {
  ready: 'nothing to port',
  'runs-with-changes': 'runs; degraded items to review',
  blocked: 'must be ported before it runs',
  unknown: 'no evidence for some ops: could not tell',
};

export const VERDICT_EMOJI: Record<Verdict, string> = {
  ready: '✅',
  'runs-with-changes': '⚠️',
  blocked: '⛔',
  unknown: '❓',
};

export const SEVERITY_EMOJI: Record<Severity, string> = { error: '⛔', warning: '⚠️', info: 'ℹ️' };

export { LEVEL_RANK } from '../findings/levels.js';
export { percent, plural } from '../findings/format-values.js';

/** A blocker is an error-severity finding: what makes a target's verdict "blocked". */
export function isBlocker(f: Finding): boolean {
  return f.severity === 'error';
}

export function blockersOf(t: TargetReport): Finding[] {
  return t.findings.filter(isBlocker);
}

/** "com.microsoft::Attention" for non-default domains, "Conv" for ai.onnx; "" without an op. */
export function opLabel(f: Pick<Finding, 'op' | 'domain'>): string {
  if (f.op === undefined) return '';
  return f.domain && f.domain !== 'ai.onnx' && f.domain !== '' ? `${f.domain}::${f.op}` : f.op;
}

/** Porting work items (report/effort.ts says which findings are) by effort class. */
function effortCounts(findings: readonly Finding[]): Record<EffortClass, number> {
  const out: Record<EffortClass, number> = { high: 0, medium: 0, low: 0, none: 0 };
  for (const f of findings) if (isWorkItem(f)) out[f.effort] += 1;
  return out;
}

/** "2 high, 1 medium, 3 low" or "none". */
export function effortSummary(findings: readonly Finding[]): string {
  const c = effortCounts(findings);
  const parts = (['high', 'medium', 'low'] as const).filter((e) => c[e] > 0).map((e) => `${c[e]} ${e}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}


/** Node names of a finding, "graph/name" outside the main graph, and how many were left out. */
export function nodeNames(f: Finding, max: number): { names: string[]; more: number } {
  const names = f.nodes.slice(0, max).map((n) => (n.graph === 'main' || n.graph === '' ? n.name : `${n.graph}/${n.name}`));
  return { names, more: Math.max(0, f.nodeCount - names.length) };
}

/** The text with a full stop, unless it already ends a sentence. */
export function sentence(s: string): string {
  const t = s.trimEnd();
  return t === '' || /[.!?…]$/.test(t) ? t : `${t}.`;
}
