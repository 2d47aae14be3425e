import type { DataTypeName } from '../onnx/data-types.js';
import type { NodeIR } from '../onnx/ir.js';
import { attentionGeometry } from './attention-geometry.js';
import { elementCount } from './shape-math.js';
import type { ShapeInference } from './shape-inference.js';
import { append } from '../arrays.js';

/**
 * What the memory and interconnect estimates need to know about a transformer: how many
 * attention blocks (layers), the model width, how many tokens one inference carries, and whether
 * it keeps a KV cache (a decoder).
 */
export interface TransformerStructure {
  layers: number;
  hidden: number;
  /** Tokens of one inference (batch · sequence) as the hidden states carry them. */
  tokens: number;
  /** The dtype of the hidden states. */
  dtype: DataTypeName;
  /** How the layers were found, in words. */
  detectedBy: string;
  kvCache?: KvCacheStructure;
}

export interface KvCacheStructure {
  layers: number;
  /** Width of one of K or V per token: kv heads · head size. */
  kvHidden: number;
  dtype: DataTypeName;
  detectedBy: string;
}

const FUSED_ATTENTION = new Set(['Attention', 'MultiHeadAttention', 'DecoderMaskedMultiHeadAttention', 'GroupQueryAttention']);
const NORMS = new Set([
  'LayerNormalization', 'SkipLayerNormalization', 'SimplifiedLayerNormalization', 'SkipSimplifiedLayerNormalization',
  'RMSNormalization',
]);
/** Inputs that carry a cache: past.0.key, past_key_values.3.value, cache_k... */
const PAST_INPUT = /past|cache/i;

export function transformerStructure(inference: ShapeInference): TransformerStructure | undefined {
  const { graph, shapes } = inference;
  const nodes = graph.nodes;
  const dimsOf = (name: string | undefined) => (name ? shapes.get(name)?.dims : undefined);

  const fused = nodes.filter((n) => FUSED_ATTENTION.has(n.opType) && (n.domain === 'com.microsoft' || n.domain === 'ai.onnx'));
  const softmaxes = fused.length > 0 ? [] : nodes.filter((n) => n.opType === 'Softmax');
  // Who produces what is only needed to trace a Softmax back: most graphs without attention have none.
  const producer = new Map<string, NodeIR>();
  if (softmaxes.length > 0) for (const n of nodes) for (const o of n.outputs) if (o !== '') producer.set(o, n);
  const unfused = softmaxes.filter((n) => isScoreSoftmax(n, producer, inference));
  const layers = fused.length || unfused.length;
  if (layers === 0) return undefined;

  const normOutputs = nodes.filter((n) => NORMS.has(n.opType)).map((n) => n.outputs[0]).filter((o): o is string => !!o);
  const widthSources = normOutputs.length > 0 ? normOutputs : fused.map((n) => n.outputs[0] ?? '');
  const hiddenStates = widthSources.map((o) => ({ name: o, dims: dimsOf(o) })).filter((s) => s.dims && s.dims.length >= 2);
  const hidden = mode(hiddenStates.map((s) => s.dims![s.dims!.length - 1]!));
  if (hidden === undefined || hidden <= 0) return undefined;
  const sample = hiddenStates.find((s) => s.dims![s.dims!.length - 1] === hidden)!;
  const tokens = elementCount(sample.dims!) / hidden;
  const dtype = shapes.get(sample.name)?.dtype ?? 'FLOAT';

  const structure: TransformerStructure = {
    layers, hidden, tokens, dtype,
    detectedBy: fused.length > 0
      ? `${fused.length} fused attention node(s) (${[...new Set(fused.map((n) => n.opType))].join(', ')})`
      : `${unfused.length} attention softmax(es) over a product of activations (unfused attention)`,
  };
  const kv = kvCacheOf(fused, inference);
  if (kv) structure.kvCache = kv;
  return structure;
}

/** A Softmax fed (within a few hops) by a MatMul of two activations: attention scores QKᵀ. */
function isScoreSoftmax(softmax: NodeIR, producer: Map<string, NodeIR>, inference: ShapeInference): boolean {
  const rank = inference.shapes.get(softmax.inputs[0] ?? '')?.dims?.length ?? 0;
  if (rank > 0 && rank < 3) return false;
  let frontier = [softmax.inputs[0] ?? ''];
  for (let hop = 0; hop < 5 && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const name of frontier) {
      const p = producer.get(name);
      if (!p) continue;
      if ((p.opType === 'MatMul' || p.opType === 'Einsum' || p.opType === 'FusedMatMul') &&
        p.inputs.length >= 2 && p.inputs.every((i) => !inference.initializers.has(i))) {
        return true;
      }
      append(next, p.inputs.filter((i) => i !== '' && !inference.initializers.has(i)));
    }
    frontier = next.slice(0, 8);
  }
  return false;
}

function kvCacheOf(fused: NodeIR[], inference: ShapeInference): KvCacheStructure | undefined {
  const { graph, shapes } = inference;
  const dimsOf = (name: string | undefined) => (name ? shapes.get(name)?.dims : undefined);
  // Fused attention that reads a past: GroupQueryAttention always keeps one.
  const cached = fused.filter((n) =>
    n.opType === 'GroupQueryAttention' ||
    (n.opType === 'Attention' && n.domain === 'com.microsoft' && !!n.inputs[4]) ||
    ((n.opType === 'MultiHeadAttention' || n.opType === 'DecoderMaskedMultiHeadAttention') && !!n.inputs[6]) ||
    (n.opType === 'Attention' && n.domain === 'ai.onnx' && !!n.inputs[4]));
  for (const n of cached) {
    const g = attentionGeometry(n, (i) => (n.inputs[i] ? dimsOf(n.inputs[i]) : undefined), (i) => shapes.get(n.inputs[i] ?? '')?.values?.[0]);
    if (typeof g === 'string') continue;
    return {
      layers: cached.length,
      kvHidden: g.kvHeads * g.headSize,
      dtype: shapes.get(n.inputs[0] ?? '')?.dtype ?? 'FLOAT',
      detectedBy: `${cached.length} ${n.opType} node(s) with a past key/value`,
    };
  }
  // Unfused decoders take the cache as graph inputs: [B, kv heads, past, head] per K and per V,
  // or [2, B, heads, past, head] for both.
  const past = graph.inputs.filter((i) => PAST_INPUT.test(i.name) && !inference.initializers.has(i.name));
  const split = past.filter((i) => dimsOf(i.name)?.length === 4);
  const joint = past.filter((i) => dimsOf(i.name)?.length === 5);
  const sample = split[0] ?? joint[0];
  if (!sample) return undefined;
  const d = dimsOf(sample.name)!;
  const kvHidden = d.length === 4 ? d[1]! * d[3]! : d[2]! * d[4]!;
  const layers = split.length > 0 ? Math.ceil(split.length / 2) : joint.length;
  if (kvHidden <= 0 || layers <= 0) return undefined;
  return {
    layers, kvHidden, dtype: shapes.get(sample.name)?.dtype ?? 'FLOAT',
    detectedBy: `${past.length} past key/value graph input(s) like '${sample.name}'`,
  };
}

function mode(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  let best: number | undefined;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount || (c === bestCount && best !== undefined && v > best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}
