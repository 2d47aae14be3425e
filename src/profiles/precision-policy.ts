/**
 * THE ONE PLACE a target's precision policy is read. Everything downstream that needs to know what
 * the target computes a value in (the precision check, the estimate's roofline and memory, the
 * emulation's rounding plan, the plan's keep-fp32 search) takes the `TargetPrecision` resolved
 * here from (profile, --precision, --keep), and never reads `profile.precision` or
 * `profile.hardware.peakTflops` itself. Add a new question about precision here, as data or as a
 * function of a TargetPrecision, so that the check, the estimate and the emulation cannot disagree.
 *
 * A TargetPrecision is plain data (it crosses into a worker and its stated part into the report).
 */
import { dataTypeByName, familyOf, type DataTypeName, type PrecisionFamily } from '../onnx/data-types.js';
import type { Profile, ProfilePrecisionFamily, SupportLevel } from './schema.js';

/** `--precision`: emulate the target profile's policy, or force one compute precision. */
export type PrecisionMode = 'fp16' | 'bf16' | 'fp32' | 'profile';

export type ComputePrecision = 'fp32' | 'fp16' | 'bf16';

/** The element type values are rounded through. */
export type RoundingType = 'FLOAT16' | 'BFLOAT16' | 'FLOAT';

/** The policy as a report states it: the profile's, or the one `--precision` forces. */
export interface StatedPolicy {
  name: string;
  compute: ComputePrecision;
  /** Precision families the policy converts to `compute`. */
  converts: string[];
  /** Op types or node names left in their own precision. */
  keepOps: string[];
  from: 'profile' | 'option';
}

export interface PeakUsed {
  /** The family whose figure was used. */
  family: ProfilePrecisionFamily;
  tflops: number;
  confidence: 'high' | 'medium' | 'low';
  /** Set when the figure is a stand-in for another family's. */
  note?: string;
}

/** A target's precision policy, resolved once from its profile and the options. */
export interface TargetPrecision extends StatedPolicy {
  /** The profile's support entry per family (level, note, remedy, effort, source), as given. */
  support: Profile['precision']['support'];
  /** fp64 values are downcast: the target has no fp64, or the policy converts it. */
  fp64Downcast: boolean;
  /**
   * What fp8 / fp4 values are dequantized to where the target has no such compute: bf16 (16-bit
   * storage with fp32's range), or fp16 where it has no bf16 either. Absent where it computes them.
   */
  lowBitFallback: Partial<Record<'fp8' | 'fp4', 'BFLOAT16' | 'FLOAT16'>>;
  /** The peak a node computing in each family runs at; absent where the profile gives none usable. */
  peaks: Partial<Record<PrecisionFamily, PeakUsed>>;
  /** The profile's default policy's provenance and note (what the precision findings cite). */
  source: string[];
  note?: string;
}

export const COMPUTE_TYPE: Record<ComputePrecision, RoundingType> = {
  fp32: 'FLOAT', fp16: 'FLOAT16', bf16: 'BFLOAT16',
};

/**
 * What `--precision` means when it names a precision instead of the profile: every float family
 * that has more range or precision than the compute type is converted to it, as ATC's force_fp16
 * does for fp16; nothing is kept.
 */
const FORCED: Record<Exclude<PrecisionMode, 'profile'>, Pick<StatedPolicy, 'name' | 'compute' | 'converts'>> = {
  fp16: { name: 'fp16 everywhere (--precision fp16)', compute: 'fp16', converts: ['fp64', 'fp32', 'bf16'] },
  bf16: { name: 'bf16 everywhere (--precision bf16)', compute: 'bf16', converts: ['fp64', 'fp32', 'fp16'] },
  fp32: { name: 'fp32 everywhere (--precision fp32)', compute: 'fp32', converts: ['fp64'] },
};

const BYTES: Partial<Record<PrecisionFamily, number>> = { fp64: 8, fp32: 4, fp16: 2, bf16: 2, fp8: 1, fp4: 0.5 };

/**
 * Stand-ins when the profile has no peak for a family, nearest first. Integer and fp8/fp4 math fall
 * back to fp16 (what a target without those units computes them in); fp32 to the lowest float peak.
 * A family not listed (int64 index math, bool...) runs at the compute family's peak.
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

const ALL_FAMILIES: readonly PrecisionFamily[] = [
  'fp64', 'fp32', 'fp16', 'bf16', 'fp8', 'fp4', 'int64', 'int32', 'int16', 'int8', 'int4', 'int2',
  'bool', 'string', 'complex', 'undefined',
];

/** The target's precision under `mode` ('profile': its compiler's default policy), with `keep` kept too. */
export function resolvePolicy(profile: Profile, mode: PrecisionMode = 'profile', keep: readonly string[] = []): TargetPrecision {
  const p = profile.precision.policy;
  const stated: StatedPolicy = mode === 'profile'
    ? { name: p.name, compute: p.compute, converts: [...p.converts], keepOps: unique([...p.keepOps, ...keep]), from: 'profile' }
    : { ...FORCED[mode], converts: [...FORCED[mode].converts], keepOps: unique([...keep]), from: 'option' };
  const support = profile.precision.support;
  const lowBitFallback: TargetPrecision['lowBitFallback'] = {};
  for (const family of ['fp8', 'fp4'] as const) {
    const step = lowBitStep(support[family]?.level, support.bf16?.level);
    if (step) lowBitFallback[family] = step;
  }
  const peaks: TargetPrecision['peaks'] = {};
  for (const family of ALL_FAMILIES) {
    const peak = peakOf(family, stated.compute, profile);
    if (peak) peaks[family] = peak;
  }
  return {
    ...stated,
    support,
    fp64Downcast: stated.converts.includes('fp64') || support.fp64?.level === 'unsupported',
    lowBitFallback,
    peaks,
    source: p.source,
    ...(p.note !== undefined && { note: p.note }),
  };
}

/** What a report says of the policy (the resolved extras stay out of it). */
export function statedPolicy(policy: StatedPolicy): StatedPolicy {
  const { name, compute, converts, keepOps, from } = policy;
  return { name, compute, converts, keepOps, from };
}

/** A target whose policy converts nothing (the H20 runs the model as exported) has nothing to emulate, unless a mode is forced. */
export function emulates(policy: TargetPrecision): boolean {
  return policy.from === 'option' || policy.converts.length > 0;
}

/** Targets with the same key compute every value of any model alike: they share one emulation pass. */
export function policyKey(policy: TargetPrecision): string {
  const { name, compute, converts, keepOps, from, fp64Downcast, lowBitFallback } = policy;
  return JSON.stringify({ policy: { compute, converts, keepOps, from }, fp64Downcast, lowBitFallback, name });
}

/** The family the target computes a tensor of `family` in, for a node of `opType` ('' for a weight). */
export function familyOn(policy: TargetPrecision, family: PrecisionFamily, opType: string): PrecisionFamily {
  if (!policy.converts.includes(family)) return family;
  if (policy.keepOps.includes(opType)) return family;
  return policy.compute;
}

/** Families the policy computes in another precision than their own (fp32 and bf16 under force_fp16). */
export function convertsFamily(policy: TargetPrecision, family: PrecisionFamily): boolean {
  return family !== policy.compute && policy.converts.includes(family);
}

/** Bytes per element of a tensor of `dtype` on the target: converted floats take the compute type's size. */
export function bytesPerElement(policy: TargetPrecision, dtype: DataTypeName, opType: string): number {
  const family = familyOf(dtype);
  const converted = familyOn(policy, family, opType);
  if (converted !== family) return BYTES[converted] ?? dataTypeByName(dtype).bits / 8;
  return dataTypeByName(dtype).bits / 8;
}

/**
 * bytesPerElement memoised by dtype (and by op type only for the ops the policy keeps): the
 * roofline and the memory walk ask it once per tensor.
 */
export function bytesPerElementOn(policy: TargetPrecision): (dtype: DataTypeName, opType: string) => number {
  const keep = new Set(policy.keepOps);
  const memo = new Map<string, number>();
  return (dtype, opType) => {
    const key = keep.has(opType) ? `${dtype}|${opType}` : dtype;
    let bytes = memo.get(key);
    if (bytes === undefined) memo.set(key, (bytes = bytesPerElement(policy, dtype, opType)));
    return bytes;
  };
}

/** Whether the emulation leaves a node in its own precision: its op type or its name is kept. */
export function isKept(policy: StatedPolicy, opType: string, nodeName: string): boolean {
  return policy.keepOps.includes(opType) || (nodeName !== '' && policy.keepOps.includes(nodeName));
}

/**
 * The rounding steps a value of `dtype` goes through on the target, or none:
 * - fp32 / fp16 / bf16 values are rounded to the compute type when the policy converts their family;
 * - fp64 values: when downcast they go to fp32, and on to the compute type when the policy
 *   converts fp32 too.
 * Rounding to a wider type (fp16 → fp32) changes nothing, so it is no step.
 */
export function roundingSteps(policy: TargetPrecision, dtype: DataTypeName): RoundingType[] {
  const compute = COMPUTE_TYPE[policy.compute];
  const converts = new Set(policy.converts);
  switch (dtype) {
    case 'FLOAT':
      return converts.has('fp32') && compute !== 'FLOAT' ? [compute] : [];
    case 'FLOAT16':
      return converts.has('fp16') && compute === 'BFLOAT16' ? ['BFLOAT16'] : [];
    case 'BFLOAT16':
      return converts.has('bf16') && compute === 'FLOAT16' ? ['FLOAT16'] : [];
    case 'DOUBLE':
      if (!policy.fp64Downcast) return [];
      return converts.has('fp32') && compute !== 'FLOAT' ? [compute] : ['FLOAT'];
    default:
      return [];
  }
}

/**
 * Whether the policy can change any value of a model whose element types in use are `dtypes` (the
 * types the file states: inputs, weights, Cast targets...): when not, there is nothing to emulate and
 * no session need be made (`--precision fp32` on an fp32 model).
 */
export function changesAny(policy: TargetPrecision, dtypes: readonly DataTypeName[]): boolean {
  // fp16 and bf16 models may run as an fp32 copy where ONNX Runtime's CPU has no kernel for them.
  const maybeUpcast = dtypes.some((d) => d === 'FLOAT16' || d === 'BFLOAT16');
  return [...dtypes, ...(maybeUpcast ? ['FLOAT' as const] : [])].some((d) => {
    if (roundingSteps(policy, d).length > 0) return true;
    const family = familyOf(d);
    return (family === 'fp8' || family === 'fp4') && policy.lowBitFallback[family] !== undefined;
  });
}

function lowBitStep(level: SupportLevel | undefined, bf16: SupportLevel | undefined): 'BFLOAT16' | 'FLOAT16' | undefined {
  if (level === 'supported' || level === 'degraded') return undefined;
  return bf16 === 'supported' || bf16 === 'degraded' ? 'BFLOAT16' : 'FLOAT16';
}

/** The peak a node of `family` runs at; index math (int64, bool...) uses the compute family's. */
function peakOf(family: PrecisionFamily, compute: ComputePrecision, profile: Profile): PeakUsed | undefined {
  const peaks = profile.hardware.peakTflops;
  const wanted: ProfilePrecisionFamily = FALLBACKS[family] !== undefined ? (family as ProfilePrecisionFamily) : compute;
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

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
