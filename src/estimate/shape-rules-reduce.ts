import { attrInt } from './node-attributes.js';
import { normaliseAxis } from './shape-math.js';
import { UNKNOWN_INPUT, axesOf, type ShapeRule } from './shape-rule.js';

/** Shape rules of reductions: Reduce*, ArgMax / ArgMin, TopK. */

/** Reduce*: axes from the attribute (older opsets) or input 1 (ReduceSum 13+, the others 18+). */
const reduce: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const axes = axesOf(ctx, 1);
  if (axes === 'unknown') return 'the axes are computed at run time';
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  const all = axes === undefined || axes.length === 0;
  if (all && attrInt(ctx.node, 'noop_with_empty_axes', 0) === 1) return [{ dtype: ctx.input(0)?.dtype, dims: x }];
  const set = new Set((all ? x.map((_, i) => i) : axes).map((a) => (a < 0 ? a + x.length : a)));
  const dims = keep ? x.map((d, i) => (set.has(i) ? 1 : d)) : x.filter((_, i) => !set.has(i));
  return [{ dtype: ctx.input(0)?.dtype, dims }];
};

const argReduce: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const axis = normaliseAxis(attrInt(ctx.node, 'axis', 0), x.length);
  if (axis === undefined) return 'axis out of range';
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  const dims = keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis);
  return [{ dtype: 'INT64', dims }];
};

const topK: ShapeRule = (ctx) => {
  const x = ctx.dims(0);
  if (!x) return UNKNOWN_INPUT;
  const k = ctx.has(1) ? ctx.values(1)?.[0] : attrInt(ctx.node, 'k');
  if (k === undefined) return 'K is computed at run time';
  const axis = normaliseAxis(attrInt(ctx.node, 'axis', -1), x.length);
  if (axis === undefined) return 'axis out of range';
  const dims = [...x];
  dims[axis] = Math.min(k, x[axis]!);
  return [{ dtype: ctx.input(0)?.dtype, dims }, { dtype: 'INT64', dims }];
};

export const REDUCE_OPS = [
  'ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2',
  'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare',
] as const;

export function reduceRules(): Record<string, ShapeRule> {
  const rules: Record<string, ShapeRule> = { ArgMax: argReduce, ArgMin: argReduce, TopK: topK };
  for (const op of REDUCE_OPS) rules[op] = reduce;
  return rules;
}
