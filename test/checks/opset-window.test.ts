import { describe, expect, it } from 'vitest';
import { convRelu } from './models.js';
import { ASCEND, check, coverage, everywhere, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

describe('opset-window', () => {
  ruleTable('opset-window', [
    { name: 'opset 17', model: convRelu(17), expect: everywhere([]) },
    { name: 'opset 18', model: convRelu(18), expect: everywhere([]) },
    { name: 'opset 19', model: convRelu(19), expect: gpuVsAscend([], ['opset-too-new unsupported']) },
    { name: 'opset 7', model: convRelu(7), expect: gpuVsAscend([], ['opset-too-old unsupported']) },
  ]);

  it('explains an opset past the window once per model, with the exact-matching reason and the re-export remedy', () => {
    for (const target of ASCEND) {
      const findings = check(convRelu(19), target);
      const [finding] = ofRule(findings, 'opset-window');
      expect(finding).toMatchObject({ severity: 'error', domain: 'ai.onnx', opset: 19 });
      expect(message(finding!)).toContain('opset 19');
      expect(message(finding!)).toContain('matches domain::opset::Op exactly');
      expect(message(finding!)).toContain('supports opsets 8-18');
      expect(remedy(finding!)).toMatch(/opset.?18|version_converter/);
      // One finding for the model, none per op; the ops still count as unsupported in coverage.
      expect(findings.filter((f) => f.severity === 'error')).toHaveLength(1);
      expect(coverage(convRelu(19), target).unsupported).toBe(2);
    }
  });
});
