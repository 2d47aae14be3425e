import type { TensorMetrics, TopKAgreement, ValueStats } from './types.js';

/**
 * Relative errors are taken over elements whose |reference| is at least this: below it, fp16
 * stores values as subnormals with few significant bits (its smallest normal is 6.1e-5), and the
 * error measured is the format's underflow rather than the model's drift.
 */
export const RELATIVE_ERROR_FLOOR = 1e-6;

/** The k of top-k agreement reported for classification-like tensors (when the class axis is larger). */
export const TOP_K = [1, 5] as const;

export type Numbers = ArrayLike<number>;

/**
 * Compares an emulated tensor with its reference in two passes, with no copy of either. `classes` is
 * the size of the class axis (the last one) when the tensor is classification-like.
 */
export function tensorMetrics(ref: Numbers, emu: Numbers, classes?: number): TensorMetrics {
  const n = Math.min(ref.length, emu.length);
  const refStats: ValueStats = { nan: 0, inf: 0, maxAbs: 0 };
  const emuStats: ValueStats = { nan: 0, inf: 0, maxAbs: 0 };
  for (let i = 0; i < n; i++) {
    note(refStats, ref[i]!);
    note(emuStats, emu[i]!);
  }
  // Values are scaled by a power of two near the largest magnitude (exact: only the exponent
  // changes), so that squares and products of fp64 values near their range cannot overflow.
  const largest = Math.max(refStats.maxAbs, emuStats.maxAbs);
  const scale = largest > 0 ? 2 ** Math.min(1023, Math.ceil(Math.log2(largest))) : 1;
  let compared = 0;
  let newNonFinite = 0;
  let dot = 0;
  let rr = 0;
  let ee = 0;
  let dd = 0;
  let sumAbs = 0;
  let maxAbs = 0;
  let relCount = 0;
  let sumRel = 0;
  let maxRel = 0;
  for (let i = 0; i < n; i++) {
    const rawR = ref[i]!;
    const rawE = emu[i]!;
    const rFinite = Number.isFinite(rawR);
    if (!rFinite || !Number.isFinite(rawE)) {
      if (rFinite) newNonFinite++;
      continue;
    }
    compared++;
    const r = rawR / scale;
    const e = rawE / scale;
    const d = e - r;
    const ad = Math.abs(d);
    dot += r * e;
    rr += r * r;
    ee += e * e;
    dd += d * d;
    sumAbs += ad;
    if (ad > maxAbs) maxAbs = ad;
    if (Math.abs(rawR) >= RELATIVE_ERROR_FLOOR) {
      const rel = ad / Math.abs(r);
      relCount++;
      sumRel += rel;
      if (rel > maxRel) maxRel = rel;
    }
  }
  let cosine: number;
  if (dd === 0) cosine = 1; // identical (or both all zero)
  else if (rr === 0 || ee === 0) cosine = 0;
  else cosine = Math.max(-1, Math.min(1, dot / (Math.sqrt(rr) * Math.sqrt(ee))));
  const metrics: TensorMetrics = {
    elements: n,
    compared,
    cosine,
    maxAbsError: finite(maxAbs * scale),
    meanAbsError: compared > 0 ? finite((sumAbs / compared) * scale) : 0,
    rmse: compared > 0 ? finite(Math.sqrt(dd / compared) * scale) : 0,
    maxRelativeError: relCount > 0 ? finite(maxRel) : null,
    meanRelativeError: relCount > 0 ? finite(sumRel / relCount) : null,
    relativeEuclidean: dd === 0 ? 0 : rr > 0 ? finiteOrNull(Math.sqrt(dd / rr)) : null,
    reference: refStats,
    emulated: emuStats,
    newNonFinite,
  };
  if (classes !== undefined && classes > 1 && n % classes === 0 && n > 0) {
    metrics.topK = TOP_K.filter((k) => k < classes).map((k) => topKAgreement(ref, emu, classes, k));
  }
  return metrics;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** An error between two fp64 values near their range can exceed it: it is given as the largest fp64. */
function finite(v: number): number {
  return Number.isFinite(v) ? v : Number.MAX_VALUE;
}

function note(stats: ValueStats, v: number): void {
  if (Number.isNaN(v)) stats.nan++;
  else if (!Number.isFinite(v)) stats.inf++;
  else if (Math.abs(v) > stats.maxAbs) stats.maxAbs = Math.abs(v);
}

/** Agreement of the top-k classes along the last axis, row by row. NaN ranks below everything. */
export function topKAgreement(ref: Numbers, emu: Numbers, classes: number, k: number): TopKAgreement {
  const rows = Math.floor(Math.min(ref.length, emu.length) / classes);
  let sum = 0;
  for (let row = 0; row < rows; row++) {
    const base = row * classes;
    const a = topIndices(ref, base, classes, k);
    const b = topIndices(emu, base, classes, k);
    if (k === 1) {
      if (a[0] === b[0]) sum++;
    } else {
      let shared = 0;
      for (const i of a) if (b.includes(i)) shared++;
      sum += shared / k;
    }
  }
  return { k, agreement: rows > 0 ? sum / rows : 1, rows };
}

/** Indices of the k largest values in data[base .. base + count), largest first. */
function topIndices(data: Numbers, base: number, count: number, k: number): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < count; i++) {
    const raw = data[base + i]!;
    const v = Number.isNaN(raw) ? -Infinity : raw;
    if (idx.length === k && v <= val[k - 1]!) continue;
    let at = Math.min(idx.length, k - 1);
    if (idx.length < k) {
      idx.push(i);
      val.push(v);
      at = idx.length - 1;
    }
    while (at > 0 && val[at - 1]! < v) {
      idx[at] = idx[at - 1]!;
      val[at] = val[at - 1]!;
      at--;
    }
    idx[at] = i;
    val[at] = v;
  }
  return idx;
}
