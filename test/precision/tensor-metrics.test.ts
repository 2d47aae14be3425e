import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { tensorMetrics, topKAgreement } from '../../src/precision/tensor-metrics.js';
import { DEFAULT_THRESHOLDS, layerMisses, outputMisses, resolveThresholds } from '../../src/precision/thresholds.js';
import { roundToBfloat16, roundToHalf } from '../../src/precision/float-rounding.js';
import { UsageError } from '../../src/errors.js';

describe('tensorMetrics', () => {
  test('computes every metric on a known pair', () => {
    const m = tensorMetrics([3, 4, 0, -1], [3, 4.5, 0, -0.5]);
    expect(m.elements).toBe(4);
    expect(m.compared).toBe(4);
    expect(m.maxAbsError).toBe(0.5);
    expect(m.meanAbsError).toBe(0.25);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.5 / 4), 12);
    expect(m.relativeEuclidean).toBeCloseTo(Math.sqrt(0.5) / Math.sqrt(26), 12);
    expect(m.cosine).toBeCloseTo((9 + 18 + 0.5) / (Math.sqrt(26) * Math.sqrt(9 + 20.25 + 0.25)), 12);
    // |reference| ≥ 1e-6 only: the zero is left out.
    expect(m.maxRelativeError).toBe(0.5);
    expect(m.meanRelativeError).toBeCloseTo((0 + 0.125 + 0.5) / 3, 12);
    expect(m.topK).toBeUndefined();
  });

  test('identical tensors: cosine 1, no error; all-zero pair: cosine 1; one all zero: cosine 0', () => {
    expect(tensorMetrics([1, 2], [1, 2])).toMatchObject({ cosine: 1, maxAbsError: 0, relativeEuclidean: 0 });
    expect(tensorMetrics([0, 0], [0, 0])).toMatchObject({ cosine: 1, relativeEuclidean: 0, maxRelativeError: null });
    expect(tensorMetrics([0, 0], [0, 1])).toMatchObject({ cosine: 0, relativeEuclidean: null });
  });

  test('counts NaN and Inf on each side, and those only the emulated run has', () => {
    const m = tensorMetrics([1, NaN, 70000, 2], [1, NaN, Infinity, NaN]);
    expect(m.reference).toEqual({ nan: 1, inf: 0, maxAbs: 70000 });
    expect(m.emulated).toEqual({ nan: 2, inf: 1, maxAbs: 1 });
    expect(m.newNonFinite).toBe(2);
    expect(m.compared).toBe(1);
  });

  test('the result is plain JSON: no NaN or Infinity in any metric', () => {
    fc.assert(fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 40 }), fc.array(fc.double(), { minLength: 1, maxLength: 40 }), (a, b) => {
      const m = tensorMetrics(a, b, 4);
      expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    }));
  });

  test('fp16 rounding of well-scaled values stays far inside the thresholds, but is not free', () => {
    const ref = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
    const m = tensorMetrics(ref, ref.map(roundToHalf));
    expect(m.cosine).toBeGreaterThan(0.99999);
    expect(m.maxAbsError).toBeGreaterThan(0);
    expect(outputMisses(m, DEFAULT_THRESHOLDS)).toEqual([]);
    const b = tensorMetrics(ref, ref.map(roundToBfloat16));
    expect(b.relativeEuclidean!).toBeGreaterThan(m.relativeEuclidean!); // bf16 has 3 fewer mantissa bits
  });
});

describe('top-k agreement', () => {
  test('top-1: share of rows with the same arg-max; top-k: mean overlap of the top-k sets', () => {
    const ref = [0.1, 0.7, 0.2, /* row 2 */ 0.5, 0.3, 0.2];
    const emu = [0.1, 0.6, 0.3, /* row 2 */ 0.3, 0.5, 0.2];
    expect(topKAgreement(ref, emu, 3, 1)).toEqual({ k: 1, agreement: 0.5, rows: 2 });
    expect(topKAgreement(ref, emu, 3, 2)).toEqual({ k: 2, agreement: 1, rows: 2 });
  });

  test('is reported for k below the class count only', () => {
    expect(tensorMetrics([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], 6).topK?.map((t) => t.k)).toEqual([1, 5]);
    expect(tensorMetrics([1, 2, 3, 4], [1, 2, 3, 4], 2).topK?.map((t) => t.k)).toEqual([1]);
  });
});

describe('thresholds', () => {
  test('default to msit debug compare\'s', () => {
    expect(DEFAULT_THRESHOLDS).toMatchObject({ cosine: 0.99, relativeEuclidean: 0.05, rmse: 1, meanRelativeError: 1 });
  });

  test('judge an output on every metric, an intermediate value on the scale-free ones only', () => {
    const ref = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const m = tensorMetrics(ref, ref.map((v) => v + 2));
    expect(outputMisses(m, DEFAULT_THRESHOLDS).map((x) => x.metric)).toEqual(['rmse']);
    expect(layerMisses(m, DEFAULT_THRESHOLDS)).toEqual([]);
  });

  test('pass a near-zero tensor whose errors are all within the absolute tolerance', () => {
    const m = tensorMetrics([1e-8, 2e-8, 0], [0, 3e-8, 1e-8]);
    expect(m.cosine).toBeLessThan(0.99);
    expect(outputMisses(m, DEFAULT_THRESHOLDS)).toEqual([]);
    expect(outputMisses(m, resolveThresholds({ absoluteTolerance: 0 })).map((x) => x.metric)).toContain('cosine');
  });

  test('fail NaN or Inf that only the emulated run has, whatever the tolerance', () => {
    const m = tensorMetrics([1, 2], [1, Infinity]);
    expect(outputMisses(m, resolveThresholds({ absoluteTolerance: 1e9 }))).toEqual([{ metric: 'newNonFinite', value: 1, threshold: 0 }]);
  });

  test('are overridable, and a bad value is a usage error', () => {
    expect(resolveThresholds({ cosine: 0.999, top1: 1 })).toMatchObject({ cosine: 0.999, relativeEuclidean: 0.05, top1: 1 });
    expect(() => resolveThresholds({ cosine: 2 })).toThrow(UsageError);
    expect(() => resolveThresholds({ rmse: -1 })).toThrow('precision threshold rmse=-1: expected a number from 0 to');
    expect(() => resolveThresholds({ nope: 1 } as never)).toThrow("unknown precision threshold 'nope'");
  });
});
