import { performance } from 'node:perf_hooks';
import type { OrtModule } from './load-ort.js';
import { latencyStats, round } from './latency.js';
import { plainOrtReason } from './ort-errors.js';
import type { BackendRun, ProviderName, RunOptions } from './types.js';

export const DEFAULT_ITERATIONS = 10;
/**
 * At most this many timed iterations (--iterations): enough for a stable median; a larger count
 * only makes a CI job run for hours (1e12 was accepted once).
 */
export const MAX_ITERATIONS = 1000;
export const DEFAULT_WARMUP = 1;

/** The session options of a timed run: what the bare baseline (bench/) uses too. */
export function sessionOptionsFor(provider: ProviderName, options: RunOptions): Record<string, unknown> {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    // ONNX Runtime's reason comes back in the exception; its own log would repeat it on stderr.
    logSeverityLevel: 4,
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  };
}

/**
 * Creates a session (timed), runs the warm-up, then times each iteration on its own. Nothing else
 * happens between the timed calls: no profiler, no output copies beyond what ONNX Runtime returns.
 */
export async function timeBackend(
  ort: OrtModule, source: string | Uint8Array, feeds: Record<string, unknown>, provider: ProviderName,
  options: RunOptions,
): Promise<BackendRun> {
  const iterations = Math.max(1, Math.trunc(options.iterations ?? DEFAULT_ITERATIONS));
  const warmup = Math.max(0, Math.trunc(options.warmup ?? DEFAULT_WARMUP));
  let session: Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;
  const t0 = performance.now();
  try {
    session = await ort.InferenceSession.create(source as string, sessionOptionsFor(provider, options));
  } catch (e) {
    return { provider, status: 'failed', reason: `ONNX Runtime cannot create a session: ${plainOrtReason(e)}` };
  }
  const sessionMs = round(performance.now() - t0);
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmup; i++) await session.run(feeds as never);
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await session.run(feeds as never);
      samples.push(performance.now() - start);
    }
  } catch (e) {
    return { provider, status: 'failed', sessionMs, reason: `the model fails when run: ${plainOrtReason(e)}` };
  } finally {
    await session.release();
  }
  return {
    provider, status: 'ok', sessionMs, iterations, latencyMs: latencyStats(samples), peakRssMB: peakRssMB(),
  };
}

/** The process's peak resident set size so far (Linux and macOS report it; maxRSS is in kB). */
export function peakRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}
