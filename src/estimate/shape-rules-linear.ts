import { attrInt, attrInts, attrString } from './node-attributes.js';
import { broadcast, type InferredValue } from './shape-math.js';
import { UNKNOWN_INPUT, type RuleContext, type ShapeRule } from './shape-rule.js';
import {  } from '../arrays.js';

/**
 * Shape rules of the ops that carry the FLOPs: convolutions, matrix products, pooling, RNNs and
 * Einsum, plus their quantized and fused variants.
 */

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  autoPad: string;
}

function windowOf(ctx: RuleContext, spatialRank: number, kernel: number[]): Window {
  const n = ctx.node;
  return {
    kernel,
    strides: attrInts(n, 'strides') ?? new Array<number>(spatialRank).fill(1),
    dilations: attrInts(n, 'dilations') ?? new Array<number>(spatialRank).fill(1),
    pads: attrInts(n, 'pads') ?? new Array<number>(spatialRank * 2).fill(0),
    autoPad: attrString(n, 'auto_pad', 'NOTSET'),
  };
}

/** Output spatial dims of a sliding window (Conv, pools); undefined when the attributes disagree. */
export function slidingOutput(spatial: number[], w: Window, ceilMode = false): number[] | string {
  const k = spatial.length;
  if (w.kernel.length !== k || w.strides.length !== k || w.dilations.length !== k) {
    return 'kernel_shape, strides or dilations do not match the input rank';
  }
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const inp = spatial[i]!;
    const s = Math.max(1, w.strides[i]!);
    const extent = (w.kernel[i]! - 1) * Math.max(1, w.dilations[i]!) + 1;
    let o: number;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') o = Math.ceil(inp / s);
    else if (w.autoPad === 'VALID') o = Math.floor((inp - extent) / s) + 1;
    else {
      const padded = inp + (w.pads[i] ?? 0) + (w.pads[i + k] ?? 0) - extent;
      o = (ceilMode ? Math.ceil(padded / s) : Math.floor(padded / s)) + 1;
    }
    if (o < 0 || !Number.isFinite(o)) return `the window does not fit the input on spatial axis ${i}`;
    out.push(o);
  }
  return out;
}

function convRule(xIdx: number, wIdx: number, outType?: (ctx: RuleContext) => InferredValue['dtype']): ShapeRule {
  return (ctx) => {
    const x = ctx.dims(xIdx);
    const w = ctx.dims(wIdx);
    if (!x || !w) return UNKNOWN_INPUT;
    if (x.length < 3 || w.length !== x.length) return 'Conv needs input and weight of the same rank >= 3';
    const spatial = x.slice(2);
    const kernel = attrInts(ctx.node, 'kernel_shape') ?? w.slice(2);
    const out = slidingOutput(spatial, windowOf(ctx, spatial.length, kernel));
    if (typeof out === 'string') return out;
    return [{ dtype: outType ? outType(ctx) : ctx.input(xIdx)?.dtype, dims: [x[0]!, w[0]!, ...out] }];
  };
}

const convTranspose: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  const w = ctx.dims(1);
  if (!x || !w) return UNKNOWN_INPUT;
  if (x.length < 3 || w.length !== x.length) return 'ConvTranspose needs input and weight of the same rank >= 3';
  const k = x.length - 2;
  const group = Math.max(1, attrInt(ctx.node, 'group', 1));
  const outChannels = w[1]! * group;
  const given = attrInts(ctx.node, 'output_shape');
  if (given && given.length >= k) return [{ dtype: ctx.input(0)?.dtype, dims: [x[0]!, outChannels, ...given.slice(-k)] }];
  const kernel = attrInts(ctx.node, 'kernel_shape') ?? w.slice(2);
  const win = windowOf(ctx, k, kernel);
  const outputPadding = attrInts(ctx.node, 'output_padding') ?? new Array<number>(k).fill(0);
  const spatial: number[] = [];
  for (let i = 0; i < k; i++) {
    const s = Math.max(1, win.strides[i] ?? 1);
    const inp = x[i + 2]!;
    if (win.autoPad === 'SAME_UPPER' || win.autoPad === 'SAME_LOWER') {
      spatial.push(inp * s);
      continue;
    }
    const extent = ((kernel[i] ?? 1) - 1) * Math.max(1, win.dilations[i] ?? 1) + 1;
    const pads = win.autoPad === 'VALID' ? 0 : (win.pads[i] ?? 0) + (win.pads[i + k] ?? 0);
    const o = s * (inp - 1) + (outputPadding[i] ?? 0) + extent - pads;
    if (o < 0) return `the window does not fit the input on spatial axis ${i}`;
    spatial.push(o);
  }
  return [{ dtype: ctx.input(0)?.dtype, dims: [x[0]!, outChannels, ...spatial] }];
};

/** numpy matmul: 1-D operands are promoted and the added axis removed again. */
export function matmulDims(a: number[], b: number[]): number[] | string {
  if (a.length === 0 || b.length === 0) return 'MatMul of a scalar';
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const k = a2[a2.length - 1]!;
  if (k !== b2[b2.length - 2]) return `inner dims differ (${k} vs ${b2[b2.length - 2]})`;
  const batch = broadcast([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return 'batch dims do not broadcast';
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}

function matmulRule(aIdx: number, bIdx: number, outType?: (ctx: RuleContext) => InferredValue['dtype']): ShapeRule {
  return (ctx) => {
    let a = ctx.dims(aIdx);
    let b = ctx.dims(bIdx);
    if (!a || !b) return UNKNOWN_INPUT;
    // FusedMatMul (com.microsoft) transposes the last two axes on request.
    if (attrInt(ctx.node, 'transA', 0) && a.length >= 2) a = swapLast(a);
    if (attrInt(ctx.node, 'transB', 0) && b.length >= 2) b = swapLast(b);
    const out = matmulDims(a, b);
    if (typeof out === 'string') return out;
    return [{ dtype: outType ? outType(ctx) : ctx.input(aIdx)?.dtype, dims: out }];
  };
}

function swapLast(d: number[]): number[] {
  const out = [...d];
  out[d.length - 2] = d[d.length - 1]!;
  out[d.length - 1] = d[d.length - 2]!;
  return out;
}

const gemm: ShapeRule = (ctx) => {
  const a = ctx.dims(0);
  const b = ctx.dims(1);
  if (!a || !b) return UNKNOWN_INPUT;
  if (a.length !== 2 || b.length !== 2) return 'Gemm needs 2-D inputs';
  const [m, ka] = attrInt(ctx.node, 'transA', 0) ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [kb, n] = attrInt(ctx.node, 'transB', 0) ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  if (ka !== kb) return `inner dims differ (${ka} vs ${kb})`;
  return [{ dtype: ctx.input(0)?.dtype, dims: [m, n] }];
};

/** MatMulNBits (com.microsoft): A [..., K] times a block-quantized B of N x K. */
const matmulNBits: ShapeRule = (ctx) => {
  const a = ctx.dims(0);
  const n = attrInt(ctx.node, 'N');
  if (!a) return UNKNOWN_INPUT;
  if (n === undefined) return 'MatMulNBits has no N attribute';
  return [{ dtype: ctx.input(0)?.dtype, dims: [...a.slice(0, -1), n] }];
};

function poolRule(global: boolean): ShapeRule {
  return (ctx) => {
    const x = ctx.dims(0);
    if (!x) return UNKNOWN_INPUT;
    if (x.length < 3) return 'pooling needs an input of rank >= 3';
    const spatial = x.slice(2);
    if (global) return [{ dtype: ctx.input(0)?.dtype, dims: [x[0]!, x[1]!, ...spatial.map(() => 1)] }];
    const kernel = attrInts(ctx.node, 'kernel_shape');
    if (!kernel) return 'pooling without kernel_shape';
    const out = slidingOutput(spatial, windowOf(ctx, spatial.length, kernel), attrInt(ctx.node, 'ceil_mode', 0) === 1);
    if (typeof out === 'string') return out;
    const dims = [x[0]!, x[1]!, ...out];
    return [{ dtype: ctx.input(0)?.dtype, dims }, { dtype: 'INT64', dims }];
  };
}

const GATES: Record<string, number> = { RNN: 1, GRU: 3, LSTM: 4 };

const recurrent: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  const w = ctx.dims(1);
  if (!x || !w) return UNKNOWN_INPUT;
  if (x.length !== 3 || w.length !== 3) return 'RNN input and weights must be 3-D';
  const gates = GATES[ctx.node.opType] ?? 1;
  const hidden = attrInt(ctx.node, 'hidden_size') ?? Math.floor(w[1]! / gates);
  const dirs = w[0]!;
  const batchFirst = attrInt(ctx.node, 'layout', 0) === 1;
  const [seq, batch] = batchFirst ? [x[1]!, x[0]!] : [x[0]!, x[1]!];
  const dtype = ctx.input(0)?.dtype;
  const y = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
  const state = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
  return [{ dtype, dims: y }, { dtype, dims: state }, { dtype, dims: state }];
};

/** Einsum's equation parsed into per-operand letters (ellipsis expanded) and output letters. */
export function parseEinsum(equation: string, ranks: number[]): { inputs: string[]; output: string } | string {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  if (terms.length !== ranks.length) return 'Einsum equation and inputs differ in number';
  const ellipsisLetters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').filter((c) => !eq.includes(c));
  let maxEllipsis = 0;
  const inputs: string[] = [];
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    if (t.includes('...')) {
      const n = ranks[i]! - (t.length - 3);
      if (n < 0 || n > ellipsisLetters.length) return 'Einsum ellipsis does not match the input rank';
      maxEllipsis = Math.max(maxEllipsis, n);
      inputs.push(t.replace('...', ellipsisLetters.slice(maxEllipsis - n, maxEllipsis).join('')));
    } else {
      if (t.length !== ranks[i]) return 'Einsum term does not match the input rank';
      inputs.push(t);
    }
  }
  const ell = ellipsisLetters.slice(0, maxEllipsis).join('');
  let output: string;
  if (rhs !== undefined) output = rhs.replace('...', ell);
  else {
    const counts = new Map<string, number>();
    for (const t of inputs) for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = ell + [...counts].filter(([c, n]) => n === 1 && !ell.includes(c)).map(([c]) => c).sort().join('');
  }
  return { inputs, output };
}

/** Letter → size over all operands (a size-1 operand axis broadcasts). */
export function einsumSizes(inputs: string[], dims: number[][]): Map<string, number> {
  const sizes = new Map<string, number>();
  inputs.forEach((t, k) => {
    for (let i = 0; i < t.length; i++) {
      const d = dims[k]![i]!;
      const c = t[i]!;
      if (!sizes.has(c) || sizes.get(c) === 1) sizes.set(c, d);
    }
  });
  return sizes;
}

const einsum: ShapeRule = (ctx) => {
  const all: number[][] = [];
  for (let i = 0; i < ctx.node.inputs.length; i++) {
    const d = ctx.dims(i);
    if (!d) return UNKNOWN_INPUT;
    all.push(d);
  }
  const parsed = parseEinsum(attrString(ctx.node, 'equation', ''), all.map((d) => d.length));
  if (typeof parsed === 'string') return parsed;
  const sizes = einsumSizes(parsed.inputs, all);
  const dims: number[] = [];
  for (const c of parsed.output) {
    const s = sizes.get(c);
    if (s === undefined) return 'Einsum output letter not in any input';
    dims.push(s);
  }
  return [{ dtype: ctx.input(0)?.dtype, dims }];
};

const zeroPointType = (idx: number) => (ctx: RuleContext) => ctx.input(idx)?.dtype ?? ctx.input(0)?.dtype;

export function linearRules(): Record<string, ShapeRule> {
  return {
    Conv: convRule(0, 1),
    FusedConv: convRule(0, 1),
    ConvInteger: convRule(0, 1, () => 'INT32'),
    QLinearConv: convRule(0, 3, zeroPointType(7)),
    ConvTranspose: convTranspose,
    MatMul: matmulRule(0, 1),
    FusedMatMul: matmulRule(0, 1),
    MatMulInteger: matmulRule(0, 1, () => 'INT32'),
    MatMulIntegerToFloat: matmulRule(0, 1, () => 'FLOAT'),
    DynamicQuantizeMatMul: matmulRule(0, 1, () => 'FLOAT'),
    QLinearMatMul: matmulRule(0, 3, zeroPointType(7)),
    MatMulNBits: matmulNBits,
    Gemm: gemm,
    FusedGemm: gemm,
    MaxPool: poolRule(false),
    AveragePool: poolRule(false),
    LpPool: poolRule(false),
    GlobalAveragePool: poolRule(true),
    GlobalMaxPool: poolRule(true),
    GlobalLpPool: poolRule(true),
    RNN: recurrent,
    GRU: recurrent,
    LSTM: recurrent,
    Einsum: einsum,
  };
}
