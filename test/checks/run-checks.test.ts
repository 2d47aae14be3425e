import { describe, expect, it } from 'vitest';
import { compareFindings } from '../../src/findings/order.js';
import { SEVERITY_RANK } from '../../src/findings/levels.js';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { f32 } from './models.js';
import { TARGETS, check, coverage } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

/** Several problems at once: an unsupported op, an unknown one, a contrib op, a Loop, a dynamic input. */
const messy: ModelSpec = {
  opsets: { 'ai.onnx': 17, 'com.microsoft': 1 },
  graph: {
    nodes: [
      { opType: 'Relu', name: 'relu', inputs: ['x'], outputs: ['a'] },
      { opType: 'STFT', name: 'stft', inputs: ['a'], outputs: ['b'] },
      { opType: 'FrobnicateV2', name: 'frob', inputs: ['b'], outputs: ['c'] },
      { opType: 'MultiHeadAttention', domain: 'com.microsoft', name: 'mha', inputs: ['c'], outputs: ['d'] },
      { opType: 'Sigmoid', name: 'sig', inputs: ['d'], outputs: ['y'] },
    ],
    inputs: [f32('x', ['batch', 3, 8, 8])],
    outputs: [f32('y', ['batch', 3, 8, 8])],
  },
};

describe('runChecks', () => {
  it('returns findings worst first, in the one report order', () => {
    const findings = check(messy, 'ascend-910b');
    expect([...findings].sort(compareFindings)).toEqual(findings);
    const ranks = findings.map((f) => SEVERITY_RANK[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(findings.map((f) => `${f.severity} ${f.rule}/${f.code} ${f.op ?? ''}`)).toEqual([
      'error contrib-ops/contrib-op-counterpart MultiHeadAttention',
      'error op-support/unsupported-op FrobnicateV2',
      'error op-support/unsupported-op STFT',
      'warning dynamic-shapes/dynamic-inputs ',
      'info features/cuda-feature flash-attention',
      'info precision/precision-policy fp32',
    ]);
  });

  it('is deterministic', () => {
    for (const target of TARGETS) expect(JSON.stringify(check(messy, target))).toBe(JSON.stringify(check(messy, target)));
  });

  it('gives every finding a message without placeholders, a remedy and an effort', () => {
    for (const target of TARGETS) {
      for (const f of check(messy, target)) {
        expect(message(f), f.code).not.toMatch(/\{\w+\}/);
        expect(remedy(f).length, f.code).toBeGreaterThan(10);
        expect(['none', 'low', 'medium', 'high']).toContain(f.effort);
        expect(f.source.length, f.code).toBeGreaterThan(0);
      }
    }
  });

  it('counts distinct op types by level for coverage, supported ones included', () => {
    expect(coverage(messy, 'ascend-910b')).toEqual({ supported: 2, degraded: 0, unsupported: 3, unknown: 0 });
    expect(coverage(messy, 'h20')).toEqual({ supported: 3, degraded: 1, unsupported: 0, unknown: 1 });
  });
});
