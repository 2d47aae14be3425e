import type { NodeDrift, ProbeNode } from './keep-probe.js';
import { maxOf } from '../arrays.js';

/**
 * Candidates tried at most. Growing prefixes and bisection cost about 2·log2 of the candidates in
 * probes, so a long list is cheap; its point is a bound on what one probe keeps.
 */
export const DEFAULT_MAX_CANDIDATES = 4096;

/**
 * The nodes worth keeping in their own precision, most promising first, from one pass's layer-wise
 * drift. A node's own drift is how much more its output moved than the most-moved value it reads:
 * drift flows downstream, so ranking by the drift itself would name every node after the first
 * break, while the increase points at where the break happens.
 * - Nodes whose values exceed fp16's range come first (in topological order): fp16 cannot hold them.
 * - Then the rest by own drift, largest first (ties in topological order).
 * - Each is followed by the nodes it reads from: where precision is lost in a producer (x + 2048
 *   rounds x away in fp16), the drift shows only in the consumer that subtracts it back, and it is
 *   the producer that has to stay in fp32.
 * Nodes with no drift at all are no candidates.
 */
export function rankCandidates(
  nodes: readonly ProbeNode[], drift: ReadonlyMap<string, NodeDrift>, max = DEFAULT_MAX_CANDIDATES,
): string[] {
  const order = new Map(nodes.map((n, i) => [n.name, i]));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const own = (n: ProbeNode): number => {
    const d = drift.get(n.name)?.drift ?? 0;
    const upstream = maxOf(n.producers.map((p) => drift.get(p)?.drift ?? 0), 0);
    return Math.max(0, d - upstream);
  };
  const overflowing = nodes.filter((n) => drift.get(n.name)?.overflow);
  const drifting = nodes
    .filter((n) => !drift.get(n.name)?.overflow && own(n) > 0)
    .map((n) => ({ n, own: own(n) }))
    .sort((a, b) => b.own - a.own || order.get(a.n.name)! - order.get(b.n.name)!)
    .map((x) => x.n);

  const out: string[] = [];
  const seen = new Set<string>();
  const add = (name: string): void => {
    if (out.length < max && !seen.has(name) && byName.has(name)) {
      seen.add(name);
      out.push(name);
    }
  };
  for (const n of [...overflowing, ...drifting]) {
    add(n.name);
    for (const p of n.producers) if ((drift.get(p)?.drift ?? 0) > 0) add(p);
    if (out.length >= max) break;
  }
  return out;
}
