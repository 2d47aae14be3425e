import { formatDuration } from '../text-sections.js';

/**
 * Numbers as the document formats (HTML, Markdown) print them. Each function is total: a value
 * that is not a finite number (a hand-edited or merged JSON file) prints as "?" rather than
 * "NaN" or a crash.
 */

/** The terminal's units, so that the formats agree; a positive time under a nanosecond is not "0 ns". */
export function duration(ms: number): string {
  return ms > 0 && ms < 5e-7 ? '< 1 ns' : formatDuration(ms);
}

/** Memory in binary units, as device memory is quoted (a "96 GiB" card). */
export { formatBytes as binaryBytes } from '../../findings/format-values.js';

/** "2.65 GFLOP": an operation count with an SI prefix. */
export function flopCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let v = n;
  let p = 0;
  while (v >= 1000 && p < prefixes.length - 1) {
    v /= 1000;
    p += 1;
  }
  return `${p === 0 ? String(v) : v.toFixed(2)} ${prefixes[p]}FLOP`;
}

/**
 * An error metric: four significant digits, in exponent notation when small, since precision drift
 * spans orders of magnitude (1e-7 is fine, 1e-2 is not).
 */
export function metric(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  if (!Number.isFinite(x)) return '?';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e6 ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/**
 * Cosine similarity: how close to 1 is what matters, so a value within 1e-5 of it is written as
 * its distance from 1 ("1 − 1.1e-7") rather than rounded to a "1.000000" that hides it.
 */
export function cosine(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  if (!Number.isFinite(x)) return '?';
  if (x === 1) return '1';
  return x < 1 && 1 - x < 1e-5 ? `1 − ${(1 - x).toExponential(1)}` : x.toFixed(6);
}

/** Megabytes, as the peak resident set size of the run is measured. */
export function megabytes(mb: number): string {
  return Number.isFinite(mb) ? `${mb.toFixed(mb >= 100 ? 0 : 1)} MB` : '?';
}

/** "1×8" dims as a shape, "scalar" for none. */
export function shape(dims: readonly number[]): string {
  return dims.length === 0 ? 'scalar' : `[${dims.join(', ')}]`;
}
