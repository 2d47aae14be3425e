import type { DataTypeName } from '../onnx/data-types.js';
import { constantOfShapeKey } from './constant-values.js';
import { attr, attrInt, attrInts } from './node-attributes.js';
import { MAX_TRACKED_VALUES, elementCount, normaliseAxis, type InferredValue } from './shape-math.js';
import { UNKNOWN_INPUT, type ShapeRule } from './shape-rule.js';

/**
 * Shape rules of the ops that make tensors from nothing or from shapes: Constant, Shape, Size,
 * ConstantOfShape, Range, OneHot. Their outputs often feed shape computations, so they carry
 * values when those are small.
 */

const constant: ShapeRule = (ctx) => {
  const n = ctx.node;
  const t = attr(n, 'value')?.tensors?.[0];
  const own = ctx.constant(n.outputs[0] ?? '');
  if (t) return [{ dtype: t.dtype, dims: t.dims, ...(own ? { values: own } : {}) }];
  const i = attr(n, 'value_int')?.i;
  if (i !== undefined) return [{ dtype: 'INT64', dims: [], values: [i] }];
  const ints = attrInts(n, 'value_ints');
  if (ints) return [{ dtype: 'INT64', dims: [ints.length], values: ints }];
  const f = attr(n, 'value_float')?.f;
  if (f !== undefined) return [{ dtype: 'FLOAT', dims: [], values: [f] }];
  const floats = attr(n, 'value_floats')?.floats;
  if (floats) return [{ dtype: 'FLOAT', dims: [floats.length], values: floats }];
  return 'a Constant of a kind without a static shape (sparse or string)';
};

const shape: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const rank = x.length;
  const clamp = (v: number) => Math.min(rank, Math.max(0, v < 0 ? v + rank : v));
  const start = clamp(attrInt(ctx.node, 'start', 0));
  const end = clamp(attrInt(ctx.node, 'end', rank));
  const values = x.slice(start, Math.max(start, end));
  return [{ dtype: 'INT64', dims: [values.length], values }];
};

const size: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  return [{ dtype: 'INT64', dims: [], values: [elementCount(x)] }];
};

const constantOfShape: ShapeRule = (ctx) => {
  const dims = ctx.values(0);
  if (!dims) return 'the shape is computed at run time';
  const dtype: DataTypeName = attr(ctx.node, 'value')?.tensors?.[0]?.dtype ?? 'FLOAT';
  const out: InferredValue = { dtype, dims };
  // The fill value (0 without the attribute) matters when the result feeds a shape computation.
  const fill = attr(ctx.node, 'value') ? ctx.constant(constantOfShapeKey(ctx.node.outputs[0] ?? ''))?.[0] : 0;
  const count = elementCount(dims);
  if (fill !== undefined && count <= MAX_TRACKED_VALUES) out.values = new Array<number>(count).fill(fill);
  return [out];
};

const range: ShapeRule = (ctx) => {
  const [s, l, d] = [ctx.values(0)?.[0], ctx.values(1)?.[0], ctx.values(2)?.[0]];
  if (s === undefined || l === undefined || d === undefined || d === 0) return 'the range bounds are computed at run time';
  const n = Math.max(0, Math.ceil((l - s) / d));
  const out: InferredValue = { dtype: ctx.input(0)?.dtype, dims: [n] };
  if (n <= MAX_TRACKED_VALUES) out.values = Array.from({ length: n }, (_, i) => s + i * d);
  return [out];
};

const oneHot: ShapeRule = (ctx) => {
  const idx = ctx.dims(0);
  const depth = ctx.values(1)?.[0];
  if (!idx) return UNKNOWN_INPUT;
  if (depth === undefined) return 'depth is computed at run time';
  const rank = idx.length + 1;
  const axis = normaliseAxis(attrInt(ctx.node, 'axis', -1), rank) ?? rank - 1;
  const dims = [...idx];
  dims.splice(axis, 0, depth);
  return [{ dtype: ctx.input(2)?.dtype, dims }];
};

export function constantRules(): Record<string, ShapeRule> {
  return {
    Constant: constant,
    Shape: shape,
    Size: size,
    ConstantOfShape: constantOfShape,
    Range: range,
    OneHot: oneHot,
  };
}
