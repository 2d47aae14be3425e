import { describe, expect, it } from 'vitest';
import { f32, singleOp } from './models.js';
import { ASCEND, check, everywhere, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const custom = singleOp({ opType: 'FusedBiasGelu', domain: 'acme.cuda', name: 'fbg' });

describe('custom-domains', () => {
  ruleTable('custom-domains', [
    { name: 'an op in a custom domain', model: custom, expect: everywhere(['custom-op unsupported']) },
    {
      name: 'a model-local function in its own domain',
      model: {
        opsets: { 'ai.onnx': 17, 'acme.fns': 1 },
        graph: { nodes: [{ opType: 'Twice', domain: 'acme.fns', inputs: ['x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')] },
        functions: [{ domain: 'acme.fns', name: 'Twice', inputs: ['X'], outputs: ['Y'], opsets: { 'ai.onnx': 17 }, nodes: [{ opType: 'Add', inputs: ['X', 'X'], outputs: ['Y'] }] }],
      },
      expect: everywhere([]),
    },
  ]);

  it('asks for the CUDA kernel to be rewritten in Ascend C', () => {
    for (const target of ASCEND) {
      const [finding] = ofRule(check(custom, target), 'custom-domains');
      expect(message(finding!)).toMatch(/^acme\.cuda::FusedBiasGelu \(1 node\) is a custom op in domain acme\.cuda: /);
      expect(remedy(finding!)).toContain('Ascend C');
      expect(finding!.effort).toBe('high');
    }
  });
});
