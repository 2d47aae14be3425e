import type { PrecisionFamily } from '../onnx/data-types.js';
import { bytesPerElementOn, familyOn, type PeakUsed, type TargetPrecision } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import type { NodeCost, Traffic } from './flops.js';

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

/** The time of all nodes of one op type. */
export interface OpTypeSeconds {
  opType: string;
  domain: string;
  nodes: number;
  seconds: number;
  computeSeconds: number;
}

/**
 * The roofline of a whole graph, summed as it is computed: per op type, and the slowest nodes
 * only (a NodeTime per node would be a million objects per target on a million-node graph).
 */
export interface Roofline {
  /** Every op type with a costed node, in the order first met. */
  opTypes: OpTypeSeconds[];
  /** The `listed` slowest nodes with a time above 0, slowest first (ties: graph order). */
  slowest: NodeTime[];
  /** Families of the nodes that do math (FLOPs > 0), after the precision policy. */
  mathFamilies: Set<PrecisionFamily>;
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

export function roofline(costs: NodeCost[], profile: Profile, precision: TargetPrecision, listed = 8): Roofline {
  const bandwidth = profile.hardware.memoryBandwidthTBs.value * 1e12;
  const peaks = new Map<PrecisionFamily, PeakUsed | undefined>();
  const conversions = new Map<string, number>();
  const conversionKeys = new Map<PrecisionFamily, Map<PrecisionFamily, string>>();
  const bytesPerElement = bytesPerElementOn(precision);
  // Bytes a traffic list moves, by list: costNodes shares one list among the nodes that move the
  // same tensors, and only the ops the policy keeps size them differently.
  const keep = new Set(precision.keepOps);
  const bytesOfList = new Map<Traffic[], number>();
  const byType = new Map<string, Map<string, OpTypeSeconds>>();
  const opTypes: OpTypeSeconds[] = [];
  const slowest: NodeTime[] = [];
  const mathFamilies = new Set<PrecisionFamily>();
  let seconds = 0;
  let computeBound = 0;
  let memoryBound = 0;
  let flopsTotal = 0;
  let bytesTotal = 0;

  // What depends on the op type and the model's family only, kept from the node before: runs of
  // nodes of one op (a chain, a layer's elementwise tail) look nothing up again.
  let lastOpType: string | undefined;
  let lastDomain: string | undefined;
  let lastFamily: PrecisionFamily | undefined;
  let family: PrecisionFamily = 'undefined';
  let conversionKey: string | undefined;
  let kept = false;
  let type: OpTypeSeconds | undefined;
  for (const cost of costs) {
    if (!cost.costed) continue;
    if (cost.opType !== lastOpType || cost.domain !== lastDomain || cost.family !== lastFamily || !type) {
      lastOpType = cost.opType;
      lastDomain = cost.domain;
      lastFamily = cost.family;
      family = familyOn(precision, cost.family, cost.opType);
      conversionKey = undefined;
      if (family !== cost.family) {
        // The key made once per pair of families, not once per converted node.
        let to = conversionKeys.get(cost.family);
        if (!to) conversionKeys.set(cost.family, (to = new Map()));
        conversionKey = to.get(family);
        if (conversionKey === undefined) to.set(family, (conversionKey = `${cost.family}→${family}`));
      }
      kept = keep.has(cost.opType);
      let ofDomain = byType.get(cost.domain);
      if (!ofDomain) byType.set(cost.domain, (ofDomain = new Map()));
      type = ofDomain.get(cost.opType);
      if (!type) {
        ofDomain.set(cost.opType, (type = { opType: cost.opType, domain: cost.domain, nodes: 0, seconds: 0, computeSeconds: 0 }));
        opTypes.push(type);
      }
    }
    if (conversionKey !== undefined) conversions.set(conversionKey, (conversions.get(conversionKey) ?? 0) + 1);
    let bytes = kept ? undefined : bytesOfList.get(cost.traffic);
    if (bytes === undefined) {
      bytes = 0;
      for (const t of cost.traffic) bytes += t.elements * bytesPerElement(t.dtype, cost.opType);
      if (!kept) bytesOfList.set(cost.traffic, bytes);
    }
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
    type.nodes += 1;
    type.seconds += t;
    if (bound === 'compute') type.computeSeconds += t;
    if (cost.flops > 0) mathFamilies.add(family);
    // Slowest first, ties in node index order (costs come in topological order, not index order).
    if (t > 0 && (slowest.length < listed || outranks(t, cost.index, slowest[slowest.length - 1]!))) {
      let at = slowest.length;
      while (at > 0 && outranks(t, cost.index, slowest[at - 1]!)) at--;
      slowest.splice(at, 0, { cost, family, flops: cost.flops, bytes, computeSeconds, memorySeconds, seconds: t, bound });
      if (slowest.length > listed) slowest.pop();
    }
    seconds += t;
    if (bound === 'compute') computeBound += t;
    else memoryBound += t;
    flopsTotal += cost.flops;
    bytesTotal += bytes;
  }
  return {
    opTypes, slowest, mathFamilies, seconds, computeBoundSeconds: computeBound, memoryBoundSeconds: memoryBound,
    flops: flopsTotal, bytes: bytesTotal, peaks, conversions,
  };
}

function outranks(seconds: number, index: number, other: NodeTime): boolean {
  return seconds > other.seconds || (seconds === other.seconds && index < other.cost.index);
}
