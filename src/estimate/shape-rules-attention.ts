import { attentionGeometry } from './attention-geometry.js';
import { UNKNOWN_INPUT, type RuleContext, type ShapeRule } from './shape-rule.js';
import type { InferredValue } from './shape-math.js';

/** Shape rules of attention ops and the transformer-specific fused ops of ONNX Runtime. */

const attention: ShapeRule = (ctx) => {
  const g = attentionGeometry(ctx.node, (i) => (ctx.has(i) ? ctx.dims(i) : undefined), (i) => ctx.values(i)?.[0]);
  if (typeof g === 'string') return g;
  const dtype = ctx.input(0)?.dtype;
  const { batch: b, heads: n, kvHeads: nkv, queryLen: s, kvLen: t, headSize: h, headSizeV: hv } = g;
  const n_ = ctx.node;
  if ([b, n, nkv, s, t, h, hv].some((x) => !Number.isInteger(x) || x < 0)) return 'attention sizes do not divide evenly into heads';
  if (n_.domain === 'com.microsoft' && n_.opType === 'Attention') {
    return [{ dtype, dims: [b, s, n * hv] }, { dtype, dims: [2, b, n, t, h] }];
  }
  if (n_.domain === 'com.microsoft' && n_.opType === 'GroupQueryAttention') {
    const cache = Math.max(g.pastLen, t);
    return [{ dtype, dims: [b, s, n * h] }, { dtype, dims: [b, nkv, cache, h] }, { dtype, dims: [b, nkv, cache, h] }];
  }
  if (n_.domain === 'com.microsoft') {
    return [{ dtype, dims: [b, s, n * hv] }, { dtype, dims: [b, n, t, h] }, { dtype, dims: [b, n, t, hv] }];
  }
  const y = g.outputRank === 4 ? [b, n, s, hv] : [b, s, n * hv];
  return [
    { dtype, dims: y },
    { dtype, dims: [b, nkv, t, h] },
    { dtype, dims: [b, nkv, t, hv] },
    { dtype, dims: [b, n, s, t] },
  ];
};

/** com.microsoft EmbedLayerNormalization: ids [B,S] → [B,S,H], mask_index [B], embedding sum. */
const embedLayerNorm: ShapeRule = (ctx) => {
  const ids = ctx.dims(0);
  const table = ctx.dims(2);
  if (!ids || !table) return UNKNOWN_INPUT;
  if (ids.length !== 2 || table.length !== 2) return 'EmbedLayerNormalization needs [B,S] ids and a 2-D table';
  const dtype = ctx.input(2)?.dtype;
  const out = [ids[0]!, ids[1]!, table[1]!];
  return [{ dtype, dims: out }, { dtype: 'INT32', dims: [ids[0]!] }, { dtype, dims: out }];
};

/** com.microsoft BiasSplitGelu: [B, HW, 2C] → [B, HW, C]. */
const biasSplitGelu: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x || x.length === 0) return UNKNOWN_INPUT;
  const out: InferredValue = { dtype: ctx.input(0)?.dtype, dims: [...x.slice(0, -1), Math.floor(x[x.length - 1]! / 2)] };
  return [out];
};

/** com.microsoft SkipGroupNorm: output like X, plus the optional sum. */
const skipGroupNorm: ShapeRule = (ctx: RuleContext) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  return [{ dtype: x.dtype, dims: x.dims }, { dtype: x.dtype, dims: x.dims }];
};

export const ATTENTION_OPS = ['Attention', 'MultiHeadAttention', 'DecoderMaskedMultiHeadAttention', 'GroupQueryAttention'] as const;

export function attentionRules(): Record<string, ShapeRule> {
  const rules: Record<string, ShapeRule> = {
    EmbedLayerNormalization: embedLayerNorm,
    BiasSplitGelu: biasSplitGelu,
    SkipGroupNorm: skipGroupNorm,
  };
  for (const op of ATTENTION_OPS) rules[op] = attention;
  return rules;
}
