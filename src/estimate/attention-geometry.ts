import type { NodeIR } from '../onnx/ir.js';
import { attrInt, attrInts } from './node-attributes.js';

/**
 * The sizes of one attention op: what its output shapes and its FLOPs are made of. Shared by the
 * shape rules and the FLOP rules so the two cannot disagree.
 *
 * Covers com.microsoft Attention, MultiHeadAttention (and DecoderMaskedMultiHeadAttention),
 * GroupQueryAttention, and ONNX's own Attention (opset 23), in their common input layouts.
 */
export interface AttentionGeometry {
  batch: number;
  /** Query heads and key/value heads (fewer with grouped-query attention). */
  heads: number;
  kvHeads: number;
  /** Query length, and the key/value length attended to (past + new). */
  queryLen: number;
  kvLen: number;
  /** Past length, 0 without a cache. */
  pastLen: number;
  headSize: number;
  headSizeV: number;
  /** com.microsoft Attention's own QKV projection: [batch·seq, inHidden] × [inHidden, qkvHidden]. */
  projection?: { rows: number; inner: number; cols: number };
  /** Output layout: [B, S, heads·Hv] (3) or [B, heads, S, Hv] (4). */
  outputRank: 3 | 4;
  /** Key/value dims were 4-D already (a cache handed in as key): present = key, no concat. */
  keyIsCache: boolean;
}

type DimsOf = (i: number) => number[] | undefined;

export function attentionGeometry(node: NodeIR, dimsOf: DimsOf, valueOf: (i: number) => number | undefined): AttentionGeometry | string {
  if (node.domain === 'com.microsoft') {
    if (node.opType === 'Attention') return contribAttention(node, dimsOf);
    if (node.opType === 'MultiHeadAttention' || node.opType === 'DecoderMaskedMultiHeadAttention') return multiHead(node, dimsOf);
    if (node.opType === 'GroupQueryAttention') return groupQuery(node, dimsOf, valueOf);
  }
  if (node.opType === 'Attention') return onnxAttention(node, dimsOf);
  return `no attention geometry for ${node.domain}::${node.opType}`;
}

const UNKNOWN = 'an input shape is unknown';

function positive(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n > 0;
}

function contribAttention(node: NodeIR, dimsOf: DimsOf): AttentionGeometry | string {
  const x = dimsOf(0);
  const w = dimsOf(1);
  if (!x || !w) return UNKNOWN;
  if (x.length !== 3 || w.length !== 2) return 'Attention input must be [B,S,H] and weights 2-D';
  const heads = attrInt(node, 'num_heads', 0);
  if (!positive(heads)) return 'Attention has no num_heads';
  const [batch, seq, inHidden] = x as [number, number, number];
  const qkv = attrInts(node, 'qkv_hidden_sizes');
  const total = w[1]!;
  const [hq, , hv] = qkv && qkv.length === 3 ? qkv : [total / 3, total / 3, total / 3];
  const past = dimsOf(4);
  const pastLen = past && past.length === 5 ? past[3]! : 0;
  return {
    batch, heads, kvHeads: heads, queryLen: seq, kvLen: pastLen + seq, pastLen,
    headSize: hq! / heads, headSizeV: hv! / heads,
    projection: { rows: batch * seq, inner: inHidden, cols: total },
    outputRank: 3, keyIsCache: false,
  };
}

function multiHead(node: NodeIR, dimsOf: DimsOf): AttentionGeometry | string {
  const q = dimsOf(0);
  if (!q) return UNKNOWN;
  const heads = attrInt(node, 'num_heads', 0);
  if (!positive(heads)) return 'MultiHeadAttention has no num_heads';
  let batch: number;
  let queryLen: number;
  let headSize: number;
  let headSizeV: number;
  let kvLen: number;
  let keyIsCache = false;
  if (q.length === 5) {
    // Packed QKV [B, S, N, 3, H].
    [batch, queryLen] = [q[0]!, q[1]!];
    headSize = headSizeV = q[4]!;
    kvLen = queryLen;
  } else if (q.length === 3) {
    [batch, queryLen] = [q[0]!, q[1]!];
    headSize = q[2]! / heads;
    const k = node.inputs[1] ? dimsOf(1) : undefined;
    const v = node.inputs[2] ? dimsOf(2) : undefined;
    if (node.inputs[1] && !k) return UNKNOWN;
    if (!k) {
      kvLen = queryLen;
      headSizeV = headSize;
    } else if (k.length === 3) {
      kvLen = k[1]!;
      headSizeV = v && v.length === 3 ? v[2]! / heads : headSize;
    } else if (k.length === 4) {
      kvLen = k[2]!;
      headSizeV = v && v.length === 4 ? v[3]! : headSize;
      keyIsCache = true;
    } else if (k.length === 5) {
      kvLen = k[1]!;
      headSizeV = headSize;
    } else {
      return 'MultiHeadAttention key has an unexpected rank';
    }
  } else {
    return 'MultiHeadAttention query has an unexpected rank';
  }
  const past = keyIsCache ? undefined : dimsOf(6);
  const pastLen = past && past.length === 4 ? past[2]! : 0;
  return {
    batch, heads, kvHeads: heads, queryLen, kvLen: kvLen + pastLen, pastLen,
    headSize, headSizeV, outputRank: 3, keyIsCache,
  };
}

function groupQuery(node: NodeIR, dimsOf: DimsOf, valueOf: (i: number) => number | undefined): AttentionGeometry | string {
  const q = dimsOf(0);
  if (!q) return UNKNOWN;
  if (q.length !== 3) return 'GroupQueryAttention query must be [B,S,D]';
  const heads = attrInt(node, 'num_heads', 0);
  const kvHeads = attrInt(node, 'kv_num_heads', 0);
  if (!positive(heads) || !positive(kvHeads)) return 'GroupQueryAttention has no num_heads / kv_num_heads';
  const packed = !node.inputs[1];
  const headSize = packed ? q[2]! / (heads + 2 * kvHeads) : q[2]! / heads;
  const past = dimsOf(3);
  const pastLen = past && past.length === 4 ? past[2]! : 0;
  const total = valueOf(6);
  const kvLen = positive(total) ? total : pastLen + q[1]!;
  return {
    batch: q[0]!, heads, kvHeads, queryLen: q[1]!, kvLen, pastLen,
    headSize, headSizeV: headSize, outputRank: 3, keyIsCache: false,
  };
}

function onnxAttention(node: NodeIR, dimsOf: DimsOf): AttentionGeometry | string {
  const q = dimsOf(0);
  const k = dimsOf(1);
  const v = dimsOf(2);
  if (!q || !k || !v) return UNKNOWN;
  let heads: number;
  let kvHeads: number;
  let headSize: number;
  let headSizeV: number;
  let queryLen: number;
  let kvLen: number;
  if (q.length === 4 && k.length === 4 && v.length === 4) {
    [heads, queryLen, headSize] = [q[1]!, q[2]!, q[3]!];
    [kvHeads, kvLen, headSizeV] = [k[1]!, k[2]!, v[3]!];
  } else if (q.length === 3 && k.length === 3 && v.length === 3) {
    heads = attrInt(node, 'q_num_heads', 0);
    kvHeads = attrInt(node, 'kv_num_heads', 0);
    if (!positive(heads) || !positive(kvHeads)) return 'Attention with 3-D inputs needs q_num_heads and kv_num_heads';
    [queryLen, headSize] = [q[1]!, q[2]! / heads];
    [kvLen, headSizeV] = [k[1]!, v[2]! / kvHeads];
  } else {
    return 'Attention inputs must all be 3-D or all 4-D';
  }
  const past = dimsOf(4);
  const pastLen = past && past.length === 4 ? past[2]! : 0;
  return {
    batch: q[0]!, heads, kvHeads, queryLen, kvLen: kvLen + pastLen, pastLen,
    headSize, headSizeV, outputRank: q.length === 4 ? 4 : 3, keyIsCache: false,
  };
}
