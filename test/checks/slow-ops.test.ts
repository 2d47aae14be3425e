import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { f32 } from './models.js';
import { check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const topK: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [{ opType: 'TopK', name: 'topk', inputs: ['x', 'k'], outputs: ['values', 'indices'] }],
    inputs: [f32('x', [1, 10])],
    outputs: [f32('values', [1, 3]), { name: 'indices', dtype: 'INT64', dims: [1, 3] }],
    initializers: [{ name: 'k', dtype: 'INT64', dims: [1], int64s: [3] }],
  },
};

function scatter(indexType: 'INT64' | 'INT32'): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [{ opType: 'ScatterND', name: 'scatter', inputs: ['x', 'idx', 'u'], outputs: ['y'] }],
      inputs: [f32('x', [4, 4]), { name: 'idx', dtype: indexType, dims: [2, 1] }, f32('u', [2, 4])],
      outputs: [f32('y', [4, 4])],
    },
  };
}

function where(dtype: 'FLOAT' | 'INT64'): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [{ opType: 'Where', name: 'where', inputs: ['c', 'a', 'b'], outputs: ['y'] }],
      inputs: [{ name: 'c', dtype: 'BOOL', dims: [4] }, { name: 'a', dtype, dims: [4] }, { name: 'b', dtype, dims: [4] }],
      outputs: [{ name: 'y', dtype, dims: [4] }],
    },
  };
}

describe('slow-ops', () => {
  ruleTable('slow-ops', [
    { name: 'TopK with int64 K', model: topK, expect: gpuVsAscend([], ['slow-op degraded']) },
    { name: 'ScatterND with int64 indices', model: scatter('INT64'), expect: gpuVsAscend([], ['int64-index-math degraded']) },
    { name: 'ScatterND with int32 indices', model: scatter('INT32'), expect: gpuVsAscend([], []) },
    // Defect: Where on float and bool operands was told "int64 operands are slow".
    { name: 'Where on float and bool', model: where('FLOAT'), expect: gpuVsAscend([], []) },
    { name: 'Where on int64', model: where('INT64'), expect: gpuVsAscend([], ['slow-op degraded']) },
  ]);

  it('gives the profile\'s reason for a slow op and asks for int32 indices', () => {
    const [finding] = ofRule(check(topK, 'ascend-910b'), 'slow-ops');
    expect(message(finding!)).toMatch(/^TopK \(1 node\) is slow: .*int32/);
    const [int64] = ofRule(check(scatter('INT64'), 'ascend-910c'), 'slow-ops');
    expect(int64!.severity).toBe('info');
    expect(message(int64!)).toContain('ScatterND (1 node) does int64 index math');
    expect(remedy(int64!)).toContain('int32');
  });
});
