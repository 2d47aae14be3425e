import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { f32 } from './models.js';
import { check, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const GIB = 1024 ** 3;

/** A MatMul whose fp16 weight (stored externally, never read) takes `gib` GiB. */
function weightsOf(gib: number): ModelSpec {
  const elements = Math.round((gib * GIB) / 2);
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [{ opType: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
      inputs: [{ name: 'x', dtype: 'FLOAT16', dims: [1, 1024] }],
      outputs: [{ name: 'y', dtype: 'FLOAT16', dims: [1, elements / 1024] }],
      initializers: [{ name: 'w', dtype: 'FLOAT16', dims: [1024, elements / 1024], external: { location: 'w.bin' } }],
    },
  };
}

describe('memory-fit', () => {
  // H20: 96 GiB, 910B: 64 GiB, 910C: 128 GiB per device.
  ruleTable('memory-fit', [
    { name: '1 GiB of weights', model: weightsOf(1), expect: { h20: [], 'ascend-910b': [], 'ascend-910c': [] } },
    { name: '40 GiB of weights', model: weightsOf(40), expect: { h20: [], 'ascend-910b': ['weights-use-memory supported'], 'ascend-910c': [] } },
    { name: '80 GiB of weights', model: weightsOf(80), expect: { h20: ['weights-near-memory degraded'], 'ascend-910b': ['weights-exceed-memory unsupported'], 'ascend-910c': ['weights-use-memory supported'] } },
    { name: '200 GiB of weights', model: weightsOf(200), expect: { h20: ['weights-exceed-memory unsupported'], 'ascend-910b': ['weights-exceed-memory unsupported'], 'ascend-910c': ['weights-exceed-memory unsupported'] } },
  ]);

  it('says how many devices the weights need at least, and how to shard them', () => {
    const [finding] = ofRule(check(weightsOf(200), 'ascend-910b'), 'memory-fit');
    expect(message(finding!)).toBe('One inference needs 200 GiB (200 GiB weights + 200 MiB activations), more than one device can hold (64.0 GiB): at least 4 devices are needed');
    expect(remedy(finding!)).toContain('HCCL');
    expect(finding!.severity).toBe('error');
  });
});
