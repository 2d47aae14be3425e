import type { EffortClass, Finding, Severity, SupportLevel } from '../../findings/finding.js';
import { messageOf } from '../../findings/render.js';
import type { RuleDef } from '../../findings/rule.js';
import { opLabel, plural } from '../wording.js';

/**
 * The customer report's words for what the formats for engineers say with ids and levels: a reader
 * outside the team sees "Must be ported", not "error"; the ids are kept for the appendix.
 */
export const SEVERITY_PLAIN: Record<Severity, string> = { error: 'Must be ported', warning: 'To review', info: 'Note' };

export const LEVEL_PLAIN: Record<SupportLevel, string> = {
  supported: 'runs as is',
  degraded: 'runs, with limits',
  unsupported: 'does not run',
  unknown: 'no evidence either way',
};

export const EFFORT_PLAIN: Record<EffortClass, string> = {
  high: 'high: new kernels or a change to the model',
  medium: 'medium: graph surgery or a conversion',
  low: 'low: a flag or a re-export',
  none: 'none',
};

/**
 * A message as it reads for any target: the words of one target with its name taken out, so that
 * the same work on the 910B and the 910C is one line ("Loop (1 node): no ATC parser").
 */
export function targetFree(text: string, targetName: string): string {
  if (targetName === '') return text;
  return text
    .split(`; on ${targetName}: `).join('; ')
    .split(`; on ${targetName} `).join('; ')
    .split(` on ${targetName}`).join('')
    .split(targetName).join('the target');
}

/** What a finding is about, in a few words: its op with the node count, else the start of its message. */
export function subjectOf(f: Finding, rules: readonly RuleDef[]): string {
  const op = opLabel(f);
  if (op) return `${op}${f.nodeCount > 1 ? ` (${plural(f.nodeCount, 'node')})` : ''}`;
  const head = messageOf(f, rules).split(/[:;(]/)[0]!.trim();
  return head.length > 70 ? `${head.slice(0, 67)}…` : head;
}
