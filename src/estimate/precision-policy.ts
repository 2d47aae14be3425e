import { dataTypeByName, type DataTypeName, type PrecisionFamily } from '../onnx/data-types.js';
import { familyOf } from '../inspect/dtype-family.js';
import type { Profile, ProfilePrecisionFamily } from '../profiles/schema.js';

/**
 * The precision a target actually computes in, from its profile's default precision policy
 * (ATC's force_fp16 turns fp32 and bf16 into fp16; a GPU running ORT keeps the model's types).
 */

const BYTES: Partial<Record<PrecisionFamily, number>> = { fp64: 8, fp32: 4, fp16: 2, bf16: 2, fp8: 1, fp4: 0.5 };

/** The family the target computes a tensor of `family` in, for a node of `opType`. */
export function targetFamily(family: PrecisionFamily, opType: string, profile: Profile): PrecisionFamily {
  const policy = profile.precision.policy;
  if (!policy.converts.includes(family as ProfilePrecisionFamily)) return family;
  if (policy.keepOps.includes(opType)) return family;
  return policy.compute;
}

/** Bytes per element of a tensor of `dtype` on the target: converted floats take the compute type's size. */
export function targetBytesPerElement(dtype: DataTypeName, opType: string, profile: Profile): number {
  const family = familyOf(dtype);
  const converted = targetFamily(family, opType, profile);
  if (converted !== family) return BYTES[converted] ?? dataTypeByName(dtype).bits / 8;
  return dataTypeByName(dtype).bits / 8;
}

export interface PeakUsed {
  /** The family whose figure was used. */
  family: ProfilePrecisionFamily;
  tflops: number;
  confidence: 'high' | 'medium' | 'low';
  /** Set when the figure is a stand-in for another family's. */
  note?: string;
}

/**
 * Stand-ins when the profile has no peak for a family, nearest first. Integer and fp8/fp4 math fall
 * back to fp16 (what a target without those units computes them in); fp32 to the lowest float peak.
 */
const FALLBACKS: Partial<Record<PrecisionFamily, ProfilePrecisionFamily[]>> = {
  fp16: ['bf16', 'fp32'],
  bf16: ['fp16', 'fp32'],
  fp32: ['fp16', 'bf16'],
  fp64: ['fp32', 'fp16'],
  fp8: ['fp16', 'bf16'],
  fp4: ['fp8', 'fp16'],
  int8: ['fp16', 'bf16'],
  int4: ['int8', 'fp16'],
};

/** The peak a node of `family` runs at on the target; index math (int64, bool...) uses the compute family's. */
export function peakFor(family: PrecisionFamily, profile: Profile): PeakUsed | undefined {
  const peaks = profile.hardware.peakTflops;
  const ownPeak = FALLBACKS[family] !== undefined;
  const wanted: ProfilePrecisionFamily = ownPeak ? (family as ProfilePrecisionFamily) : profile.precision.policy.compute;
  const direct = peaks[wanted];
  if (direct && direct.value > 0) return { family: wanted, tflops: direct.value, confidence: direct.confidence };
  for (const alt of FALLBACKS[wanted] ?? []) {
    const f = peaks[alt];
    if (f && f.value > 0) {
      return {
        family: alt, tflops: f.value, confidence: 'low',
        note: `no ${wanted} peak in the profile: ${wanted} math timed at the ${alt} peak (${f.value} TFLOPS)`,
      };
    }
  }
  return undefined;
}

/**
 * targetBytesPerElement for one profile, memoised by dtype (and by op type only for the ops the
 * policy keeps): the roofline and the memory walk ask it once per tensor.
 */
export function bytesPerElementOn(profile: Profile): (dtype: DataTypeName, opType: string) => number {
  const keep = new Set(profile.precision.policy.keepOps);
  const memo = new Map<string, number>();
  return (dtype, opType) => {
    const key = keep.has(opType) ? `${dtype}|${opType}` : dtype;
    let bytes = memo.get(key);
    if (bytes === undefined) memo.set(key, (bytes = targetBytesPerElement(dtype, opType, profile)));
    return bytes;
  };
}
