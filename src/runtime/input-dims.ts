import type { Dim, ValueInfoIR } from '../onnx/ir.js';
import { ownValue } from '../own-keys.js';

/**
 * Defaults for dynamic dims, chosen so that common models run as they are:
 * - batch-like dims are 1: a dim whose name says batch, and the first dynamic dim of an input of
 *   rank 2 or more (exporters put the batch first; Silero's state puts it second, after its fixed 2,
 *   and there it is still the first dynamic one);
 * - every other dynamic dim is 512: a multiple of 32 (PaddleOCR det and other strided CNNs need
 *   one), a chunk Silero VAD accepts at 16 kHz (it accepts 256 to 576 samples there), and a
 *   sequence length transformers take.
 */
export const DEFAULT_BATCH_DIM = 1;
export const DEFAULT_DYNAMIC_DIM = 512;

const BATCH_NAME = /batch|^(n|b|bs|num_images)$/i;

export interface ResolvedDims {
  dims: number[];
  /** Plain-words notes on each default taken, for RunResult.assumptions. */
  notes: string[];
}

/**
 * Resolves one input's dims. Symbolic names resolve once per model (`named` is shared across the
 * inputs), so an input's `batch` and another's `batch` agree.
 */
export function resolveInputDims(
  input: ValueInfoIR, userDims: Record<string, number>, named: Map<string, number>,
): ResolvedDims | { error: string } {
  const declared = input.dims;
  if (declared === undefined) {
    return { error: `input '${input.name}' declares no shape; give one with --shape ${input.name}=...` };
  }
  const notes: string[] = [];
  const out: number[] = [];
  let seenDynamic = false;
  declared.forEach((d: Dim, axis) => {
    if (typeof d === 'number' && d >= 0) {
      out.push(d);
      return;
    }
    const firstDynamic = !seenDynamic;
    seenDynamic = true;
    const batchLike = (typeof d === 'string' && BATCH_NAME.test(d)) || (firstDynamic && declared.length >= 2);
    if (typeof d === 'string' && d !== '') {
      const given = ownValue(userDims, d) ?? named.get(d);
      if (given !== undefined) {
        named.set(d, given);
        out.push(given);
        return;
      }
      const value = batchLike ? DEFAULT_BATCH_DIM : DEFAULT_DYNAMIC_DIM;
      named.set(d, value);
      notes.push(`dim '${d}' = ${value} (${batchLike ? 'batch-like' : 'dynamic'} default; set it with --dim ${d}=N)`);
      out.push(value);
      return;
    }
    const value = batchLike ? DEFAULT_BATCH_DIM : DEFAULT_DYNAMIC_DIM;
    notes.push(
      `input '${input.name}' axis ${axis} has no size or name; took ${value} ` +
        `(${batchLike ? 'batch-like' : 'dynamic'} default; set it with --shape ${input.name}=...)`,
    );
    out.push(value);
  });
  return { dims: out, notes };
}

/**
 * A user-given shape must agree with the declared rank and fixed dims, or ORT fails less clearly.
 * Returns what is wrong, for the caller to prefix with the flag.
 */
export function checkGivenShape(input: ValueInfoIR, shape: number[]): string | undefined {
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) return 'dims must be non-negative integers';
  const declared = input.dims;
  if (declared === undefined) return undefined;
  if (declared.length !== shape.length) {
    return `rank ${shape.length}, but the model declares rank ${declared.length} ${formatDims(declared)}`;
  }
  for (let i = 0; i < shape.length; i++) {
    const d = declared[i];
    if (typeof d === 'number' && d >= 0 && d !== shape[i]) return `axis ${i} is fixed at ${d} in the model`;
  }
  return undefined;
}

export function formatDims(dims: Dim[]): string {
  return `[${dims.map((d) => (d === null || d === '' ? '?' : String(d))).join(', ')}]`;
}

/** Element count, or Infinity when it leaves the safe integer range (hostile dims). */
export function elementCount(dims: number[]): number {
  let n = 1;
  for (const d of dims) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return n;
}
