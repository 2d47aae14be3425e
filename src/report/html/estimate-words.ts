import type { TargetEstimate } from '../../estimate/types.js';
import { binaryBytes, duration } from './units.js';

/**
 * The estimate in a few words, shared by the HTML summary and the Markdown table so that they
 * agree. Plain text (numbers and fixed words only): escape for the format where it goes.
 */

/** "127 ns, memory-bound". */
export function latencyWords(est: TargetEstimate): string {
  const bound = est.bottleneck === 'unknown' ? 'bottleneck unknown' : `${est.bottleneck}-bound`;
  return `${duration(est.latencyMs)}, ${bound}`;
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
