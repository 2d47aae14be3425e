import { bytesPerElement, type TargetPrecision } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import type { NodeCost } from './flops.js';
import type { TransformerStructure } from './model-structure.js';
import { elementCount } from './shape-math.js';
import type { ShapeInference } from './shape-inference.js';

/**
 * What splitting a model over `chips` devices costs on the target's chip-to-chip link.
 *
 * Transformers: Megatron-style tensor parallelism. Each layer's attention and MLP blocks are split
 * column- then row-wise, so each ends in one all-reduce of the hidden states:
 * 2 all-reduces per layer of tokens · hidden · bytes each. A ring all-reduce over n chips sends
 * 2·(n−1)/n of the tensor from each chip. For a decoder, one generated token carries batch · 1
 * token, so the per-token figure uses batch · hidden.
 *
 * Other models: each weighted layer (Conv, MatMul, Gemm with a weight) is split by output channels
 * and its output all-gathered: a ring all-gather sends (n−1)/n of the output from each chip.
 *
 * Time = bytes sent per chip / the link's per-chip bandwidth, at 100% of it, with no per-message
 * latency and no overlap with compute: a lower bound.
 */
export interface InterconnectEstimate {
  chips: number;
  link: string;
  bandwidthGBs: number;
  confidence: 'high' | 'medium' | 'low';
  /** The parallelism assumed. */
  scheme: 'megatron-tensor-parallel' | 'output-channel-split';
  layers: number;
  collectivesPerLayer: number;
  /** Size of one collective's tensor (one layer's hidden states, or one layer's output on average). */
  perLayerBytes: number;
  /** Bytes each chip sends per inference. */
  bytesPerChipPerInference: number;
  commMsPerInference: number;
  /** Decoders: the communication of one generated token. */
  commMsPerToken?: number;
  /** The single-chip roofline latency divided over the chips (ideal split). */
  computeMsPerChip: number;
  /** Share of comm in comm + compute per chip, 0..1. */
  commShare: number;
}

const WEIGHTED = new Map<string, number>([
  ['Conv', 1], ['FusedConv', 1], ['ConvTranspose', 1], ['ConvInteger', 1], ['QLinearConv', 3],
  ['MatMul', 1], ['FusedMatMul', 1], ['MatMulInteger', 1], ['QLinearMatMul', 3], ['MatMulNBits', 1],
  ['Gemm', 1], ['FusedGemm', 1],
]);

/**
 * Undefined when the profile gives no link bandwidth (0): there is nothing to time the traffic on;
 * and when the model has no layer either scheme splits (a graph of element-wise ops whose activations
 * alone outgrow a chip): no split is modelled, so no communication time is claimed, not "0 ns".
 */
export function interconnectEstimate(
  chips: number, structure: TransformerStructure | undefined, costs: NodeCost[], inference: ShapeInference,
  profile: Profile, precision: TargetPrecision, latencySeconds: number, batch: number,
): InterconnectEstimate | undefined {
  const link = profile.hardware.interconnect;
  const bandwidth = link.bandwidthGBs.value * 1e9;
  if (!(bandwidth > 0)) return undefined;
  const n = Math.max(2, chips);
  const ring = (n - 1) / n;
  const timeOf = (bytes: number) => bytes / bandwidth;
  const computeSeconds = latencySeconds / n;

  let layers: number;
  let perLayerBytes: number;
  let sentPerInference: number;
  let perToken: number | undefined;
  let scheme: InterconnectEstimate['scheme'];
  let collectivesPerLayer: number;

  if (structure) {
    const bytes = bytesPerElement(precision, structure.dtype, '');
    scheme = 'megatron-tensor-parallel';
    collectivesPerLayer = 2;
    layers = structure.layers;
    perLayerBytes = structure.tokens * structure.hidden * bytes;
    sentPerInference = layers * collectivesPerLayer * 2 * ring * perLayerBytes;
    if (structure.kvCache) perToken = timeOf(layers * collectivesPerLayer * 2 * ring * batch * structure.hidden * bytes);
  } else {
    scheme = 'output-channel-split';
    collectivesPerLayer = 1;
    let total = 0;
    layers = 0;
    for (const c of costs) {
      const w = WEIGHTED.get(c.opType);
      const node = inference.graph.nodes[c.index]!;
      if (w === undefined || !c.costed || !inference.initializers.has(node.inputs[w] ?? '')) continue;
      const out = inference.shapes.get(node.outputs[0] ?? '');
      if (!out?.dims || !out.dtype) continue;
      layers += 1;
      total += elementCount(out.dims) * bytesPerElement(precision, out.dtype, c.opType);
    }
    perLayerBytes = layers > 0 ? total / layers : 0;
    sentPerInference = ring * total;
  }
  if (layers === 0) return undefined;
  const commSeconds = timeOf(sentPerInference);
  const result: InterconnectEstimate = {
    chips: n,
    link: link.name,
    bandwidthGBs: link.bandwidthGBs.value,
    confidence: link.bandwidthGBs.confidence,
    scheme,
    layers,
    collectivesPerLayer,
    perLayerBytes: Math.round(perLayerBytes),
    bytesPerChipPerInference: Math.round(sentPerInference),
    commMsPerInference: commSeconds * 1e3,
    computeMsPerChip: computeSeconds * 1e3,
    commShare: commSeconds + computeSeconds > 0 ? commSeconds / (commSeconds + computeSeconds) : 0,
  };
  if (perToken !== undefined) result.commMsPerToken = perToken * 1e3;
  return result;
}
