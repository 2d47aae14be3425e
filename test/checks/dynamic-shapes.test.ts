import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { convRelu, f32 } from './models.js';
import { ASCEND, check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const tokens: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [{ opType: 'Add', inputs: ['input_ids', 'mask'], outputs: ['y'] }],
    inputs: [f32('input_ids', ['batch', 'seq']), f32('mask', ['batch', null])],
    outputs: [f32('y', ['batch', 'seq'])],
  },
};

describe('dynamic-shapes', () => {
  ruleTable('dynamic-shapes', [
    { name: 'fixed input shape', model: convRelu(17), expect: gpuVsAscend([], []) },
    { name: 'symbolic and unknown dims', model: tokens, expect: gpuVsAscend([], ['dynamic-inputs degraded']) },
  ]);

  it('names each dynamic input with its dims, and the ATC options that fix them', () => {
    for (const target of ASCEND) {
      const [finding] = ofRule(check(tokens, target), 'dynamic-shapes');
      expect(finding!.severity).toBe('warning');
      expect(message(finding!)).toContain('input_ids[batch, seq], mask[batch, ?]');
      expect(remedy(finding!)).toContain('--input_shape');
      expect(remedy(finding!)).toContain('--dynamic_dims');
      expect(finding!.args.symbols).toEqual(['batch', 'seq']);
    }
  });
});
