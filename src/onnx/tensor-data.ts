import { bfloat16Bits, float16Bits, float8e4m3fnBits } from './float-bits.js';
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

export { float16Bits, bfloat16Bits, float8e4m3fnBits } from './float-bits.js';

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
