import { describe, expect, it } from 'vitest';
import { inspectModel } from '../../src/inspect/inspect.js';
import { loadModel } from '../../src/onnx/load.js';
import { realModel } from '../fixtures/real-models.js';
import { ASCEND, TARGETS, check, ofRule, profile } from './run-checks.js';
import { runChecks } from '../../src/checks/index.js';
import { message, remedy } from '../helpers/words.js';

describe('checks on real models', () => {
  // How fast: bench/static-check.mjs (against reading the file, side by side).
  it('checks the 88 MB ISNet model against three targets: no blocker anywhere', async () => {
    const model = await loadModel(realModel('isnetFp16'));
    const facts = inspectModel(model);
    const findings = TARGETS.map((t) => runChecks(model, facts, profile(t)));
    expect(facts.parameterBytes).toBeGreaterThan(80_000_000);
    // An fp16 CNN with ops ATC parses: nothing blocks it anywhere.
    for (const f of findings) expect(f.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('blocks the dynamically quantized ISNet on Ascend, pointing at AMCT, and runs it on H20 with CPU fallbacks', async () => {
    const model = await loadModel(realModel('isnetUint8'));
    for (const target of ASCEND) {
      const q = ofRule(check(model, target), 'quantization');
      expect(q.map((f) => `${f.op} ${f.severity} ${f.nodeCount}`)).toEqual(['dynamic-quantize error 119', 'integer-ops error 119']);
      expect(message(q[1]!)).toContain('ConvInteger (119 nodes)');
      expect(remedy(q[1]!)).toContain('AMCT');
    }
    expect(check(model, 'h20').filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('reports Silero VAD\'s nested If as supported on Ascend and its dynamic inputs as a warning', async () => {
    const findings = check(await loadModel(realModel('sileroVad')), 'ascend-910c');
    const [ifs] = ofRule(findings, 'control-flow');
    expect(message(ifs!)).toBe('If (25 nodes) is supported; subgraphs nest 4 deep');
    const [dyn] = ofRule(findings, 'dynamic-shapes');
    expect(message(dyn!)).toContain('input[?, ?], state[2, ?, 128]');
  });
});
