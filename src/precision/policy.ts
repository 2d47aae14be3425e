import type { DataTypeName } from '../onnx/data-types.js';
import { familyOf } from '../inspect/dtype-family.js';
import type { Profile } from '../profiles/schema.js';
import type { ComputePrecision, EmulatedPolicy, PrecisionMode } from './types.js';

/** The element type values are rounded through. */
export type RoundingType = 'FLOAT16' | 'BFLOAT16' | 'FLOAT';

export const COMPUTE_TYPE: Record<ComputePrecision, DataTypeName> = {
  fp32: 'FLOAT', fp16: 'FLOAT16', bf16: 'BFLOAT16',
};

/**
 * What `--precision` means when it names a precision instead of the profile: every float family
 * that has more range or precision than the compute type is converted to it, as ATC's force_fp16
 * does for fp16; nothing is kept.
 */
const FORCED: Record<Exclude<PrecisionMode, 'profile'>, Omit<EmulatedPolicy, 'from' | 'keepOps'>> = {
  fp16: { name: 'fp16 everywhere (--precision fp16)', compute: 'fp16', converts: ['fp64', 'fp32', 'bf16'] },
  bf16: { name: 'bf16 everywhere (--precision bf16)', compute: 'bf16', converts: ['fp64', 'fp32', 'fp16'] },
  fp32: { name: 'fp32 everywhere (--precision fp32)', compute: 'fp32', converts: ['fp64'] },
};

export function resolvePolicy(profile: Profile, mode: PrecisionMode, keep: readonly string[] = []): EmulatedPolicy {
  if (mode === 'profile') {
    const p = profile.precision.policy;
    return {
      name: p.name, compute: p.compute, converts: [...p.converts],
      keepOps: unique([...p.keepOps, ...keep]), from: 'profile',
    };
  }
  return { ...FORCED[mode], keepOps: unique([...keep]), from: 'option' };
}

/** A target whose policy converts nothing (the H20 runs the model as exported) has nothing to emulate, unless a mode is forced. */
export function emulates(profile: Profile, mode: PrecisionMode): boolean {
  return mode !== 'profile' || profile.precision.policy.converts.length > 0;
}

/**
 * What decides how a model is emulated for a target (the policy, and the precision support that
 * roundingSteps and lowBitFloatFallback read): targets with the same key share one emulation pass.
 */
export function policyKey(profile: Profile, mode: PrecisionMode, keep: readonly string[] = []): string {
  const { name: _name, ...policy } = resolvePolicy(profile, mode, keep);
  const support = Object.fromEntries((['fp64', 'fp8', 'fp4', 'bf16'] as const).map((f) => [f, profile.precision.support[f]?.level ?? 'unknown']));
  return JSON.stringify({ policy, support, name: _name });
}

/**
 * Whether the policy can change any value of a model whose element types in use are `dtypes` (the
 * types the file states: inputs, weights, Cast targets...): when not, there is nothing to emulate and
 * no session need be made (`--precision fp32` on an fp32 model).
 */
export function changesAny(dtypes: readonly DataTypeName[], policy: EmulatedPolicy, profile: Profile): boolean {
  // fp16 and bf16 models may run as an fp32 copy where ONNX Runtime's CPU has no kernel for them.
  const maybeUpcast = dtypes.some((d) => d === 'FLOAT16' || d === 'BFLOAT16');
  return [...dtypes, ...(maybeUpcast ? ['FLOAT' as const] : [])].some((d) => {
    if (roundingSteps(d, policy, profile).length > 0) return true;
    const family = familyOf(d);
    return (family === 'fp8' || family === 'fp4') && lowBitFloatFallback(profile, family) !== undefined;
  });
}

/**
 * The rounding steps a value of `dtype` goes through on the target, or none:
 * - fp32 / fp16 / bf16 values are rounded to the compute type when the policy converts their family;
 * - fp64 values: when the target has no fp64 (or the policy converts it) they are downcast to fp32,
 *   and on to the compute type when the policy converts fp32 too.
 * Rounding to a wider type (fp16 → fp32) changes nothing, so it is no step.
 */
export function roundingSteps(dtype: DataTypeName, policy: EmulatedPolicy, profile: Profile): RoundingType[] {
  const compute = COMPUTE_TYPE[policy.compute] as RoundingType;
  const converts = new Set(policy.converts);
  switch (dtype) {
    case 'FLOAT':
      return converts.has('fp32') && compute !== 'FLOAT' ? [compute] : [];
    case 'FLOAT16':
      return converts.has('fp16') && compute === 'BFLOAT16' ? ['BFLOAT16'] : [];
    case 'BFLOAT16':
      return converts.has('bf16') && compute === 'FLOAT16' ? ['FLOAT16'] : [];
    case 'DOUBLE': {
      const noFp64 = converts.has('fp64') || profile.precision.support.fp64?.level === 'unsupported';
      if (!noFp64) return [];
      return converts.has('fp32') && compute !== 'FLOAT' ? [compute] : ['FLOAT'];
    }
    default:
      return [];
  }
}

/**
 * What the target does with fp8 / fp4 weights when it has no such compute: they are dequantized to
 * bf16 (16-bit storage with fp32's range), or to fp16 where the target has no bf16 either. Undefined
 * when the target computes the family itself (nothing to emulate).
 */
export function lowBitFloatFallback(profile: Profile, family: 'fp8' | 'fp4'): 'BFLOAT16' | 'FLOAT16' | undefined {
  const level = profile.precision.support[family]?.level;
  if (level === 'supported' || level === 'degraded') return undefined;
  const bf16 = profile.precision.support.bf16?.level;
  return bf16 === 'supported' || bf16 === 'degraded' ? 'BFLOAT16' : 'FLOAT16';
}

export function isKept(policy: EmulatedPolicy, opType: string, nodeName: string): boolean {
  return policy.keepOps.includes(opType) || (nodeName !== '' && policy.keepOps.includes(nodeName));
}

export const TYPE_LABEL: Record<string, string> = {
  FLOAT: 'fp32', FLOAT16: 'fp16', BFLOAT16: 'bf16', DOUBLE: 'fp64',
};

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
