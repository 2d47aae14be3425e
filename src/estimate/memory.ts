import { familyOf } from '../onnx/data-types.js';
import type { ModelIR, TensorMetaIR } from '../onnx/ir.js';
import { bytesPerElement, bytesPerElementOn, familyOn, resolvePolicy, type TargetPrecision } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import { elementCount } from './shape-math.js';
import type { ShapeInference } from './shape-inference.js';
import type { TransformerStructure } from './model-structure.js';
import type { ModelAnalysis } from './analyse-model.js';

/**
 * Device memory one inference needs on a target, and how many chips that takes:
 * - weights: every initializer (all graphs) and Constant tensor, floats sized in the precision the
 *   target computes in (fp32 weights are stored as fp16 under ATC's force_fp16);
 * - activations: the peak of a liveness walk over the main graph in topological order: a value is
 *   live from the node that writes it to the last node that reads it (graph inputs from the
 *   start, graph outputs to the end); the peak is the largest sum of live values;
 * - KV cache (decoders): 2 (K and V) · layers · batch · seqLen · kvHidden · bytes per element,
 *   where kvHidden = kv heads · head size;
 * - chips needed: ceil(total / (device memory · USABLE_MEMORY_FRACTION)), at least 1.
 */
export const USABLE_MEMORY_FRACTION = 0.9;

export interface MemoryEstimate {
  weightsBytes: number;
  activationBytes: number;
  kvCacheBytes: number;
  totalBytes: number;
  deviceBytes: number;
  usableFraction: number;
  fits: boolean;
  chipsNeeded: number;
  /** Values left out of the activation peak because their shape is unknown. */
  unsizedValues: number;
}

export function weightBytes(model: ModelIR, precision: TargetPrecision): number {
  let total = 0;
  const add = (t: TensorMetaIR) => {
    if (!Number.isFinite(t.byteSize) || !Number.isFinite(t.elementCount)) return;
    // Sizes come from byteSize (exact for packed int4 and strings); only converted floats change.
    const family = familyOf(t.dtype);
    total += familyOn(precision, family, '') !== family ? t.elementCount * bytesPerElement(precision, t.dtype, '') : t.byteSize;
  };
  for (const g of model.graphs) {
    for (const t of g.initializers) add(t);
    for (const t of g.sparseInitializers) total += Number.isFinite(t.byteSize) ? t.byteSize : 0;
    for (const n of g.nodes) {
      if (n.opType !== 'Constant') continue;
      for (const a of n.attributes) for (const t of a.tensors ?? []) add(t);
    }
  }
  return total;
}

/** Peak bytes of live activations over the main graph; unknown shapes are counted as 0 and reported. */
export function peakActivations(inference: ShapeInference, precision: TargetPrecision): { bytes: number; unsized: number } {
  const { graph, order, shapes, initializers } = inference;
  const position = new Map<number, number>();
  order.forEach((nodeIndex, pos) => position.set(nodeIndex, pos));
  const lastUse = new Map<string, number>();
  for (const nodeIndex of order) {
    for (const i of graph.nodes[nodeIndex]!.inputs) if (i !== '') lastUse.set(i, position.get(nodeIndex)!);
  }
  const end = order.length;
  for (const o of graph.outputs) lastUse.set(o.name, end);

  let unsized = 0;
  const bytesOf = bytesPerElementOn(precision);
  const sizeOf = (name: string): number => {
    const s = shapes.get(name);
    if (!s?.dims || !s.dtype) {
      unsized += 1;
      return 0;
    }
    return elementCount(s.dims) * bytesOf(s.dtype, '');
  };
  // Frees scheduled per position: a value dies after the last node that reads it.
  const frees: number[] = new Array<number>(end + 1).fill(0);
  let live = 0;
  for (const input of graph.inputs) {
    if (initializers.has(input.name)) continue;
    const bytes = sizeOf(input.name);
    live += bytes;
    frees[lastUse.get(input.name) ?? 0]! += bytes;
  }
  let peak = live;
  order.forEach((nodeIndex, pos) => {
    for (const o of graph.nodes[nodeIndex]!.outputs) {
      if (o === '' || initializers.has(o)) continue;
      const bytes = sizeOf(o);
      live += bytes;
      // An output nobody reads dies right after its node.
      frees[lastUse.get(o) ?? pos]! += bytes;
    }
    peak = Math.max(peak, live);
    live -= frees[pos]!;
  });
  return { bytes: peak, unsized };
}

export function kvCacheBytes(
  structure: TransformerStructure | undefined, batch: number, seqLen: number, precision: TargetPrecision,
): number {
  const kv = structure?.kvCache;
  if (!kv) return 0;
  return 2 * kv.layers * batch * seqLen * kv.kvHidden * bytesPerElement(precision, kv.dtype, '');
}

/**
 * The memory one inference needs on a target: the one figure the memory-fit finding and the
 * estimate both use (weights in the precision the target computes, peak activations, KV cache),
 * sized under the target compiler's default precision policy.
 */
export function targetMemory(model: ModelIR, analysis: ModelAnalysis, profile: Profile, seqLen?: number): MemoryEstimate {
  const { inference, structure } = analysis;
  const precision = resolvePolicy(profile);
  const kv = kvCacheBytes(structure, inference.batch, seqLen ?? inference.seqLen, precision);
  return memoryEstimate(weightBytes(model, precision), peakActivations(inference, precision), kv, profile);
}

export function memoryEstimate(
  weights: number, activations: { bytes: number; unsized: number }, kvCache: number, profile: Profile,
): MemoryEstimate {
  const deviceBytes = profile.hardware.memoryGiB.value * 1024 ** 3;
  const totalBytes = weights + activations.bytes + kvCache;
  const usable = deviceBytes * USABLE_MEMORY_FRACTION;
  const needed = usable > 0 ? Math.max(1, Math.ceil(totalBytes / usable)) : Infinity;
  return {
    weightsBytes: Math.round(weights),
    activationBytes: Math.round(activations.bytes),
    kvCacheBytes: Math.round(kvCache),
    totalBytes: Math.round(totalBytes),
    deviceBytes: Math.round(deviceBytes),
    usableFraction: USABLE_MEMORY_FRACTION,
    fits: totalBytes <= usable,
    chipsNeeded: Number.isFinite(needed) ? needed : 1,
    unsizedValues: activations.unsized,
  };
}
