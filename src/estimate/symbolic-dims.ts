import type { Dim } from '../onnx/ir.js';

/**
 * Values for the dims a model leaves open, so that a static estimate has numbers to work with.
 * The defaults agree with the run stage's (src/runtime/input-dims.ts), so that an estimate from
 * inferred shapes and one from observed shapes describe the same workload:
 * - a dim given by name (`--dim name=N`) takes that value;
 * - past-sequence dims (`past_sequence_length`, ...) are 0: a prefill, no cache yet;
 * - total-sequence dims are past + sequence;
 * - batch-like dims (named like a batch, or the first open dim of an input of rank >= 2) take
 *   `batch` (default 1);
 * - sequence-like dims take `seqLen` (default 512), and every other open dim takes 512 too.
 */
export const DEFAULT_BATCH = 1;
export const DEFAULT_SEQ_LEN = 512;
export const DEFAULT_OPEN_DIM = 512;

const BATCH_NAME = /batch|^(n|b|bs|num_images)$/i;
const PAST_NAME = /past/i;
const TOTAL_NAME = /total|all_seq|kv_seq|max_seq/i;
const SEQUENCE_NAME = /seq|len|token|time|step|frames|^(s|t|l)$/i;

export interface DimOptions {
  dims?: Record<string, number>;
  batch?: number;
  seqLen?: number;
}

export class DimResolver {
  private readonly named = new Map<string, number>();
  /** Plain-words notes on each value taken, for the estimate's assumptions. */
  readonly notes: string[] = [];
  readonly batch: number;
  readonly seqLen: number;

  constructor(private readonly options: DimOptions) {
    this.batch = positiveOr(options.batch, DEFAULT_BATCH);
    this.seqLen = positiveOr(options.seqLen, DEFAULT_SEQ_LEN);
  }

  /** Resolves the declared dims of a graph input; undefined for an input of unknown rank. */
  resolve(inputName: string, declared: Dim[] | undefined): number[] | undefined {
    if (declared === undefined) return undefined;
    let seenOpen = false;
    return declared.map((d, axis) => {
      if (typeof d === 'number' && d >= 0) return d;
      const firstOpen = !seenOpen;
      seenOpen = true;
      if (typeof d === 'string' && d !== '') return this.named.get(d) ?? this.byName(d, firstOpen && declared.length >= 2);
      const batchLike = firstOpen && declared.length >= 2;
      const value = batchLike ? this.batch : DEFAULT_OPEN_DIM;
      this.notes.push(`input '${inputName}' axis ${axis} has no size or name: took ${value}${batchLike ? ' (batch)' : ''}`);
      return value;
    });
  }

  /** A symbolic dim met outside the graph inputs (value_info): resolved the same way. */
  resolveName(name: string): number {
    return this.named.get(name) ?? this.byName(name, false);
  }

  private byName(name: string, firstOpenOfBatchedInput: boolean): number {
    const given = this.options.dims?.[name];
    let value: number;
    let why: string;
    if (given !== undefined && Number.isFinite(given) && given >= 0) {
      value = Math.floor(given);
      why = 'given';
    } else if (PAST_NAME.test(name)) {
      value = 0;
      why = 'past sequence: a prefill with an empty cache';
    } else if (TOTAL_NAME.test(name)) {
      value = this.seqLen;
      why = 'total sequence = past (0) + sequence';
    } else if (BATCH_NAME.test(name) || firstOpenOfBatchedInput) {
      value = this.batch;
      why = this.options.batch !== undefined ? 'batch, --batch' : 'batch default';
    } else if (SEQUENCE_NAME.test(name)) {
      value = this.seqLen;
      why = this.options.seqLen !== undefined ? 'sequence, --seq-len' : 'sequence default';
    } else {
      value = DEFAULT_OPEN_DIM;
      why = 'open dim default';
    }
    this.named.set(name, value);
    this.notes.push(
      why === 'given'
        ? `symbolic dim '${name}' = ${value} (given)`
        : `symbolic dim '${name}' = ${value} (${why}; set it with --dim ${name}=N)`,
    );
    return value;
  }
}

function positiveOr(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback;
}
