import { defineCheck } from '../assess/define-check.js';
import type { Finding } from '../findings/finding.js';
import type { Rule } from '../findings/rule.js';

type Code = 'more-findings';

/**
 * Findings of one rule and code past MAX_FINDINGS_PER_CODE, folded into one. A hostile model can
 * hold a million distinct op types, each a finding of its own on every target: listed one by one,
 * that is gigabytes of report. Findings come sorted, so the ones kept are the first in report
 * order; the fold says how many more there are, how many nodes they concern, and names a few.
 */
export const MAX_FINDINGS_PER_CODE = 100;

export default defineCheck({
  id: 'more-findings',
  summary: 'findings of one rule and code beyond the first 100 on a target, folded into one that counts them (a report stays readable on a model with thousands of op types)',
  description:
    'When one rule reports more than 100 findings of one code on a target (a model with thousands of unsupported op ' +
    'types), the first 100 are listed and the rest are folded into this one finding, which counts them and their ' +
    'nodes and names the first few. It takes the severity of the findings it folds.',
  messages: {
    'more-findings': {
      text: '{count:count(more finding)} of {kind}, not listed one by one ({nodeCount:count(node)}): {names:list(5,count)}',
      severity: 'warning',
      level: 'unknown',
      remedy: 'Fix the findings listed above first; the folded ones are of the same kind and usually share the remedy.',
      effort: 'low',
      description: 'More findings of one rule and code than a report lists; they are counted here.',
    },
  },
  // Makes no findings of its own: runChecks folds the others' with foldFindings.
  run() {
    return [];
  },
});

/**
 * Keeps the first MAX_FINDINGS_PER_CODE findings of each rule and code (in the order given) and
 * folds the rest of each into one finding of `rule` (this check's).
 */
export function foldFindings(findings: Finding[], rule: Rule): Finding[] {
  const seen = new Map<string, number>();
  const folded = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.rule}/${f.code}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n <= MAX_FINDINGS_PER_CODE) out.push(f);
    else {
      let rest = folded.get(key);
      if (!rest) folded.set(key, (rest = []));
      rest.push(f);
    }
  }
  for (const [kind, rest] of folded) {
    const first = rest[0]!;
    let nodeCount = 0;
    for (const f of rest) nodeCount += f.nodeCount;
    out.push(rule.finding('more-findings', {
      args: { kind, count: rest.length, nodeCount, names: rest.slice(0, 5).map((f) => (f.op !== undefined ? (f.domain && f.domain !== 'ai.onnx' ? `${f.domain}::${f.op}` : f.op) : f.code)) },
      severity: first.severity,
      level: first.level,
      effort: first.effort,
      nodeCount,
      source: [],
    }));
  }
  return out;
}
