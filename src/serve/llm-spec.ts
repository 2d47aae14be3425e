/**
 * What the serving plan needs to know about a decoder LLM, however it was learnt (an ONNX graph
 * or a Hugging Face config.json). The derived sizes (parameters, KV elements per token, attention
 * FLOPs per context token) are computed here once, so the planner never looks at architecture.
 */
export interface LlmSpec {
  /** model_type / architecture, or the ONNX file's name. */
  name: string;
  source: 'onnx-graph' | 'hf-config';
  /** How it was recognised, in words. */
  detectedBy: string;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  moe?: MoeSpec;
  /** Multi-head latent attention (DeepSeek-V2/V3): the cache keeps a compressed latent per token. */
  mla?: { kvLoraRank: number; ropeDim: number; nopeDim: number; vHeadDim: number };
  parameters: ParameterCounts;
  /** K and V (or MLA's latent and rope key) elements cached per token, all layers together. */
  kvElementsPerToken: number;
  /**
   * FLOPs of attention scores and values for one query token against one cached token, all layers
   * together: decode (MLA with its weights absorbed into the latent) and prefill (MLA expanded).
   */
  attentionFlopsPerPair: { decode: number; prefill: number };
}

export interface MoeSpec {
  experts: number;
  perToken: number;
  sharedExperts: number;
  /** Layers whose MLP is a mixture of experts (the others are dense). */
  moeLayers: number;
}

export interface ParameterCounts {
  total: number;
  /** Weights one token multiplies with: all dense weights, the shared and k routed experts. */
  activePerToken: number;
  /** Routed-expert weights (all experts, all MoE layers); 0 for a dense model. */
  routedExperts: number;
}

/** Sizes as a config.json gives them; the graph recogniser fills the same shape. */
export interface LlmShape {
  name: string;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  vocab: number;
  tiedEmbeddings: boolean;
  moe?: MoeSpec & { intermediate: number };
  mla?: { kvLoraRank: number; qLoraRank: number | undefined; ropeDim: number; nopeDim: number; vHeadDim: number };
}

/**
 * Parameters of a gated-MLP decoder (Llama, Qwen, Mistral, DeepSeek), norms and biases left out
 * (under 0.1%): embeddings + lm head (once when tied), per layer attention (q, k, v, o or MLA's
 * low-rank projections) and MLP (3 · hidden · intermediate per gated MLP, per expert).
 */
export function specFromShape(shape: LlmShape, source: LlmSpec['source'], detectedBy: string): LlmSpec {
  const { layers, hidden, heads, kvHeads, headDim, vocab } = shape;
  const embeddings = vocab * hidden * (shape.tiedEmbeddings ? 1 : 2);
  const lmHead = vocab * hidden;
  let attention: number;
  let kvElementsPerToken: number;
  let decodePair: number;
  let prefillPair: number;
  const mla = shape.mla;
  if (mla) {
    const qkDim = mla.nopeDim + mla.ropeDim;
    const q = mla.qLoraRank ? hidden * mla.qLoraRank + mla.qLoraRank * heads * qkDim : hidden * heads * qkDim;
    const kvA = hidden * (mla.kvLoraRank + mla.ropeDim);
    const kvB = mla.kvLoraRank * heads * (mla.nopeDim + mla.vHeadDim);
    attention = q + kvA + kvB + heads * mla.vHeadDim * hidden;
    kvElementsPerToken = layers * (mla.kvLoraRank + mla.ropeDim);
    // Absorbed: scores over the latent and rope key, values over the latent (2 FLOPs per MAC).
    decodePair = layers * heads * 2 * (mla.kvLoraRank + mla.ropeDim + mla.kvLoraRank);
    prefillPair = layers * heads * 2 * (qkDim + mla.vHeadDim);
  } else {
    attention = hidden * heads * headDim + 2 * hidden * kvHeads * headDim + heads * headDim * hidden;
    kvElementsPerToken = layers * 2 * kvHeads * headDim;
    decodePair = prefillPair = layers * heads * 2 * 2 * headDim;
  }
  const moe = shape.moe;
  const denseMlp = 3 * hidden * shape.intermediate;
  const moeLayers = moe ? Math.min(moe.moeLayers, layers) : 0;
  const expert = moe ? 3 * hidden * moe.intermediate : 0;
  const routedExperts = moe ? moeLayers * moe.experts * expert : 0;
  const perMoeLayerShared = moe ? moe.sharedExperts * expert + hidden * moe.experts : 0;
  const mlpTotal = (layers - moeLayers) * denseMlp + moeLayers * perMoeLayerShared + routedExperts;
  const mlpActive = (layers - moeLayers) * denseMlp + moeLayers * (perMoeLayerShared + (moe?.perToken ?? 0) * expert);
  return {
    name: shape.name, source, detectedBy, layers, hidden, heads, kvHeads, headDim, vocab,
    ...(moe && { moe: { experts: moe.experts, perToken: moe.perToken, sharedExperts: moe.sharedExperts, moeLayers } }),
    ...(mla && { mla: { kvLoraRank: mla.kvLoraRank, ropeDim: mla.ropeDim, nopeDim: mla.nopeDim, vHeadDim: mla.vHeadDim } }),
    parameters: {
      total: embeddings + layers * attention + mlpTotal,
      // The input embedding is a lookup, not a product: only the lm head counts.
      activePerToken: lmHead + layers * attention + mlpActive,
      routedExperts,
    },
    kvElementsPerToken,
    attentionFlopsPerPair: { decode: decodePair, prefill: prefillPair },
  };
}
