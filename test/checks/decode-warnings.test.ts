import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { convRelu, f32 } from './models.js';
import { TARGETS, check, everywhere, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

/** A weight with a negative dim and a graph input with one: readable, but damaged. */
const negativeDims: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] }],
    inputs: [f32('x', [-1, -5])],
    initializers: [{ name: 'w', dtype: 'FLOAT', dims: [-3, 4] }],
    outputs: [f32('y', [1, 4])],
  },
};

const absurdDims: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] }],
    inputs: [f32('x', [1, 4])],
    initializers: [{ name: 'w', dtype: 'FLOAT', dims: [2n ** 60n, 2n ** 60n] }],
    outputs: [f32('y', [1, 4])],
  },
};

describe('decode-warnings', () => {
  ruleTable('decode-warnings', [
    { name: 'dims of 2^60 x 2^60', model: absurdDims, expect: everywhere(['decoder-warnings unknown']) },
    { name: 'a clean model', model: convRelu(17), expect: everywhere([]) },
    { name: 'negative dims', model: negativeDims, expect: everywhere(['decoder-warnings unknown']) },
  ]);

  it('says what the decoder read past, and no target reads as ready', () => {
    for (const target of TARGETS) {
      const [finding] = ofRule(check(negativeDims, target), 'decode-warnings');
      expect(finding!.severity).toBe('warning');
      expect(message(finding!)).toMatch(/^The file has \d+ oddit(y|ies) the decoder read past: .*negative/);
      expect(remedy(finding!)).toContain('onnx.checker');
    }
  });
});
