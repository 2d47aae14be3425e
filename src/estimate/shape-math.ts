import type { DataTypeName } from '../onnx/data-types.js';
import { maxOf } from '../arrays.js';

/** What shape inference knows about one value: dtype and concrete dims, either possibly unknown. */
export interface TensorShape {
  dtype?: DataTypeName;
  /** Concrete dims; undefined = unknown rank or unknown sizes. */
  dims?: number[];
}

/** A shape plus, for small integer tensors (shapes, indices), their values. */
export interface InferredValue extends TensorShape {
  values?: number[];
}

/** Small integer tensors whose values are tracked (shape arithmetic); larger ones are not. */
export const MAX_TRACKED_VALUES = 1024;

/** Dims past this are not a real model: treated as unknown, so no estimate multiplies them. */
export const MAX_DIM = 2 ** 40;

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** ONNX multidirectional (numpy) broadcasting; undefined when the dims do not broadcast. */
export function broadcast(shapes: readonly (readonly number[])[]): number[] | undefined {
  const rank = maxOf(shapes.map((s) => s.length), 0);
  const out: number[] = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const offset = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[offset + i]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[offset + i] = d;
      else return undefined;
    }
  }
  return out;
}

/** A possibly negative axis → 0..rank-1, or undefined when out of range. */
export function normaliseAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/**
 * Dims that are usable for arithmetic: integers in 0..MAX_DIM whose product stays exact (a hostile
 * Reshape or Expand to [2^40, 2^40] is treated as unknown, not as a number nobody can use).
 */
export function validDims(dims: readonly number[]): boolean {
  let product = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > MAX_DIM) return false;
    product *= d;
  }
  return product <= Number.MAX_SAFE_INTEGER;
}

/**
 * Values of a small tensor rearranged (Transpose, Slice): `source` maps an output index to the
 * input index it reads. Undefined past MAX_TRACKED_VALUES or when the values do not fit the dims.
 */
export function permuteValues(
  values: number[], inDims: number[], outDims: number[], source: (outIndex: number[]) => number[],
): number[] | undefined {
  const total = elementCount(outDims);
  if (total > MAX_TRACKED_VALUES || values.length !== elementCount(inDims)) return undefined;
  const out: number[] = new Array<number>(total);
  const idx = new Array<number>(outDims.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    for (let a = outDims.length - 1; a >= 0; a--) {
      idx[a] = rem % outDims[a]!;
      rem = Math.floor(rem / outDims[a]!);
    }
    const from = source(idx);
    let off = 0;
    for (let a = 0; a < inDims.length; a++) off = off * inDims[a]! + from[a]!;
    const v = values[off];
    if (v === undefined) return undefined;
    out[flat] = v;
  }
  return out;
}
