import type { OutputComparison } from '../precision/types.js';
import { DEFAULT_MAX_CANDIDATES, rankCandidates } from './candidates.js';
import type { KeepProbe, ProbeOutcome } from './keep-probe.js';
import { minOf } from '../arrays.js';

/** Emulation passes the search may take, the first (layer-wise) one included. */
export const DEFAULT_PROBE_BUDGET = 32;

export interface KeepSearchOptions {
  /** Default DEFAULT_PROBE_BUDGET; at least 1. */
  budget?: number;
  maxCandidates?: number;
}

export interface KeepSearchResult {
  /**
   * not-needed: every output passes with nothing kept. found: `keep` brings every output back within
   * the thresholds. none-sufficed: no set tried within the budget did; `keep` is the best reached.
   * given: the user's own set (`--keep`), tried as it is. failed: the emulation did not run.
   */
  status: 'not-needed' | 'found' | 'none-sufficed' | 'given' | 'failed';
  reason?: string;
  /** Probe node names, in topological order. */
  keep: string[];
  /** The outputs with nothing kept, and with `keep`. */
  before: OutputComparison[];
  after: OutputComparison[];
  /** Emulation passes taken, and allowed. */
  probes: number;
  budget: number;
  /** Nodes the layer-wise drift made candidates. */
  candidates: number;
  /** Whether each node of a found set was tried without and found needed (false when the budget ran out first). */
  minimal: boolean;
}

type Passed = Extract<ProbeOutcome, { ok: true }>;

/**
 * The fewest nodes to keep in fp32 so that every output is back within the thresholds, in probes of
 * one emulation pass each:
 * 1. a layer-wise pass with nothing kept; if every output passes, nothing needs keeping;
 * 2. greedy worst-first: the candidates ranked from that pass's drift (rankCandidates), kept as
 *    growing prefixes (1, 2, 4, ... of them) until one passes;
 * 3. bisection between the last failing prefix and the first passing one, for the shortest;
 * 4. pruning: chunks of that prefix (halves, quarters, ... single nodes), least promising first,
 *    dropped when the rest still passes; at the end each node left was tried without.
 * Steps 2-3 assume that keeping more never hurts, which holds for rounding (a kept node computes
 * exactly what the reference does). When the budget runs out before a set passes, the best set
 * reached (fewest failing outputs, then highest worst cosine) is returned as 'none-sufficed'.
 */
export async function searchKeepSet(probe: KeepProbe, options: KeepSearchOptions = {}): Promise<KeepSearchResult> {
  const budget = Math.max(1, Math.trunc(options.budget ?? DEFAULT_PROBE_BUDGET));
  const order = new Map(probe.nodes.map((n, i) => [n.name, i]));
  const sorted = (names: Iterable<string>): string[] => [...names].sort((a, b) => order.get(a)! - order.get(b)!);
  let probes = 0;
  const run = async (keep: readonly string[], perNode: false | 'when-failing' = false): Promise<ProbeOutcome> => {
    probes++;
    return probe.run(new Set(keep), { perNode });
  };

  const first = await run([], 'when-failing');
  const base = { before: [] as OutputComparison[], after: [] as OutputComparison[], budget, candidates: 0, minimal: false };
  if (!first.ok) return { ...base, status: 'failed', reason: first.reason, keep: [], probes };
  const before = first.outputs;
  if (first.pass) return { ...base, before, after: before, status: 'not-needed', keep: [], probes, minimal: true };

  const candidates = rankCandidates(probe.nodes, first.nodes ?? new Map(), options.maxCandidates ?? DEFAULT_MAX_CANDIDATES);
  let best = { keep: [] as string[], outcome: first as Passed };
  const consider = (keep: string[], outcome: Passed): void => {
    if (better(outcome, keep, best.outcome, best.keep)) best = { keep, outcome };
  };
  const failed = (reason: string): KeepSearchResult => ({
    ...base, before, after: best.outcome.outputs, status: 'failed', reason, keep: sorted(best.keep), probes, candidates: candidates.length,
  });

  // Greedy worst-first: growing prefixes of the ranked candidates.
  let lastFail = 0;
  let firstPass: { size: number; outcome: Passed } | undefined;
  for (let size = 1; candidates.length > 0 && probes < budget; size *= 2) {
    const k = Math.min(size, candidates.length);
    const keep = candidates.slice(0, k);
    const outcome = await run(keep);
    if (!outcome.ok) return failed(outcome.reason);
    consider(keep, outcome);
    if (outcome.pass) {
      firstPass = { size: k, outcome };
      break;
    }
    lastFail = k;
    if (k === candidates.length) break;
  }
  if (!firstPass) {
    return {
      ...base, before, after: best.outcome.outputs, status: 'none-sufficed', keep: sorted(best.keep), probes,
      candidates: candidates.length,
    };
  }

  // Bisection: the shortest passing prefix.
  let lo = lastFail + 1;
  let hi = firstPass.size;
  let passing = firstPass.outcome;
  while (lo < hi && probes < budget) {
    const mid = Math.floor((lo + hi) / 2);
    const outcome = await run(candidates.slice(0, mid));
    if (!outcome.ok) return failed(outcome.reason);
    if (outcome.pass) {
      hi = mid;
      passing = outcome;
    } else lo = mid + 1;
  }
  let keep = candidates.slice(0, hi);

  // Pruning: drop chunks of the set the rest passes without, halving the chunk size down to one
  // node, least promising first.
  let minimal = true;
  prune: for (let chunk = Math.max(1, Math.ceil(keep.length / 2)); ; chunk = Math.max(1, Math.ceil(chunk / 2))) {
    for (let end = keep.length; end > 0; end -= chunk) {
      const start = Math.max(0, end - chunk);
      const without = [...keep.slice(0, start), ...keep.slice(end)];
      if (without.length === 0) continue; // the empty set is the first probe, which failed
      if (probes >= budget) {
        minimal = false;
        break prune;
      }
      const outcome = await run(without);
      if (!outcome.ok) return failed(outcome.reason);
      if (outcome.pass) {
        keep = without;
        passing = outcome;
      }
    }
    if (chunk === 1) break;
  }
  return { ...base, before, after: passing.outputs, status: 'found', keep: sorted(keep), probes, candidates: candidates.length, minimal };
}

/** The user's own set, tried as it is: a pass with nothing kept, and one with the set. */
export async function tryKeepSet(probe: KeepProbe, keep: readonly string[]): Promise<KeepSearchResult> {
  const order = new Map(probe.nodes.map((n, i) => [n.name, i]));
  const base = { budget: 2, candidates: 0, minimal: false, keep: [...keep].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)) };
  const first = await probe.run(new Set());
  if (!first.ok) return { ...base, status: 'failed', reason: first.reason, before: [], after: [], probes: 1 };
  const kept = await probe.run(new Set(keep));
  if (!kept.ok) return { ...base, status: 'failed', reason: kept.reason, before: first.outputs, after: [], probes: 2 };
  return { ...base, status: 'given', before: first.outputs, after: kept.outputs, probes: 2 };
}

/** Whether every output passes. */
export function allPass(outputs: readonly OutputComparison[]): boolean {
  return outputs.every((o) => o.verdict !== 'fail');
}

/** Fewer failing outputs, then a higher worst cosine, then fewer nodes kept. */
function better(a: Passed, aKeep: readonly string[], b: Passed, bKeep: readonly string[]): boolean {
  const fails = (o: Passed): number => o.outputs.filter((x) => x.verdict === 'fail').length;
  const worst = (o: Passed): number => minOf(o.outputs.map((x) => (x.metrics && Number.isFinite(x.metrics.cosine) ? x.metrics.cosine : -1)));
  if (fails(a) !== fails(b)) return fails(a) < fails(b);
  if (worst(a) !== worst(b)) return worst(a) > worst(b);
  return aKeep.length < bKeep.length;
}
