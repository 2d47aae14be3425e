import { float16Bits, halfBitsToFloat } from '../onnx/float-bits.js';
import type { RoundingType } from '../profiles/precision-policy.js';

/** The largest finite fp16 value: anything larger becomes ±Inf when stored in fp16. */
export const FP16_MAX = 65504;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export { halfBitsToFloat };

/** x rounded to the nearest fp16 (ties to even), as a number: what Cast(to fp16) and back gives. */
export function roundToHalf(x: number): number {
  return halfBitsToFloat(float16Bits(x));
}

/** x rounded to the nearest bf16 (ties to even), as a number: what Cast(to bf16) and back gives. */
export function roundToBfloat16(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  if ((bits & 0x7f800000) === 0x7f800000) return f32[0]!; // NaN and ±Inf stay as they are
  const rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000;
  u32[0] = rounded >>> 0;
  return f32[0]!;
}

export function roundTo(type: RoundingType, x: number): number {
  if (type === 'FLOAT16') return roundToHalf(x);
  if (type === 'BFLOAT16') return roundToBfloat16(x);
  return Math.fround(x);
}
