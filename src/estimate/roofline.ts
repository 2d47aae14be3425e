import type { PrecisionFamily } from '../onnx/data-types.js';
import { bytesPerElementOn, familyOn, type PeakUsed, type TargetPrecision } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import type { NodeCost } from './flops.js';

/**
 * A roofline per node on one target: time = max(FLOPs / peak of the precision it computes in,
 * bytes moved / memory bandwidth). Nodes run one after another with no overlap, each at 100% of
 * the dense peak or of the bandwidth: the total is a lower bound on the target's latency.
 */
export interface NodeTime {
  cost: NodeCost;
  /** The family the target computes this node in (after the precision policy). */
  family: PrecisionFamily;
  flops: number;
  bytes: number;
  computeSeconds: number;
  memorySeconds: number;
  seconds: number;
  bound: 'compute' | 'memory';
}

export interface Roofline {
  nodes: NodeTime[];
  seconds: number;
  computeBoundSeconds: number;
  memoryBoundSeconds: number;
  flops: number;
  bytes: number;
  /** Peaks actually used, by the family asked for. */
  peaks: Map<PrecisionFamily, PeakUsed | undefined>;
  /** Families the policy converted: model family → target family, with node counts. */
  conversions: Map<string, number>;
}

export function roofline(costs: NodeCost[], profile: Profile, precision: TargetPrecision): Roofline {
  const bandwidth = profile.hardware.memoryBandwidthTBs.value * 1e12;
  const peaks = new Map<PrecisionFamily, PeakUsed | undefined>();
  const conversions = new Map<string, number>();
  const bytesPerElement = bytesPerElementOn(precision);
  const nodes: NodeTime[] = [];
  let seconds = 0;
  let computeBound = 0;
  let memoryBound = 0;
  let flopsTotal = 0;
  let bytesTotal = 0;

  for (const cost of costs) {
    if (!cost.costed) continue;
    const family = familyOn(precision, cost.family, cost.opType);
    if (family !== cost.family) {
      const key = `${cost.family}→${family}`;
      conversions.set(key, (conversions.get(key) ?? 0) + 1);
    }
    let bytes = 0;
    for (const t of cost.traffic) bytes += t.elements * bytesPerElement(t.dtype, cost.opType);
    let peak: PeakUsed | undefined;
    if (cost.flops > 0) {
      if (!peaks.has(family)) peaks.set(family, precision.peaks[family]);
      peak = peaks.get(family);
    }
    // A peak of 0 (a profile saying "no such compute") must not turn into an infinite time.
    const computeSeconds = peak && peak.tflops > 0 ? cost.flops / (peak.tflops * 1e12) : 0;
    const memorySeconds = bandwidth > 0 ? bytes / bandwidth : 0;
    const t = Math.max(computeSeconds, memorySeconds);
    const bound = computeSeconds > memorySeconds ? 'compute' : 'memory';
    nodes.push({ cost, family, flops: cost.flops, bytes, computeSeconds, memorySeconds, seconds: t, bound });
    seconds += t;
    if (bound === 'compute') computeBound += t;
    else memoryBound += t;
    flopsTotal += cost.flops;
    bytesTotal += bytes;
  }
  return {
    nodes, seconds, computeBoundSeconds: computeBound, memoryBoundSeconds: memoryBound,
    flops: flopsTotal, bytes: bytesTotal, peaks, conversions,
  };
}
