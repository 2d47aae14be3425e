import type { DataTypeName } from '../onnx/data-types.js';
import { DATA_TYPES } from '../onnx/data-types.js';
import { attrInt } from './node-attributes.js';
import { MAX_TRACKED_VALUES, broadcast, elementCount, type InferredValue } from './shape-math.js';
import { UNKNOWN_INPUT, type ShapeRule } from './shape-rule.js';
import {  } from '../arrays.js';

/** Ops whose output 0 has the shape and dtype of input 0 (activations, unary math, Softmax...). */
export const SAME_SHAPE_OPS = [
  'Relu', 'Sigmoid', 'Tanh', 'Erf', 'Exp', 'Log', 'Sqrt', 'Abs', 'Neg', 'Reciprocal', 'Floor', 'Ceil',
  'Round', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh',
  'Gelu', 'LeakyRelu', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign',
  'Mish', 'ThresholdedRelu', 'Shrink', 'Sign', 'Clip', 'Identity', 'Softmax', 'LogSoftmax',
  'Hardmax', 'CumSum', 'Trilu', 'LpNormalization', 'MeanVarianceNormalization', 'Swish',
  'QuickGelu', 'FastGelu', 'BiasGelu', 'RotaryEmbedding', 'BiasAdd', 'BitwiseNot',
  'BatchNormalization', 'InstanceNormalization', 'GroupNormalization', 'GroupNorm',
  'ReverseSequence', 'Dropout', 'PRelu',
] as const;

/** Ops that broadcast their inputs and keep input 0's dtype. */
export const BROADCAST_OPS = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Mod', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor'] as const;

/** Broadcasting ops whose output is BOOL. */
export const COMPARISON_OPS = ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'] as const;

const unaryBool = new Set(['Not', 'IsNaN', 'IsInf']);

const valueFns: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => (b === 0 ? 0 : a / b),
  Max: Math.max,
  Min: Math.min,
  Mod: (a, b) => (b === 0 ? 0 : a % b),
  Equal: (a, b) => (a === b ? 1 : 0),
  Less: (a, b) => (a < b ? 1 : 0),
  Greater: (a, b) => (a > b ? 1 : 0),
  LessOrEqual: (a, b) => (a <= b ? 1 : 0),
  GreaterOrEqual: (a, b) => (a >= b ? 1 : 0),
  And: (a, b) => (a && b ? 1 : 0),
  Or: (a, b) => (a || b ? 1 : 0),
};

const sameShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  const out: InferredValue[] = [{ dtype: x.dtype, dims: x.dims }];
  if (ctx.node.opType === 'Dropout') out.push({ dtype: 'BOOL', dims: x.dims });
  if (ctx.node.opType === 'Identity' || ctx.node.opType === 'Neg' || ctx.node.opType === 'Abs') {
    const v = ctx.values(0);
    if (v) out[0]!.values = ctx.node.opType === 'Neg' ? v.map((e) => -e) : ctx.node.opType === 'Abs' ? v.map(Math.abs) : v;
  }
  return out;
};

function broadcastRule(outDtype?: DataTypeName): ShapeRule {
  return (ctx) => {
    const inputs: number[][] = [];
    for (let i = 0; i < ctx.node.inputs.length; i++) {
      if (!ctx.has(i)) continue;
      const d = ctx.dims(i);
      if (!d) return UNKNOWN_INPUT;
      inputs.push(d);
    }
    const dims = broadcast(inputs);
    if (!dims) return `input shapes ${inputs.map((s) => `[${s.join(',')}]`).join(' and ')} do not broadcast`;
    const out: InferredValue = { dtype: outDtype ?? ctx.input(0)?.dtype, dims };
    const fn = valueFns[ctx.node.opType];
    if (fn && ctx.node.inputs.length === 2) {
      const a = ctx.values(0);
      const b = ctx.values(1);
      if (a && b) {
        const values = broadcastValues([a, b], [ctx.dims(0)!, ctx.dims(1)!], dims, (x) => fn(x[0]!, x[1]!));
        if (values) out.values = isIntegral(out.dtype) ? values.map(Math.trunc) : values;
      }
    }
    return [out];
  };
}

const where: ShapeRule = (ctx) => {
  const c = ctx.dims(0);
  const x = ctx.dims(1);
  const y = ctx.dims(2);
  if (!c || !x || !y) return UNKNOWN_INPUT;
  const dims = broadcast([c, x, y]);
  if (!dims) return 'input shapes do not broadcast';
  const out: InferredValue = { dtype: ctx.input(1)?.dtype ?? ctx.input(2)?.dtype, dims };
  const vc = ctx.values(0);
  const vx = ctx.values(1);
  const vy = ctx.values(2);
  if (vc && vx && vy) {
    const values = broadcastValues([vc, vx, vy], [c, x, y], dims, (v) => (v[0] ? v[1]! : v[2]!));
    if (values) out.values = values;
  }
  return [out];
};

const cast: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  const code = attrInt(ctx.node, 'to');
  const dtype = DATA_TYPES.find((t) => t.code === code)?.name;
  const out: InferredValue = { dtype, dims: x.dims };
  const v = ctx.values(0);
  if (v) out.values = isIntegral(dtype) ? v.map(Math.trunc) : v;
  return [out];
};

const castLike: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  return [{ dtype: ctx.input(1)?.dtype, dims: x.dims, ...(ctx.values(0) ? { values: ctx.values(0)! } : {}) }];
};

const boolOfInput: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  return [{ dtype: 'BOOL', dims: x.dims }];
};

/** QuantizeLinear → the zero point's type (uint8 by default); DequantizeLinear → the scale's. */
const quantizeLinear: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  return [{ dtype: ctx.input(2)?.dtype ?? 'UINT8', dims: x.dims }];
};
const dequantizeLinear: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  return [{ dtype: ctx.input(1)?.dtype ?? 'FLOAT', dims: x.dims }];
};

/** DynamicQuantizeLinear: y (uint8, like x), y_scale and y_zero_point (scalars). */
const dynamicQuantizeLinear: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  return [{ dtype: 'UINT8', dims: x.dims }, { dtype: 'FLOAT', dims: [] }, { dtype: 'UINT8', dims: [] }];
};

/** LayerNormalization and its fused kin: output 0 like X; mean / inverse std with reduced axes. */
const layerNorm: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  const rank = x.dims.length;
  let axis = attrInt(ctx.node, 'axis', -1);
  if (axis < 0) axis += rank;
  const reduced = x.dims.map((d, i) => (i >= axis ? 1 : d));
  const out: InferredValue[] = [{ dtype: x.dtype, dims: x.dims }];
  const statsType = x.dtype === 'FLOAT16' || x.dtype === 'BFLOAT16' ? 'FLOAT' : x.dtype;
  const op = ctx.node.opType;
  if (op === 'SkipLayerNormalization' || op === 'SkipSimplifiedLayerNormalization') {
    // Outputs: output, mean, inv_std_var, input_skip_bias_sum (ORT contrib spec).
    out.push({ dtype: 'FLOAT', dims: reduced }, { dtype: 'FLOAT', dims: reduced }, { dtype: x.dtype, dims: x.dims });
  } else {
    out.push({ dtype: statsType, dims: reduced }, { dtype: statsType, dims: reduced });
  }
  return out;
};

export function elementwiseRules(): Record<string, ShapeRule> {
  const rules: Record<string, ShapeRule> = {};
  for (const op of SAME_SHAPE_OPS) rules[op] = sameShape;
  for (const op of BROADCAST_OPS) rules[op] = broadcastRule();
  for (const op of COMPARISON_OPS) rules[op] = broadcastRule('BOOL');
  for (const op of unaryBool) rules[op] = boolOfInput;
  for (const op of ['LayerNormalization', 'SimplifiedLayerNormalization', 'RMSNormalization', 'SkipLayerNormalization', 'SkipSimplifiedLayerNormalization']) {
    rules[op] = layerNorm;
  }
  rules.Where = where;
  rules.Cast = cast;
  rules.CastLike = castLike;
  rules.QuantizeLinear = quantizeLinear;
  rules.DequantizeLinear = dequantizeLinear;
  rules.DynamicQuantizeLinear = dynamicQuantizeLinear;
  return rules;
}

function isIntegral(dtype: DataTypeName | undefined): boolean {
  return dtype !== undefined && /INT|BOOL/.test(dtype);
}

/** Elementwise values with broadcasting, for small tensors only. */
export function broadcastValues(
  values: number[][], shapes: number[][], outDims: number[], fn: (args: number[]) => number,
): number[] | undefined {
  const total = elementCount(outDims);
  if (total > MAX_TRACKED_VALUES) return undefined;
  for (let k = 0; k < values.length; k++) if (values[k]!.length !== elementCount(shapes[k]!)) return undefined;
  const rank = outDims.length;
  const out: number[] = new Array<number>(total);
  const idx = new Array<number>(rank).fill(0);
  const args = new Array<number>(values.length);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a] = rem % outDims[a]!;
      rem = Math.floor(rem / outDims[a]!);
    }
    for (let k = 0; k < values.length; k++) {
      const s = shapes[k]!;
      let off = 0;
      for (let a = 0; a < s.length; a++) {
        const i = s[a] === 1 ? 0 : idx[rank - s.length + a]!;
        off = off * s[a]! + i;
      }
      args[k] = values[k]![off]!;
    }
    out[flat] = fn(args);
  }
  return out;
}
