import { describe, expect, test } from 'vitest';
import { bfloat16Bits, float16Bits, float8e4m3fnBits, seededRandom, tensorFromFloats, tensorFromInts } from '../../src/onnx/tensor-data.js';

describe('float conversions round like ONNX (nearest, ties to even)', () => {
  test.each([
    [1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [65504, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], [2 ** -25, 0x0000], [3 * 2 ** -26, 0x0001], [2 ** -14, 0x0400], [-0, 0x8000],
    [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [NaN, 0x7e00],
  ])('float16 of %d is %i', (x, bits) => {
    expect(float16Bits(x)).toBe(bits);
  });

  test.each([
    [1, 0x3f80], [-2, 0xc000], [3.14159, 0x4049], [1 + 2 ** -8, 0x3f80], [1 + 3 * 2 ** -8, 0x3f82], [NaN, 0x7fc0],
  ])('bfloat16 of %d is %i', (x, bits) => {
    expect(bfloat16Bits(x)).toBe(bits);
  });

  test.each([
    [1, 0x38], [-1, 0xb8], [448, 0x7e], [1000, 0x7e], [-1000, 0xfe], [2 ** -9, 0x01], [2 ** -11, 0x00], [NaN, 0x7f],
    [0.1, 0x1d], [300, 0x79],
  ])('float8e4m3fn of %d is %i (saturating)', (x, bits) => {
    expect(float8e4m3fnBits(x)).toBe(bits);
  });
});

test('tensors carry little-endian raw bytes and check their element count', () => {
  expect(Array.from(tensorFromFloats('h', [2], [1, -2], 'FLOAT16').raw!)).toEqual([0x00, 0x3c, 0x00, 0xc0]);
  expect(Array.from(tensorFromInts('i', [1], [-2]).raw!)).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  expect(Array.from(tensorFromInts('b', [3], [0, 1, 5], 'BOOL').raw!)).toEqual([0, 1, 1]);
  expect(() => tensorFromFloats('w', [2, 3], [1, 2])).toThrow('tensor w: dims [2,3] need 6 values, got 2');
});

test('the seeded PRNG gives the same sequence for the same seed', () => {
  const a = seededRandom(1);
  const b = seededRandom(1);
  const seq = Array.from({ length: 5 }, () => a());
  expect(Array.from({ length: 5 }, () => b())).toEqual(seq);
  expect(seq.every((v) => v >= 0 && v < 1)).toBe(true);
  expect(seededRandom(2)()).not.toBe(seq[0]);
});
