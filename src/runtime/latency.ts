import type { LatencyStats } from './types.js';

/** Nearest-rank percentiles: with 10 samples p90 is the 9th smallest, p99 the largest. */
export function latencyStats(samplesMs: number[]): LatencyStats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { p50: 0, p90: 0, p99: 0, mean: 0, min: 0, max: 0 };
  const rank = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  return {
    p50: round(rank(0.5)),
    p90: round(rank(0.9)),
    p99: round(rank(0.99)),
    mean: round(mean),
    min: round(sorted[0]!),
    max: round(sorted[n - 1]!),
  };
}

/** Microsecond precision is all a timer around a native call can honestly give. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
