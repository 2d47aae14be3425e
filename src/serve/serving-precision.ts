import type { Profile } from '../profiles/schema.js';
import { SERVING_PRECISIONS, type ServingPrecision } from './serve-request.js';

export const BYTES: Record<ServingPrecision, number> = { bf16: 2, fp8: 1, int8: 1, int4: 0.5 };

export interface ResolvedPrecision {
  weights: ServingPrecision;
  /** The serving precisions the target supports (bf16 always). */
  supported: ServingPrecision[];
  kv: ServingPrecision;
  /** Peak of the linear layers (weights × activations), TFLOPS or TOPS. */
  linearTflops: number;
  /** Peak of attention (activations × activations): bf16 (fp16) on every target. */
  attentionTflops: number;
  confidence: 'high' | 'medium' | 'low';
  /** Why the plan uses another precision than asked, when it does. */
  note?: string;
}

/**
 * The precision a target serves in: the one asked for when the profile supports it and gives a
 * peak for it, else the next one down (fp8 → int8 → bf16; Ascend 910B/910C have no fp8). int4 is
 * weight-only (W4A16): it halves the bytes read, the products run at the bf16 peak.
 */
export function resolvePrecision(profile: Profile, weights: ServingPrecision, kv: ServingPrecision): ResolvedPrecision | string {
  const peaks = profile.hardware.peakTflops;
  const half = peaks.bf16 ?? peaks.fp16;
  if (!half) return `the profile gives no bf16 or fp16 peak for ${profile.id}`;
  const usable = (p: ServingPrecision): boolean => {
    if (p === 'bf16') return true;
    if (profile.precision.support[p]?.level === 'unsupported') return false;
    return p === 'int4' ? profile.precision.support.int4 !== undefined : peaks[p] !== undefined;
  };
  const chosen = fallback(weights, usable);
  const chosenKv = fallback(kv === 'int4' ? 'int8' : kv, usable);
  const linear = chosen === 'bf16' || chosen === 'int4' ? half : peaks[chosen]!;
  const notes = [
    ...(chosen !== weights ? [`${weights} weights are not supported on ${profile.name} (profile precision.support / peakTflops): served in ${chosen}`] : []),
    ...(chosenKv !== kv ? [`${kv} KV cache is not supported on ${profile.name}: kept in ${chosenKv}`] : []),
  ];
  const levels = [linear.confidence, half.confidence];
  return {
    weights: chosen,
    supported: SERVING_PRECISIONS.filter(usable),
    kv: chosenKv,
    linearTflops: linear.value,
    attentionTflops: half.value,
    confidence: levels.includes('low') ? 'low' : levels.includes('medium') ? 'medium' : 'high',
    ...(notes.length > 0 && { note: notes.join('; ') }),
  };
}

const DOWN: Record<ServingPrecision, ServingPrecision | undefined> = { fp8: 'int8', int8: 'bf16', int4: 'int8', bf16: undefined };

function fallback(p: ServingPrecision, usable: (p: ServingPrecision) => boolean): ServingPrecision {
  let current: ServingPrecision | undefined = p;
  while (current && !usable(current)) current = DOWN[current];
  return current ?? 'bf16';
}
