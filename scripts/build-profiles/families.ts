import { precisionFamily } from '../../src/profiles/schema.js';
import type { ProfilePrecisionFamily } from '../../src/profiles/schema.js';

/**
 * Element-type names in the knowledge files → the profile's precision families. An unknown name
 * throws: a knowledge update that brings a new type must be mapped here, not silently dropped.
 */

const CANN_DTYPES: Record<string, ProfilePrecisionFamily | null> = {
  DOUBLE: 'fp64', FLOAT: 'fp32', FLOAT16: 'fp16', BF16: 'bf16',
  FLOAT8_E4M3FN: 'fp8', FLOAT8_E5M2: 'fp8', FLOAT8_E8M0: 'fp8', HIFLOAT8: 'fp8',
  FLOAT4_E2M1: 'fp4', FLOAT4_E1M2: 'fp4',
  INT64: 'int64', UINT64: 'int64', INT32: 'int32', UINT32: 'int32', INT16: 'int16', UINT16: 'int16',
  INT8: 'int8', UINT8: 'int8', INT4: 'int4', BOOL: 'bool',
  COMPLEX32: 'complex', COMPLEX64: 'complex', COMPLEX128: 'complex',
  // Bit-packed masks and placeholders carry no precision of their own.
  UINT1: null, UNDEFINED: null,
};

const ORT_TYPES: Record<string, ProfilePrecisionFamily> = {
  double: 'fp64', float: 'fp32', float16: 'fp16', bfloat16: 'bf16',
  float8e4m3fn: 'fp8', float8e4m3fnuz: 'fp8', float8e5m2: 'fp8', float8e5m2fnuz: 'fp8',
  float4e2m1: 'fp4',
  int64: 'int64', uint64: 'int64', int32: 'int32', uint32: 'int32', int16: 'int16', uint16: 'int16',
  int8: 'int8', uint8: 'int8', int4: 'int4', uint4: 'int4', int2: 'int2', uint2: 'int2',
  bool: 'bool', string: 'string', complex64: 'complex', complex128: 'complex',
};

/** Families in the schema's order, so generated lists are stable. */
export function sortFamilies(families: Iterable<ProfilePrecisionFamily>): ProfilePrecisionFamily[] {
  const set = new Set(families);
  return precisionFamily.options.filter((f) => set.has(f));
}

/** CANN op-definition dtypes ("BF16,FLOAT,FLOAT16") → families. */
export function cannDtypeFamilies(dtypes: readonly string[]): ProfilePrecisionFamily[] {
  const out: ProfilePrecisionFamily[] = [];
  for (const raw of dtypes) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(name in CANN_DTYPES)) throw new Error(`unknown CANN dtype '${name}': map it in families.ts`);
    const family = CANN_DTYPES[name];
    if (family) out.push(family);
  }
  return sortFamilies(out);
}

/** ORT type constraints ("T = tensor(float), seq(tensor(int64)) ; T1 = ...") → families. */
export function ortTypeFamilies(constraints: string): ProfilePrecisionFamily[] {
  const out: ProfilePrecisionFamily[] = [];
  for (const match of constraints.matchAll(/tensor\(([a-z0-9]+)\)/g)) {
    const name = match[1] ?? '';
    const family = ORT_TYPES[name];
    if (!family) throw new Error(`unknown ORT tensor type '${name}': map it in families.ts`);
    out.push(family);
  }
  return sortFamilies(out);
}
