import { attr, attrInt, attrInts } from './node-attributes.js';
import { MAX_TRACKED_VALUES, broadcast, elementCount, normaliseAxis, permuteValues, type InferredValue } from './shape-math.js';
import { UNKNOWN_INPUT, axesOf, type ShapeRule } from './shape-rule.js';
import { append } from '../arrays.js';

/**
 * Shape rules of the ops that move or reshape data without arithmetic. Several carry the values of
 * small integer tensors (Gather, Concat, Slice, Unsqueeze...): exporters build shapes at run time
 * (Shape → Gather → Concat → Reshape), and the values let the Reshape at the end get its shape.
 */

const reshape: ShapeRule = (ctx) => {
  const target = ctx.values(1) ?? attrInts(ctx.node, 'shape');
  if (!target) return 'the target shape is computed at run time';
  const x = ctx.input(0);
  const allowZero = attrInt(ctx.node, 'allowzero', 0) === 1;
  const out = target.map((d, i) => (d === 0 && !allowZero ? x?.dims?.[i] ?? NaN : d));
  if (out.some((d) => Number.isNaN(d))) return UNKNOWN_INPUT;
  const inferred = out.indexOf(-1);
  if (inferred >= 0) {
    if (!x?.dims) return UNKNOWN_INPUT;
    const known = elementCount(out.filter((_, i) => i !== inferred));
    if (known === 0) return 'Reshape with -1 and a zero dim';
    out[inferred] = elementCount(x.dims) / known;
  }
  if (out.some((d) => !Number.isInteger(d) || d < 0)) return `the target shape [${target.join(',')}] does not fit the input`;
  return [withValues({ dtype: x?.dtype, dims: out }, ctx.values(0))];
};

const flatten: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const axis = attrInt(ctx.node, 'axis', 1);
  const a = axis < 0 ? axis + x.length : axis;
  if (a < 0 || a > x.length) return 'Flatten axis out of range';
  return [{ dtype: ctx.input(0)?.dtype, dims: [elementCount(x.slice(0, a)), elementCount(x.slice(a))] }];
};

const squeeze: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const axes = axesOf(ctx, 1);
  if (axes === 'unknown') return 'the axes are computed at run time';
  const drop = new Set((axes ?? x.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => (a < 0 ? a + x.length : a)));
  return [withValues({ dtype: ctx.input(0)?.dtype, dims: x.filter((_, i) => !drop.has(i)) }, ctx.values(0))];
};

const unsqueeze: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const axes = axesOf(ctx, 1);
  if (axes === 'unknown' || axes === undefined) return 'the axes are computed at run time';
  const rank = x.length + axes.length;
  const at = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : x[k++] ?? 1);
  return [withValues({ dtype: ctx.input(0)?.dtype, dims: out }, ctx.values(0))];
};

const transpose: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const perm = attrInts(ctx.node, 'perm') ?? x.map((_, i) => x.length - 1 - i);
  if (perm.length !== x.length || perm.some((p) => x[p] === undefined)) return 'perm does not match the input rank';
  const dims = perm.map((p) => x[p]!);
  const v = ctx.values(0);
  const out: InferredValue = { dtype: ctx.input(0)?.dtype, dims };
  if (v) out.values = permuteValues(v, x, dims, (outIdx) => {
    const inIdx = new Array<number>(x.length);
    perm.forEach((p, i) => (inIdx[p] = outIdx[i]!));
    return inIdx;
  });
  return [out];
};

const concat: ShapeRule = (ctx) => {
  const parts: number[][] = [];
  for (let i = 0; i < ctx.node.inputs.length; i++) {
    if (!ctx.has(i)) continue;
    const d = ctx.dims(i);
    if (!d) return UNKNOWN_INPUT;
    parts.push(d);
  }
  if (parts.length === 0) return 'Concat of nothing';
  const rank = parts[0]!.length;
  const axis = normaliseAxis(attrInt(ctx.node, 'axis', 0), rank);
  if (axis === undefined) return 'Concat axis out of range';
  const out = [...parts[0]!];
  out[axis] = parts.reduce((sum, p) => sum + (p[axis] ?? 0), 0);
  const result: InferredValue = { dtype: ctx.input(0)?.dtype, dims: out };
  if (rank <= 1) {
    const values: number[] = [];
    for (let i = 0; i < ctx.node.inputs.length; i++) {
      if (!ctx.has(i)) continue;
      const v = ctx.values(i);
      if (!v) return [result];
      append(values, v);
    }
    if (values.length <= MAX_TRACKED_VALUES) result.values = values;
  }
  return [result];
};

const split: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const axis = normaliseAxis(attrInt(ctx.node, 'axis', 0), x.length);
  if (axis === undefined) return 'Split axis out of range';
  const outputs = ctx.node.outputs.length;
  let sizes = attrInts(ctx.node, 'split') ?? (ctx.has(1) ? ctx.values(1) : undefined);
  if (!sizes && ctx.has(1)) return 'the split sizes are computed at run time';
  if (!sizes) {
    const n = attrInt(ctx.node, 'num_outputs', outputs);
    const chunk = Math.ceil(x[axis]! / Math.max(1, n));
    sizes = Array.from({ length: outputs }, (_, i) => Math.max(0, Math.min(chunk, x[axis]! - chunk * i)));
  }
  return sizes.slice(0, outputs).map((s) => {
    const dims = [...x];
    dims[axis] = s;
    return { dtype: ctx.input(0)?.dtype, dims };
  });
};

/** One axis of a Slice, clamped as the ONNX spec says. */
function sliceLength(dim: number, startIn: number, endIn: number, step: number): { start: number; len: number } {
  let start = startIn < 0 ? startIn + dim : startIn;
  let end = endIn < 0 ? endIn + dim : endIn;
  if (step > 0) {
    start = Math.min(dim, Math.max(0, start));
    end = Math.min(dim, Math.max(0, end));
    return { start, len: Math.max(0, Math.ceil((end - start) / step)) };
  }
  start = Math.min(dim - 1, Math.max(0, start));
  end = Math.min(dim - 1, Math.max(-1, end));
  return { start, len: Math.max(0, Math.ceil((end - start) / step)) };
}

const slice: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const fromAttrs = ctx.opset > 0 && ctx.opset < 10;
  const starts = fromAttrs ? attrInts(ctx.node, 'starts') : ctx.values(1);
  const ends = fromAttrs ? attrInts(ctx.node, 'ends') : ctx.values(2);
  if (!starts || !ends) return 'the slice bounds are computed at run time';
  const axes = fromAttrs ? attrInts(ctx.node, 'axes') : ctx.has(3) ? ctx.values(3) : undefined;
  if (!fromAttrs && ctx.has(3) && !axes) return 'the slice axes are computed at run time';
  const steps = !fromAttrs && ctx.has(4) ? ctx.values(4) : undefined;
  if (!fromAttrs && ctx.has(4) && !steps) return 'the slice steps are computed at run time';
  const dims = [...x];
  const picks: { axis: number; start: number; step: number }[] = [];
  for (let i = 0; i < starts.length; i++) {
    const axis = normaliseAxis(axes?.[i] ?? i, x.length);
    const step = steps?.[i] ?? 1;
    if (axis === undefined || step === 0 || ends[i] === undefined) return 'Slice axes or steps out of range';
    const { start, len } = sliceLength(x[axis]!, starts[i]!, ends[i]!, step);
    dims[axis] = len;
    picks.push({ axis, start, step });
  }
  const out: InferredValue = { dtype: ctx.input(0)?.dtype, dims };
  const v = ctx.values(0);
  if (v) {
    const starts = x.map(() => 0);
    const steps = x.map(() => 1);
    for (const p of picks) {
      starts[p.axis] = p.start;
      steps[p.axis] = p.step;
    }
    out.values = permuteValues(v, x, dims, (outIdx) => outIdx.map((i, a) => starts[a]! + i * steps[a]!));
  }
  return [out];
};

const gather: ShapeRule = (ctx) => {
  const data = ctx.dims(0);
  const idx = ctx.dims(1);
  if (!data || !idx) return UNKNOWN_INPUT;
  const axis = normaliseAxis(attrInt(ctx.node, 'axis', 0), data.length);
  if (axis === undefined) return 'Gather axis out of range';
  const out: InferredValue = { dtype: ctx.input(0)?.dtype, dims: [...data.slice(0, axis), ...idx, ...data.slice(axis + 1)] };
  const dv = ctx.values(0);
  const iv = ctx.values(1);
  if (dv && iv && data.length === 1) {
    const n = data[0]!;
    const picked = iv.map((i) => dv[i < 0 ? i + n : i]);
    if (picked.every((p) => p !== undefined)) out.values = picked as number[];
  }
  return [out];
};

const gatherElements: ShapeRule = (ctx) => {
  const idx = ctx.dims(1);
  if (!idx) return UNKNOWN_INPUT;
  return [{ dtype: ctx.input(0)?.dtype, dims: idx }];
};

const gatherND: ShapeRule = (ctx) => {
  const data = ctx.dims(0);
  const idx = ctx.dims(1);
  if (!data || !idx || idx.length === 0) return UNKNOWN_INPUT;
  const b = attrInt(ctx.node, 'batch_dims', 0);
  const last = idx[idx.length - 1]!;
  return [{ dtype: ctx.input(0)?.dtype, dims: [...idx.slice(0, -1), ...data.slice(b + last)] }];
};

const likeInput0: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x?.dims) return UNKNOWN_INPUT;
  return [{ dtype: x.dtype, dims: x.dims }];
};

const expand: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  const s = ctx.values(1);
  if (!x) return UNKNOWN_INPUT;
  if (!s) return 'the target shape is computed at run time';
  const dims = broadcast([x, s]);
  if (!dims) return 'Expand shape does not broadcast';
  return [{ dtype: ctx.input(0)?.dtype, dims }];
};

const tile: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  const r = ctx.values(1);
  if (!x) return UNKNOWN_INPUT;
  if (!r || r.length !== x.length) return 'the repeats are computed at run time';
  return [{ dtype: ctx.input(0)?.dtype, dims: x.map((d, i) => d * r[i]!) }];
};

const pad: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const pads = attrInts(ctx.node, 'pads') ?? ctx.values(1);
  if (!pads) return 'the pads are computed at run time';
  const axes = ctx.has(3) ? ctx.values(3) : undefined;
  if (ctx.has(3) && !axes) return 'the pad axes are computed at run time';
  const list = axes ?? x.map((_, i) => i);
  const dims = [...x];
  const k = list.length;
  for (let i = 0; i < k; i++) {
    const a = normaliseAxis(list[i]!, x.length);
    if (a === undefined) return 'Pad axes out of range';
    dims[a] = x[a]! + (pads[i] ?? 0) + (pads[i + k] ?? 0);
  }
  if (dims.some((d) => d < 0)) return 'Pad removes more than the input has';
  return [{ dtype: ctx.input(0)?.dtype, dims }];
};

/** Resize 11+: X, roi, scales, sizes; Resize 10 and Upsample 9: X, scales; Upsample 7: attribute. */
const resize: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const oldForm = ctx.node.opType === 'Upsample' || (ctx.opset > 0 && ctx.opset < 11);
  const scales = oldForm ? (attr(ctx.node, 'scales')?.floats ?? ctx.values(1)) : ctx.has(2) ? ctx.values(2) : undefined;
  const sizes = oldForm ? undefined : ctx.has(3) ? ctx.values(3) : undefined;
  const axes = attrInts(ctx.node, 'axes') ?? x.map((_, i) => i);
  const dims = [...x];
  if (sizes && sizes.length > 0) {
    if (sizes.length !== axes.length) return 'Resize sizes do not match the axes';
    axes.forEach((a, i) => (dims[a] = sizes[i]!));
  } else if (scales && scales.length > 0) {
    if (scales.length !== axes.length) return 'Resize scales do not match the axes';
    axes.forEach((a, i) => (dims[a] = Math.floor(x[a]! * scales[i]!)));
  } else {
    return 'the scales or sizes are computed at run time';
  }
  if (dims.some((d) => d === undefined || !Number.isFinite(d) || d < 0)) return 'Resize gives an invalid shape';
  return [{ dtype: ctx.input(0)?.dtype, dims }];
};

const depthToSpace: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  const b = attrInt(ctx.node, 'blocksize', 1);
  if (!x) return UNKNOWN_INPUT;
  if (x.length !== 4 || b < 1) return 'DepthToSpace needs a 4-D input';
  return [{ dtype: ctx.input(0)?.dtype, dims: [x[0]!, Math.floor(x[1]! / (b * b)), x[2]! * b, x[3]! * b] }];
};

const spaceToDepth: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  const b = attrInt(ctx.node, 'blocksize', 1);
  if (!x) return UNKNOWN_INPUT;
  if (x.length !== 4 || b < 1) return 'SpaceToDepth needs a 4-D input';
  return [{ dtype: ctx.input(0)?.dtype, dims: [x[0]!, x[1]! * b * b, Math.floor(x[2]! / b), Math.floor(x[3]! / b)] }];
};

const dataDependent: ShapeRule = () => 'the output size depends on the data';

function withValues(v: InferredValue, values: number[] | undefined): InferredValue {
  return values ? { ...v, values } : v;
}

export function layoutRules(): Record<string, ShapeRule> {
  const rules: Record<string, ShapeRule> = {
    Reshape: reshape,
    Flatten: flatten,
    Squeeze: squeeze,
    Unsqueeze: unsqueeze,
    Transpose: transpose,
    Concat: concat,
    Split: split,
    Slice: slice,
    Gather: gather,
    GatherElements: gatherElements,
    GatherND: gatherND,
    ScatterND: likeInput0,
    ScatterElements: likeInput0,
    Scatter: likeInput0,
    EyeLike: likeInput0,
    Expand: expand,
    Tile: tile,
    Pad: pad,
    Resize: resize,
    Upsample: resize,
    DepthToSpace: depthToSpace,
    SpaceToDepth: spaceToDepth,
    NonZero: dataDependent,
    NonMaxSuppression: dataDependent,
    Unique: dataDependent,
    Compress: dataDependent,
  };
  return rules;
}
