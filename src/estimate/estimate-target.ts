import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR } from '../onnx/ir.js';
import { resolvePolicy } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import { analyseModel, type EstimateOptions } from './analyse-model.js';
import { interconnectEstimate } from './interconnect.js';
import { targetMemory, USABLE_MEMORY_FRACTION } from './memory.js';
import { roofline } from './roofline.js';
import { summarise } from './summary.js';
import type { TargetEstimate } from './types.js';

/**
 * Latency, memory and chip count of one inference on one target, with the assumptions behind
 * every number. Pure: no I/O; the same inputs give the same estimate.
 */
export function estimate(model: ModelIR, facts: ModelFacts, profile: Profile, options: EstimateOptions = {}): TargetEstimate {
  const analysis = options.analysis ?? analyseModel(model, options);
  const { inference, costs, structure } = analysis;
  // Sized and timed under the compiler's default policy, whatever --precision emulates.
  const precision = resolvePolicy(profile);
  const timing = roofline(costs, profile, precision);

  const seqLen = options.seqLen ?? inference.seqLen;
  const memory = targetMemory(model, analysis, profile, seqLen);
  const kv = memory.kvCacheBytes;
  const minChips = options.chips !== undefined && options.chips > 1 ? Math.floor(options.chips) : 1;
  const chips = Math.max(memory.chipsNeeded, minChips);
  const interconnect = chips > 1
    ? interconnectEstimate(chips, structure, costs, inference, profile, precision, timing.seconds, inference.batch)
    : undefined;

  const summary = summarise({
    facts, profile, precision, analysis, timing, memory, interconnect, kvCacheBytes: kv, seqLen,
    usableFraction: USABLE_MEMORY_FRACTION,
  });
  return withHostTransfer(summary, profile, options);
}

/** What one crossing costs beyond its bytes: a stream synchronisation and a launch, about 10 µs. */
export const SYNC_MS_PER_CROSSING = 0.01;

/**
 * Adds the fallback islands' crossings to the latency: each crossing tensor over the target's host
 * link, plus a synchronisation. No host link in the profile: the term is left out and said so.
 */
function withHostTransfer(est: TargetEstimate, profile: Profile, options: EstimateOptions): TargetEstimate {
  const parts = options.partitions;
  if (!parts || parts.crossings === 0) return est;
  const link = profile.hardware.hostLink;
  if (!link) {
    return { ...est, assumptions: [...est.assumptions, `${parts.crossings} tensors cross between ${parts.device} and ${parts.host} partitions, but the profile names no host link: their transfer time is not counted`] };
  }
  const bandwidth = link.bandwidthGBs.value;
  const ms = (bandwidth > 0 ? (parts.crossingBytes / (bandwidth * 1e9)) * 1e3 : 0) + parts.crossings * SYNC_MS_PER_CROSSING;
  const rank = { low: 0, medium: 1, high: 2 } as const;
  const total = est.latencyMs + ms;
  return {
    ...est,
    latencyMs: Number(total.toPrecision(4)),
    confidence: rank[link.bandwidthGBs.confidence] < rank[est.confidence] ? link.bandwidthGBs.confidence : est.confidence,
    hostTransfer: {
      link: link.name,
      bandwidthGBs: bandwidth,
      confidence: link.bandwidthGBs.confidence,
      crossings: parts.crossings,
      bytes: parts.crossingBytes,
      unsizedCrossings: parts.unsizedCrossings,
      ms: Number(ms.toPrecision(4)),
    },
    assumptions: [
      ...est.assumptions,
      `fallback islands: ${parts.crossings} tensors (${parts.crossingBytes} bytes${parts.unsizedCrossings > 0 ? `, ${parts.unsizedCrossings} of unknown size` : ''}) cross between ${parts.device} and ${parts.host} partitions, ` +
        `each over ${link.name} at ${bandwidth} GB/s (${link.bandwidthGBs.confidence}) plus ${SYNC_MS_PER_CROSSING * 1000} µs of synchronisation, added to the latency`,
    ],
  };
}
