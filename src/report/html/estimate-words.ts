import type { TargetEstimate } from '../../estimate/types.js';
import { binaryBytes, duration } from './units.js';

/**
 * The estimate in a few words, shared by the HTML summary and the Markdown table so that they
 * agree. Plain text (numbers and fixed words only): escape for the format where it goes.
 */

/**
 * Below this, a roofline latency says nothing: launching a kernel alone takes microseconds on
 * any of the targets, and the roofline counts no launch overhead.
 */
export const MIN_MEANINGFUL_LATENCY_MS = 0.01;

/** The estimated latency, or "< 10 µs" where the figure would be smaller than launch overhead. */
export function estimatedLatency(ms: number): string {
  return Number.isFinite(ms) && ms >= 0 && ms < MIN_MEANINGFUL_LATENCY_MS ? '< 10 µs' : duration(ms);
}

/** "1.27 ms, memory-bound". */
export function latencyWords(est: TargetEstimate): string {
  const bound = est.bottleneck === 'unknown' ? 'bottleneck unknown' : `${est.bottleneck}-bound`;
  return `${estimatedLatency(est.latencyMs)}, ${bound}`;
}

/** "69.1 KiB of 96 GiB: fits on 1 chip" or "…: needs 3 chips". */
export function memoryWords(est: TargetEstimate): string {
  const m = est.memory;
  return `${binaryBytes(m.totalBytes)} of ${binaryBytes(m.deviceBytes)}: ${fitWords(est)}`;
}

export function fitWords(est: TargetEstimate): string {
  const m = est.memory;
  return m.fits ? 'fits on 1 chip' : `needs ${m.chipsNeeded} chips`;
}
