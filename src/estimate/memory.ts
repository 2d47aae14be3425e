import { familyOf, type DataTypeName } from '../onnx/data-types.js';
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
  const { dense, sparseBytes } = weightTensorsOf(model);
  let total = 0;
  for (const t of dense) {
    // Sizes come from byteSize (exact for packed int4 and strings); only converted floats change.
    const family = familyOf(t.dtype);
    total += familyOn(precision, family, '') !== family ? t.elementCount * bytesPerElement(precision, t.dtype, '') : t.byteSize;
  }
  return total + sparseBytes;
}

/** The weight tensors of a model, found once (every target sizes them in its own precision). */
const weightTensors = new WeakMap<ModelIR, { dense: TensorMetaIR[]; sparseBytes: number }>();

function weightTensorsOf(model: ModelIR): { dense: TensorMetaIR[]; sparseBytes: number } {
  let found = weightTensors.get(model);
  if (found) return found;
  const dense: TensorMetaIR[] = [];
  let sparseBytes = 0;
  const add = (t: TensorMetaIR) => {
    if (Number.isFinite(t.byteSize) && Number.isFinite(t.elementCount)) dense.push(t);
  };
  for (const g of model.graphs) {
    for (const t of g.initializers) add(t);
    for (const t of g.sparseInitializers) sparseBytes += Number.isFinite(t.byteSize) ? t.byteSize : 0;
    for (const n of g.nodes) {
      if (n.opType !== 'Constant') continue;
      for (const a of n.attributes) for (const t of a.tensors ?? []) add(t);
    }
  }
  weightTensors.set(model, (found = { dense, sparseBytes }));
  return found;
}

/**
 * The target-independent part of the activation peak, computed once per model: every main-graph
 * value that holds an activation, in the order it comes alive (graph inputs first, then each
 * node's outputs in topological order), with its element count and dtype, the position of the node
 * that writes it (-1 for a graph input) and the position after which it dies. A target then only
 * prices each value in its own bytes per element: a walk over flat arrays, no lookups by name.
 */
export interface Liveness {
  dtypes: DataTypeName[];
  elements: Float64Array;
  births: Int32Array;
  deaths: Int32Array;
  /** Nodes in the topological order. */
  positions: number;
  /** Values left out because their shape or dtype is unknown. */
  unsized: number;
}

export function livenessOf(inference: ShapeInference): Liveness {
  const { graph, order, shapes, initializers, dataflow } = inference;
  const nodes = graph.nodes;
  const end = order.length;
  // When a value is last read, by position in the order. A value that is the one output of the
  // node producing it is tracked by that node's index (the data flow already knows who produces
  // each input): a million-node chain costs one lookup by name per value, not one per read and
  // write. Other values go by name.
  const { inputStart, inputProducer, producer } = dataflow;
  const lastUseOfNode = new Int32Array(nodes.length).fill(-1);
  const lastUse = new Map<string, number>();
  for (let pos = 0; pos < end; pos++) {
    const c = order[pos]!;
    const inputs = nodes[c]!.inputs;
    for (let k = inputStart[c]!; k < inputStart[c + 1]!; k++) {
      const p = inputProducer[k]!;
      if (p >= 0 && nodes[p]!.outputs.length === 1) lastUseOfNode[p] = pos;
      else {
        const name = inputs[k - inputStart[c]!]!;
        if (name !== '') lastUse.set(name, pos);
      }
    }
  }
  for (const o of graph.outputs) {
    const p = producer.get(o.name);
    if (p !== undefined && nodes[p]!.outputs.length === 1) lastUseOfNode[p] = end;
    else lastUse.set(o.name, end);
  }
  const lastUseOf = (name: string, from = producer.get(name)): number | undefined => {
    const p = from;
    if (p === undefined || nodes[p]!.outputs.length !== 1) return lastUse.get(name);
    return lastUseOfNode[p]! >= 0 ? lastUseOfNode[p] : undefined;
  };

  const dtypes: DataTypeName[] = [];
  const elements: number[] = [];
  const births: number[] = [];
  const deaths: number[] = [];
  let unsized = 0;
  const add = (name: string, birth: number, death: number, s = shapes.get(name)) => {
    if (!s?.dims || !s.dtype) {
      unsized += 1;
      return;
    }
    dtypes.push(s.dtype);
    elements.push(elementCount(s.dims));
    births.push(birth);
    deaths.push(death);
  };
  for (const input of graph.inputs) {
    if (!initializers.has(input.name)) add(input.name, -1, lastUseOf(input.name) ?? 0);
  }
  // Single assignment (the common case): each output's first producer is its node, no lookup.
  const { singleAssignment } = dataflow;
  const noInitializers = initializers.size === 0;
  for (let pos = 0; pos < end; pos++) {
    const p = order[pos]!;
    const outputs = nodes[p]!.outputs;
    for (let slot = 0; slot < outputs.length; slot++) {
      // An output nobody reads dies right after its node.
      const o = outputs[slot]!;
      if (o !== '' && (noInitializers || !initializers.has(o))) {
        add(o, pos, (singleAssignment ? lastUseOf(o, p) : lastUseOf(o)) ?? pos, inference.outputShape(p, slot));
      }
    }
  }
  return {
    dtypes, elements: Float64Array.from(elements), births: Int32Array.from(births), deaths: Int32Array.from(deaths),
    positions: end, unsized,
  };
}

/**
 * Peak bytes of live activations over the main graph on one target: a value is live from the node
 * that writes it to the last node that reads it; unknown shapes count as 0 and are reported.
 */
export function peakActivations(liveness: Liveness, precision: TargetPrecision): { bytes: number; unsized: number } {
  const { dtypes, elements, births, deaths, positions } = liveness;
  const bytesPerElement = bytesPerElementOn(precision);
  const perDtype = new Map<DataTypeName, number>();
  const priceOf = (dtype: DataTypeName): number => {
    let price = perDtype.get(dtype);
    if (price === undefined) perDtype.set(dtype, (price = bytesPerElement(dtype, '')));
    return price;
  };
  // Frees scheduled per position: a value dies after the last node that reads it.
  const frees = new Float64Array(positions + 1);
  let live = 0;
  let k = 0;
  for (; k < births.length && births[k]! < 0; k++) {
    const bytes = elements[k]! * priceOf(dtypes[k]!);
    live += bytes;
    frees[deaths[k]!]! += bytes;
  }
  let peak = live;
  for (let pos = 0; pos < positions; pos++) {
    for (; k < births.length && births[k] === pos; k++) {
      const bytes = elements[k]! * priceOf(dtypes[k]!);
      live += bytes;
      frees[deaths[k]!]! += bytes;
    }
    peak = Math.max(peak, live);
    live -= frees[pos]!;
  }
  return { bytes: peak, unsized: liveness.unsized };
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
  return memoryEstimate(weightBytes(model, precision), peakActivations(analysis.liveness, precision), kv, profile);
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
