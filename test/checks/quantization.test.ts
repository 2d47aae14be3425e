import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { f32, weights } from './models.js';
import { ASCEND, check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const qdq: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [
      { opType: 'QuantizeLinear', name: 'q', inputs: ['x', 's', 'zp'], outputs: ['xq'] },
      { opType: 'DequantizeLinear', name: 'dq', inputs: ['xq', 's', 'zp'], outputs: ['y'] },
    ],
    inputs: [f32('x')],
    outputs: [f32('y')],
    initializers: [weights('s', [], 'FLOAT'), weights('zp', [], 'INT8')],
  },
};

/** What ORT's dynamic quantizer writes: DynamicQuantizeLinear feeding ConvInteger. */
const dynamicConv: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [
      { opType: 'DynamicQuantizeLinear', name: 'dql', inputs: ['x'], outputs: ['xq', 'xs', 'xz'] },
      { opType: 'ConvInteger', name: 'conv_int', inputs: ['xq', 'wq', 'xz'], outputs: ['y'] },
    ],
    inputs: [f32('x')],
    outputs: [{ name: 'y', dtype: 'INT32', dims: [1, 4, 6, 6] }],
    initializers: [weights('wq', [4, 3, 3, 3], 'UINT8')],
  },
};

describe('quantization', () => {
  ruleTable('quantization', [
    { name: 'QDQ pair', model: qdq, expect: gpuVsAscend([], ['quantized-model unsupported']) },
    {
      name: 'DynamicQuantizeLinear + ConvInteger',
      model: dynamicConv,
      // ORT runs both on its CPU provider next to the CUDA EP.
      expect: gpuVsAscend(['quantized-model degraded', 'quantized-model degraded'], ['quantized-model unsupported', 'quantized-model unsupported']),
    },
  ]);

  it('sends a quantized model to AMCT on Ascend, one finding per scheme, not per op', () => {
    for (const target of ASCEND) {
      const findings = check(dynamicConv, target);
      expect(ofRule(findings, 'op-support')).toEqual([]);
      const q = ofRule(findings, 'quantization');
      expect(q.map((f) => f.op)).toEqual(['dynamic-quantize', 'integer-ops']);
      const conv = q.find((f) => f.op === 'integer-ops')!;
      expect(message(conv)).toContain('ConvInteger (1 node)');
      expect(remedy(conv)).toContain('AMCT');
      expect(conv.nodes).toEqual([{ name: 'conv_int', graph: 'main', index: 1 }]);
    }
  });

  it('names the QDQ scheme and its ops', () => {
    const [finding] = ofRule(check(qdq, 'ascend-910b'), 'quantization');
    expect(message(finding!)).toMatch(/^The model is quantized with qdq \(QuantizeLinear\/DequantizeLinear pairs\): DequantizeLinear, QuantizeLinear \(2 nodes\)/);
  });
});
