import type { ModelAnalysis } from '../estimate/analyse-model.js';
import { attentionGeometry, type AttentionGeometry } from '../estimate/attention-geometry.js';
import type { ModelIR } from '../onnx/ir.js';
import type { LlmSpec, MoeSpec } from './llm-spec.js';

/**
 * Recognises a decoder LLM in an ONNX graph, on top of the estimate's transformer structure
 * (repeated attention blocks, the KV cache's layout):
 * - a decoder: a KV cache (past_key_values.N.key / past.N.value inputs and present.* outputs as
 *   Optimum and onnxruntime-genai export them, or fused attention with a past), or, exported
 *   without a cache, a `logits` output over the vocabulary;
 * - a mixture of experts: a TopK over a router output of E experts per layer, k its constant; the
 *   expert weights are the initializers stacked [E, ...];
 * - parameters come from the initializers themselves, so the plan needs no architecture formula
 *   (the input embedding counts as active: a slightly slower, still optimistic, plan).
 * Undefined when the graph is not a decoder LLM.
 */
const PAST = /past|cache/i;
const PRESENT = /present/i;
const FUSED = new Set(['Attention', 'MultiHeadAttention', 'DecoderMaskedMultiHeadAttention', 'GroupQueryAttention']);

export function recogniseLlm(model: ModelIR, analysis: ModelAnalysis, name: string): LlmSpec | undefined {
  const structure = analysis.structure;
  if (!structure) return undefined;
  const { graph, shapes, initializers } = analysis.inference;
  const dimsOf = (n: string) => shapes.get(n)?.dims;
  const logits = graph.outputs.find((o) => /logits/i.test(o.name));
  const vocab = logits ? dimsOf(logits.name)?.at(-1) : undefined;
  const kv = structure.kvCache;
  if (!kv && vocab === undefined) return undefined;

  const pastInputs = graph.inputs.filter((i) => PAST.test(i.name) && !initializers.has(i.name));
  const presentOutputs = graph.outputs.filter((o) => PRESENT.test(o.name));
  const fused = fusedGeometry(analysis);
  const past4d = pastInputs.map((i) => dimsOf(i.name)).find((d) => d?.length === 4);
  const scores = graph.nodes.filter((n) => n.opType === 'Softmax').map((n) => dimsOf(n.inputs[0] ?? '')).find((d) => d?.length === 4);
  // Head size: a fused attention op says it; else the cache's last dim; else hidden / the score heads.
  const headDim = fused ? fused.headSize : past4d ? past4d[3]! : scores ? structure.hidden / scores[1]! : 0;
  if (!(headDim > 0) || !Number.isInteger(headDim)) return undefined;
  const heads = fused ? fused.heads : Math.round(structure.hidden / headDim);
  const kvHeads = fused ? fused.kvHeads : kv ? Math.max(1, Math.round(kv.kvHidden / headDim)) : heads;
  const layers = kv?.layers ?? structure.layers;

  const moe = moeOf(analysis);
  const tensors = model.graphs.flatMap((g) => g.initializers);
  const total = tensors.reduce((n, t) => n + (Number.isFinite(t.elementCount) ? t.elementCount : 0), 0);
  const routed = moe ? tensors.filter((t) => t.dims.length >= 3 && t.dims[0] === moe.experts).reduce((n, t) => n + t.elementCount, 0) : 0;
  const inactive = moe ? routed * (1 - moe.perToken / moe.experts) : 0;

  const how = [
    structure.detectedBy,
    ...(pastInputs.length > 0 ? [`${pastInputs.length} past key/value input(s) like '${pastInputs[0]!.name}'`] : []),
    ...(presentOutputs.length > 0 ? [`${presentOutputs.length} present output(s)`] : []),
    ...(!kv ? ['no KV cache inputs (a prefill-only export): planned as if it kept one'] : []),
    ...(moe ? [`${moe.moeLayers} TopK router(s) over ${moe.experts} experts, k = ${moe.perToken}`] : []),
  ].join('; ');
  return {
    name, source: 'onnx-graph', detectedBy: how, layers, hidden: structure.hidden, heads, kvHeads, headDim,
    vocab: vocab ?? 0,
    ...(moe && { moe }),
    parameters: { total, activePerToken: total - inactive, routedExperts: routed },
    kvElementsPerToken: layers * 2 * kvHeads * headDim,
    attentionFlopsPerPair: { decode: layers * heads * 4 * headDim, prefill: layers * heads * 4 * headDim },
  };
}

/** TopK nodes whose input is [.., E] with a constant k: one router per MoE layer. */
function moeOf(analysis: ModelAnalysis): MoeSpec | undefined {
  const { graph, shapes } = analysis.inference;
  const routers = graph.nodes
    .filter((n) => n.opType === 'TopK')
    .map((n) => ({ experts: shapes.get(n.inputs[0] ?? '')?.dims?.at(-1), k: shapes.get(n.inputs[1] ?? '')?.values?.[0] }))
    .filter((r): r is { experts: number; k: number } => r.experts !== undefined && r.experts > 1 && r.k !== undefined && r.k >= 1 && r.k <= r.experts);
  if (routers.length === 0) return undefined;
  const { experts, k } = routers[0]!;
  return { experts, perToken: k, sharedExperts: 0, moeLayers: routers.filter((r) => r.experts === experts).length };
}

/** The geometry of the first fused attention op whose shapes are known (heads, KV heads, head size). */
function fusedGeometry(analysis: ModelAnalysis): AttentionGeometry | undefined {
  const { graph, shapes } = analysis.inference;
  for (const n of graph.nodes) {
    if (!FUSED.has(n.opType)) continue;
    const g = attentionGeometry(n, (i) => (n.inputs[i] ? shapes.get(n.inputs[i]!)?.dims : undefined), (i) => shapes.get(n.inputs[i] ?? '')?.values?.[0]);
    if (typeof g !== 'string' && g.headSize > 0) return g;
  }
  return undefined;
}
