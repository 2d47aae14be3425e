import type { Finding } from './finding.js';
import { SEVERITY_RANK } from './levels.js';

/** The one order of findings: severity (worst first), then rule, op, domain, code, first node, args. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    cmp(a.rule, b.rule) ||
    cmp(a.op ?? '', b.op ?? '') ||
    cmp(a.domain ?? '', b.domain ?? '') ||
    cmp(a.code, b.code) ||
    cmp(a.nodes[0]?.graph ?? '', b.nodes[0]?.graph ?? '') ||
    (a.nodes[0]?.index ?? -1) - (b.nodes[0]?.index ?? -1) ||
    cmp(JSON.stringify(a.args), JSON.stringify(b.args))
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
