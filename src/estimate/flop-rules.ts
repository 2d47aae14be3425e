import type { NodeIR } from '../onnx/ir.js';
import { attentionGeometry } from './attention-geometry.js';
import { attrInt, attrInts, attrString } from './node-attributes.js';
import { einsumSizes, parseEinsum } from './shape-rules-linear.js';
import { elementCount } from './shape-math.js';

/**
 * FLOPs of one node from its input and output dims. A multiply-add counts as 2 FLOPs. The counts
 * are the textbook ones (what a roofline needs), not what a particular kernel executes:
 *
 * - Conv: 2·N·Cout·prod(out spatial)·(Cin/group)·prod(kernel), + N·Cout·prod(out spatial) with a bias.
 * - ConvTranspose: 2·N·Cin·prod(in spatial)·(Cout/group)·prod(kernel), + the bias per output element.
 * - MatMul (and its fused / quantized kin): 2·M·N·K·batch = 2·(output elements)·K.
 * - Gemm: 2·M·N·K, + M·N when C is added.
 * - Attention ops: their own Q/K/V projection when they hold one (com.microsoft Attention),
 *   + QKᵀ 2·B·heads·S·T·headSize + softmax 5·B·heads·S·T + AV 2·B·heads·S·T·headSizeV.
 * - Softmax: 5 per element (max, subtract, exp, sum, divide).
 * - Normalisations, per element: LayerNormalization 8 (mean 1, variance 3, normalise 2, scale and
 *   shift 2); SkipLayerNormalization 10 (+ skip and bias adds); RMS / SimplifiedLayerNormalization 5;
 *   SkipSimplifiedLayerNormalization 7; BatchNormalization 4 (inference: subtract, multiply, scale,
 *   shift); InstanceNormalization and GroupNormalization 8; MeanVarianceNormalization 7;
 *   LpNormalization 3; EmbedLayerNormalization 10.
 * - Elementwise: 1 per output element, except composites (table below: Gelu 8, ...).
 * - Pools: output elements · prod(kernel); global pools: input elements. Reductions: input elements.
 * - RNN / GRU / LSTM: 2·seq·dirs·batch·gates·hidden·(input + hidden), + 3·gates per hidden unit and step.
 * - Einsum: 2·prod(all index sizes) when an index is summed over, else prod(output).
 * - Data movement (Transpose, Concat, Slice, Gather, Pad, Resize nearest...): 0 FLOPs, bytes only.
 */

export interface FlopContext {
  node: NodeIR;
  /** Dims of input i / output i; undefined when omitted. */
  inDims(i: number): number[] | undefined;
  outDims(i: number): number[] | undefined;
  inValue(i: number): number | undefined;
}

/** FLOPs, or a reason why they cannot be counted. */
export type FlopRule = (ctx: FlopContext) => number | string;

const UNKNOWN = 'an input shape is unknown';

export const ELEMENTWISE_FLOPS: Record<string, number> = {
  Gelu: 8, FastGelu: 8, BiasGelu: 9, QuickGelu: 4, Mish: 6, HardSwish: 4, HardSigmoid: 3, Swish: 4,
  Softplus: 3, Softsign: 3, Elu: 3, Selu: 4, Celu: 4, Sigmoid: 4, Tanh: 4, Erf: 4, Clip: 2,
  QuantizeLinear: 3, DequantizeLinear: 2, DynamicQuantizeLinear: 4, RotaryEmbedding: 3, BiasSplitGelu: 9,
};

export const NORMALISATION_FLOPS: Record<string, number> = {
  LayerNormalization: 8, SkipLayerNormalization: 10, SimplifiedLayerNormalization: 5, RMSNormalization: 5,
  SkipSimplifiedLayerNormalization: 7, BatchNormalization: 4, InstanceNormalization: 8,
  GroupNormalization: 8, GroupNorm: 8, SkipGroupNorm: 9, MeanVarianceNormalization: 7, LpNormalization: 3,
  EmbedLayerNormalization: 10, Softmax: 5, LogSoftmax: 5, Hardmax: 2,
};

function perOutputElement(factor: number): FlopRule {
  return ({ outDims }) => {
    const o = outDims(0);
    return o ? factor * elementCount(o) : UNKNOWN;
  };
}

function perInputElement(factor: number): FlopRule {
  return ({ inDims }) => {
    const x = inDims(0);
    return x ? factor * elementCount(x) : UNKNOWN;
  };
}

function conv(wIdx: number, biasIdx: number): FlopRule {
  return ({ node, inDims, outDims }) => {
    const w = inDims(wIdx);
    const y = outDims(0);
    if (!w || !y) return UNKNOWN;
    // y = [N, Cout, spatial...], w = [Cout, Cin/group, kernel...]: every output element is a dot
    // product over Cin/group · prod(kernel) inputs.
    const perOutput = elementCount(w.slice(1));
    const bias = node.inputs[biasIdx] ? elementCount(y) : 0;
    return 2 * elementCount(y) * perOutput + bias;
  };
}

const convTranspose: FlopRule = ({ node, inDims, outDims }) => {
  const x = inDims(0);
  const w = inDims(1);
  const y = outDims(0);
  if (!x || !w || !y) return UNKNOWN;
  // Every input element scatters into (Cout/group) · prod(kernel) outputs: w = [Cin, Cout/group, kernel...].
  const bias = node.inputs[2] ? elementCount(y) : 0;
  return 2 * elementCount(x) * elementCount(w.slice(1)) + bias;
};

function matmul(aIdx: number): FlopRule {
  return ({ node, inDims, outDims }) => {
    const a = inDims(aIdx);
    const y = outDims(0);
    if (!a || !y) return UNKNOWN;
    const k = attrInt(node, 'transA', 0) && a.length >= 2 ? a[a.length - 2]! : a[a.length - 1]!;
    return 2 * elementCount(y) * k;
  };
}

const matmulNBits: FlopRule = ({ node, outDims }) => {
  const y = outDims(0);
  const k = attrInt(node, 'K');
  if (!y) return UNKNOWN;
  if (k === undefined) return 'MatMulNBits has no K attribute';
  return 2 * elementCount(y) * k;
};

const gemm: FlopRule = ({ node, inDims, outDims }) => {
  const a = inDims(0);
  const y = outDims(0);
  if (!a || !y || a.length !== 2) return UNKNOWN;
  const k = attrInt(node, 'transA', 0) ? a[0]! : a[1]!;
  return 2 * elementCount(y) * k + (node.inputs[2] ? elementCount(y) : 0);
};

const attention: FlopRule = ({ node, inDims, inValue }) => {
  const g = attentionGeometry(node, (i) => (node.inputs[i] ? inDims(i) : undefined), inValue);
  if (typeof g === 'string') return g;
  const scores = g.batch * g.heads * g.queryLen * g.kvLen;
  let flops = 2 * scores * g.headSize + 5 * scores + 2 * scores * g.headSizeV;
  if (g.projection) {
    const { rows, inner, cols } = g.projection;
    flops += 2 * rows * inner * cols + (node.inputs[2] ? rows * cols : 0);
  }
  return flops;
};

const pool: FlopRule = ({ node, outDims }) => {
  const y = outDims(0);
  const k = attrInts(node, 'kernel_shape');
  if (!y) return UNKNOWN;
  return elementCount(y) * (k ? elementCount(k) : 1);
};

const GATES: Record<string, number> = { RNN: 1, GRU: 3, LSTM: 4 };

const recurrent: FlopRule = ({ node, inDims }) => {
  const x = inDims(0);
  const w = inDims(1);
  if (!x || !w || x.length !== 3 || w.length !== 3) return UNKNOWN;
  const gates = GATES[node.opType] ?? 1;
  const hidden = attrInt(node, 'hidden_size') ?? Math.floor(w[1]! / gates);
  const batchFirst = attrInt(node, 'layout', 0) === 1;
  const [seq, batch] = batchFirst ? [x[1]!, x[0]!] : [x[0]!, x[1]!];
  const steps = seq * w[0]! * batch;
  return 2 * steps * gates * hidden * (x[2]! + hidden) + 3 * steps * gates * hidden;
};

const einsum: FlopRule = ({ node, inDims }) => {
  const dims: number[][] = [];
  for (let i = 0; i < node.inputs.length; i++) {
    const d = inDims(i);
    if (!d) return UNKNOWN;
    dims.push(d);
  }
  const parsed = parseEinsum(attrString(node, 'equation', ''), dims.map((d) => d.length));
  if (typeof parsed === 'string') return parsed;
  const sizes = einsumSizes(parsed.inputs, dims);
  const all = [...sizes.values()].reduce((p, s) => p * s, 1);
  const summed = [...sizes.keys()].some((c) => !parsed.output.includes(c));
  return summed ? 2 * all : all;
};

const resize: FlopRule = ({ node, outDims }) => {
  const y = outDims(0);
  if (!y) return UNKNOWN;
  const mode = attrString(node, 'mode', 'nearest');
  return elementCount(y) * (mode === 'linear' || mode === 'bilinear' ? 8 : mode === 'cubic' ? 32 : 0);
};

const zero: FlopRule = () => 0;

/** Ops that only move data: FLOPs 0, bytes = inputs read + outputs written. */
export const MOVEMENT_OPS = [
  'Transpose', 'Concat', 'Split', 'Slice', 'Gather', 'GatherElements', 'GatherND', 'Pad', 'Expand', 'Tile',
  'DepthToSpace', 'SpaceToDepth', 'ScatterND', 'ScatterElements', 'Scatter', 'ConstantOfShape', 'Range',
  'OneHot', 'EyeLike', 'Trilu', 'ReverseSequence',
] as const;

/** Ops that are views or metadata at run time: neither FLOPs nor bytes. */
export const VIEW_OPS = ['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Shape', 'Size', 'Constant'] as const;

const ELEMENTWISE_ONE = [
  'Relu', 'Exp', 'Log', 'Sqrt', 'Abs', 'Neg', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sin', 'Cos', 'Tan',
  'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'LeakyRelu', 'PRelu', 'ThresholdedRelu',
  'Shrink', 'Sign', 'Not', 'IsNaN', 'IsInf', 'Cast', 'CastLike', 'Where', 'BitwiseNot', 'BiasAdd', 'CumSum',
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Mod', 'BitShift', 'BitwiseAnd', 'BitwiseOr',
  'BitwiseXor', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor',
];

const REDUCTIONS = [
  'ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
  'ReduceLogSumExp', 'ReduceSumSquare', 'ArgMax', 'ArgMin', 'TopK', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool',
];

let table: Record<string, FlopRule> | undefined;

export function flopRuleFor(node: NodeIR): FlopRule | undefined {
  table ??= buildTable();
  if (node.domain !== 'ai.onnx' && node.domain !== 'com.microsoft') return undefined;
  return Object.hasOwn(table, node.opType) ? table[node.opType] : undefined;
}

function buildTable(): Record<string, FlopRule> {
  const t: Record<string, FlopRule> = {
    Conv: conv(1, 2),
    FusedConv: conv(1, 2),
    ConvInteger: conv(1, -1),
    QLinearConv: conv(3, 8),
    ConvTranspose: convTranspose,
    MatMul: matmul(0),
    FusedMatMul: matmul(0),
    MatMulInteger: matmul(0),
    MatMulIntegerToFloat: matmul(0),
    DynamicQuantizeMatMul: matmul(0),
    QLinearMatMul: matmul(0),
    MatMulNBits: matmulNBits,
    Gemm: gemm,
    FusedGemm: gemm,
    MaxPool: pool,
    AveragePool: pool,
    LpPool: pool,
    RNN: recurrent,
    GRU: recurrent,
    LSTM: recurrent,
    Einsum: einsum,
    Resize: resize,
    Upsample: resize,
  };
  for (const op of ['Attention', 'MultiHeadAttention', 'DecoderMaskedMultiHeadAttention', 'GroupQueryAttention']) t[op] = attention;
  for (const op of ELEMENTWISE_ONE) t[op] = perOutputElement(1);
  for (const [op, f] of Object.entries(ELEMENTWISE_FLOPS)) t[op] = perOutputElement(f);
  for (const [op, f] of Object.entries(NORMALISATION_FLOPS)) t[op] = perOutputElement(f);
  for (const op of REDUCTIONS) t[op] = perInputElement(1);
  for (const op of [...MOVEMENT_OPS, ...VIEW_OPS]) t[op] = zero;
  return t;
}
