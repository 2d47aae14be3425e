import { describe, expect, it } from 'vitest';
import { matchesGlob } from '../../src/config/glob.js';

describe('matchesGlob', () => {
  it.each([
    ['models/a.onnx', 'models/*.onnx', true],
    ['models/vision/a.onnx', 'models/*.onnx', false],
    ['models/vision/a.onnx', 'models/**/*.onnx', true],
    ['models/a.onnx', 'models/**/*.onnx', true],
    ['a/b/c/d.onnx', '**', true],
    ['legacy/x/y.onnx', 'legacy/**', true],
    ['legacyx/y.onnx', 'legacy/**', false],
    ['models/enc.onnx', 'models/{enc,dec}.onnx', true],
    ['models/mid.onnx', 'models/{enc,dec}.onnx', false],
    ['models/v1.onnx', 'models/v?.onnx', true],
    ['models/v10.onnx', 'models/v?.onnx', false],
    ['models/v3.onnx', 'models/v[12].onnx', false],
    ['models/v2.onnx', 'models/v[12].onnx', true],
    // No slash: the file name alone, in any folder.
    ['deep/er/encoder.onnx', 'encoder.onnx', true],
    ['deep/er/encoder.onnx', '*.onnx', true],
    ['encoder.onnx.bak', '*.onnx', false],
    // Dots and other regex characters are literal.
    ['modelsXa.onnx', 'models.a.onnx', false],
    ['a+b(1).onnx', 'a+b(1).onnx', true],
  ])('%s against %s: %s', (p, glob, expected) => {
    expect(matchesGlob(p, glob)).toBe(expected);
  });
});
