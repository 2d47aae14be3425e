/**
 * Bit-level conversions between numbers and the 16- and 8-bit float formats: what writing an
 * fp16 tensor, reading one back, or emulating a Cast to fp16/bf16 needs. One copy for the writer,
 * the runtime's inputs, the rewriter and the precision emulation.
 */

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

/** The number an IEEE binary16 bit pattern holds. */
export function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const scratch = new DataView(new ArrayBuffer(4));

/** The number a bfloat16 bit pattern holds (exact: bf16 is the top half of an fp32). */
export function bf16BitsToFloat(bits: number): number {
  scratch.setUint32(0, (bits & 0xffff) << 16);
  return scratch.getFloat32(0);
}
