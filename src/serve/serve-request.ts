import { UsageError } from '../errors.js';

/** Precisions a serving plan stores weights (and the KV cache) in. */
export const SERVING_PRECISIONS = ['bf16', 'fp8', 'int8', 'int4'] as const;
export type ServingPrecision = (typeof SERVING_PRECISIONS)[number];

/** What is being served: `--serve batch=B,context=C,output=O[,precision=P,kv=P,chips=N,throughput=T]` and `--tpot-ms`. */
export interface ServeRequest {
  /** Sequences decoded together by one model instance (one replica, however many chips it spans). */
  batch: number;
  /** Prompt tokens per sequence (prefilled at once). */
  context: number;
  /** Tokens generated per sequence. */
  output: number;
  /** Weight precision asked for; a target without it falls back (fp8 → int8 on Ascend). */
  precision: ServingPrecision;
  /** KV cache precision. */
  kv: ServingPrecision;
  /** Spread one instance over exactly this many chips (default: the fewest that hold it). */
  chips?: number;
  /** Output tokens per second wanted over all instances: how many chips that takes. */
  throughput?: number;
  /** A time per output token to meet: the parallel degree that reaches it. */
  tpotMs?: number;
}

export const DEFAULT_SERVE: ServeRequest = { batch: 1, context: 2048, output: 256, precision: 'bf16', kv: 'bf16' };

const LIMITS = { batch: 1 << 20, context: 1 << 24, output: 1 << 24, chips: 1 << 16, throughput: 1e12 };

/** Parses `--serve`'s text; unknown keys, bad numbers and out-of-range values are one UsageError line. */
export function parseServe(text: string, tpotMs?: string): ServeRequest {
  const request: ServeRequest = { ...DEFAULT_SERVE };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, value, extra] = part.split('=');
    if (value === undefined || extra !== undefined || key === undefined) throw new UsageError(`--serve: '${part}' is not key=value`);
    switch (key.trim()) {
      case 'batch': case 'context': case 'output': case 'chips': case 'throughput': {
        const k = key.trim() as keyof typeof LIMITS;
        request[k] = whole(`--serve ${k}`, value, k === 'output' ? 0 : 1, LIMITS[k]);
        break;
      }
      case 'precision': case 'kv':
        request[key.trim() as 'precision' | 'kv'] = precision(key.trim(), value.trim());
        break;
      default:
        throw new UsageError(`--serve: unknown key '${key}' (batch, context, output, precision, kv, chips, throughput)`);
    }
  }
  if (tpotMs !== undefined) {
    const n = Number(tpotMs);
    if (!Number.isFinite(n) || n <= 0 || n > 1e7) throw new UsageError(`--tpot-ms takes a positive number of milliseconds, got '${tpotMs}'`);
    request.tpotMs = n;
  }
  return request;
}

function whole(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

function precision(key: string, text: string): ServingPrecision {
  if (!(SERVING_PRECISIONS as readonly string[]).includes(text)) {
    throw new UsageError(`--serve ${key}: '${text}' is not one of ${SERVING_PRECISIONS.join(', ')}`);
  }
  return text as ServingPrecision;
}
