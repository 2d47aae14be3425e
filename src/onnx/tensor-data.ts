import type { TensorSpec } from './model-spec.js';

/**
 * Real weights for models built in code (tests, sample models): values → the little-endian bytes
 * of raw_data, with the float conversions ONNX uses (round to nearest even; fp8 saturates like
 * Cast's default `saturate=1`).
 */

export type FloatTensorType = 'FLOAT' | 'FLOAT16' | 'BFLOAT16' | 'DOUBLE' | 'FLOAT8E4M3FN';
export type IntTensorType = 'INT64' | 'INT32' | 'INT16' | 'UINT16' | 'INT8' | 'UINT8' | 'BOOL';

export function tensorFromFloats(
  name: string,
  dims: number[],
  values: ArrayLike<number>,
  dtype: FloatTensorType = 'FLOAT',
): TensorSpec {
  checkCount(name, dims, values.length);
  const n = values.length;
  let raw: Uint8Array;
  switch (dtype) {
    case 'FLOAT': {
      raw = new Uint8Array(n * 4);
      const view = new DataView(raw.buffer);
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, values[i]!, true);
      break;
    }
    case 'DOUBLE': {
      raw = new Uint8Array(n * 8);
      const view = new DataView(raw.buffer);
      for (let i = 0; i < n; i++) view.setFloat64(i * 8, values[i]!, true);
      break;
    }
    case 'FLOAT16':
    case 'BFLOAT16': {
      raw = new Uint8Array(n * 2);
      const view = new DataView(raw.buffer);
      const convert = dtype === 'FLOAT16' ? float16Bits : bfloat16Bits;
      for (let i = 0; i < n; i++) view.setUint16(i * 2, convert(values[i]!), true);
      break;
    }
    case 'FLOAT8E4M3FN':
      raw = new Uint8Array(n);
      for (let i = 0; i < n; i++) raw[i] = float8e4m3fnBits(values[i]!);
      break;
  }
  return { name, dtype, dims, raw };
}

export function tensorFromInts(
  name: string,
  dims: number[],
  values: ArrayLike<number | bigint>,
  dtype: IntTensorType = 'INT64',
): TensorSpec {
  checkCount(name, dims, values.length);
  const n = values.length;
  const size = { INT64: 8, INT32: 4, INT16: 2, UINT16: 2, INT8: 1, UINT8: 1, BOOL: 1 }[dtype];
  const raw = new Uint8Array(n * size);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    switch (dtype) {
      case 'INT64': view.setBigInt64(i * 8, BigInt(v), true); break;
      case 'INT32': view.setInt32(i * 4, Number(v), true); break;
      case 'INT16': view.setInt16(i * 2, Number(v), true); break;
      case 'UINT16': view.setUint16(i * 2, Number(v), true); break;
      case 'INT8': view.setInt8(i, Number(v)); break;
      case 'UINT8': view.setUint8(i, Number(v)); break;
      case 'BOOL': view.setUint8(i, Number(v) ? 1 : 0); break;
    }
  }
  return { name, dtype, dims, raw };
}

function checkCount(name: string, dims: number[], count: number): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== count) throw new Error(`tensor ${name}: dims ${JSON.stringify(dims)} need ${expected} values, got ${count}`);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of a number, round to nearest even. */
export function float16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa bumps the exponent, which is the right rounding (up to infinity).
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** bfloat16 bits: the top half of the float32, round to nearest even. */
export function bfloat16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  if (Number.isNaN(x)) return 0x7fc0;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Values of the 127 non-negative finite FLOAT8E4M3FN codes (0x7f is NaN; there is no infinity). */
const e4m3fnValues: number[] = Array.from({ length: 0x7f }, (_, code) => {
  const e = (code >> 3) & 0xf;
  const m = code & 7;
  return e === 0 ? m * 2 ** -9 : (1 + m / 8) * 2 ** (e - 7);
});

/** FLOAT8E4M3FN bits, nearest value (ties to even), saturating at ±448. */
export function float8e4m3fnBits(x: number): number {
  if (Number.isNaN(x)) return 0x7f;
  const sign = x < 0 || Object.is(x, -0) ? 0x80 : 0;
  const a = Math.abs(x);
  let best = 0;
  for (let code = 1; code < e4m3fnValues.length; code++) {
    const d = Math.abs(e4m3fnValues[code]! - a);
    const dBest = Math.abs(e4m3fnValues[best]! - a);
    if (d < dBest || (d === dBest && (code & 1) === 0)) best = code;
  }
  return sign | best;
}

/** A small seeded PRNG (mulberry32) so that generated weights are the same on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` values uniform in [-scale, scale) from a seeded PRNG. */
export function randomValues(random: () => number, count: number, scale = 1): number[] {
  return Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}
