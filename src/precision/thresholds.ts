import { UsageError } from '../errors.js';
import type { TensorMetrics, ThresholdMiss, Thresholds } from './types.js';

/** msit debug compare's monitor thresholds (Ascend/msit msquickcmp/net_compare/analyser.py). */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  absoluteTolerance: 1e-6,
  cosine: 0.99,
  relativeEuclidean: 0.05,
  rmse: 1.0,
  meanRelativeError: 1.0,
});

export function resolveThresholds(given: Partial<Thresholds> = {}): Thresholds {
  const out: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const [key, value] of Object.entries(given) as [keyof Thresholds, number | undefined][]) {
    if (value === undefined) continue;
    if (!(key in RANGES)) throw new UsageError(`unknown precision threshold '${key}'; known: ${Object.keys(RANGES).join(', ')}`);
    const [min, max] = RANGES[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new UsageError(`precision threshold ${key}=${String(value)}: expected a number from ${min} to ${max}`);
    }
    out[key] = value;
  }
  return out;
}

const RANGES: Record<keyof Thresholds, [number, number]> = {
  absoluteTolerance: [0, Number.MAX_VALUE],
  cosine: [-1, 1],
  relativeEuclidean: [0, Number.MAX_VALUE],
  rmse: [0, Number.MAX_VALUE],
  meanRelativeError: [0, Number.MAX_VALUE],
  maxAbsError: [0, Number.MAX_VALUE],
  maxRelativeError: [0, Number.MAX_VALUE],
  top1: [0, 1],
};

/**
 * The thresholds a model output misses. As in msit, a metric without a value (null) is not judged;
 * NaN or Inf that only the emulated run produces always fails.
 */
export function outputMisses(m: TensorMetrics, t: Thresholds): ThresholdMiss[] {
  const misses = layerMisses(m, t);
  if (withinTolerance(m, t)) return misses;
  if (m.rmse > t.rmse) misses.push({ metric: 'rmse', value: m.rmse, threshold: t.rmse });
  if (m.meanRelativeError !== null && m.meanRelativeError > t.meanRelativeError) {
    misses.push({ metric: 'meanRelativeError', value: m.meanRelativeError, threshold: t.meanRelativeError });
  }
  if (t.maxAbsError !== undefined && m.maxAbsError > t.maxAbsError) {
    misses.push({ metric: 'maxAbsError', value: m.maxAbsError, threshold: t.maxAbsError });
  }
  if (t.maxRelativeError !== undefined && m.maxRelativeError !== null && m.maxRelativeError > t.maxRelativeError) {
    misses.push({ metric: 'maxRelativeError', value: m.maxRelativeError, threshold: t.maxRelativeError });
  }
  const top1 = m.topK?.find((a) => a.k === 1);
  if (t.top1 !== undefined && top1 && top1.agreement < t.top1) {
    misses.push({ metric: 'top1', value: top1.agreement, threshold: t.top1 });
  }
  return misses;
}

/**
 * The thresholds an intermediate value misses: only the scale-free ones (cosine, relative
 * Euclidean distance) and new NaN/Inf. Absolute errors grow with an activation's magnitude, so
 * RMSE would flag every large activation as drifting.
 */
export function layerMisses(m: TensorMetrics, t: Thresholds): ThresholdMiss[] {
  const misses: ThresholdMiss[] = [];
  if (m.newNonFinite > 0) misses.push({ metric: 'newNonFinite', value: m.newNonFinite, threshold: 0 });
  if (withinTolerance(m, t)) return misses;
  if (m.cosine < t.cosine) misses.push({ metric: 'cosine', value: m.cosine, threshold: t.cosine });
  if (m.relativeEuclidean !== null && m.relativeEuclidean > t.relativeEuclidean) {
    misses.push({ metric: 'relativeEuclidean', value: m.relativeEuclidean, threshold: t.relativeEuclidean });
  }
  return misses;
}

function withinTolerance(m: TensorMetrics, t: Thresholds): boolean {
  return m.maxAbsError <= t.absoluteTolerance;
}
