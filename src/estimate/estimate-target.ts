import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR } from '../onnx/ir.js';
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
  const timing = roofline(costs, profile);

  const seqLen = options.seqLen ?? inference.seqLen;
  const memory = targetMemory(model, analysis, profile, seqLen);
  const kv = memory.kvCacheBytes;
  const minChips = options.chips !== undefined && options.chips > 1 ? Math.floor(options.chips) : 1;
  const chips = Math.max(memory.chipsNeeded, minChips);
  const interconnect = chips > 1
    ? interconnectEstimate(chips, structure, costs, inference, profile, timing.seconds, inference.batch)
    : undefined;

  return summarise({
    facts, profile, analysis, timing, memory, interconnect, kvCacheBytes: kv, seqLen,
    usableFraction: USABLE_MEMORY_FRACTION,
  });
}
