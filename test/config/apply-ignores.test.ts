import { describe, expect, it } from 'vitest';
import { applyIgnores } from '../../src/config/apply-ignores.js';
import { inputsFor } from '../../src/config/inputs-for.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { sampleReport, unknownReport } from '../report/fixture.js';

const where = { configDir: '/repo', baseDir: '/repo' };

function ignoring(yaml: string) {
  const { ignore } = parseConfigText(yaml, 'port-check.config.yaml');
  return applyIgnores([sampleReport(), unknownReport()], ignore, where);
}

describe('config ignores', () => {
  it('drops findings by rule/code and op, recounting', () => {
    const { reports, ignoredCount } = ignoring('ignore:\n  - rule: op-support/unknown-op\n    op: NonZero\n');
    expect(ignoredCount).toBe(1);
    const b = reports[0]!.targets[1]!;
    expect(b.findings.map((f) => f.op)).not.toContain('NonZero');
    expect(b.counts).toEqual({ error: 2, warning: 3, info: 1 });
    expect(b.levels.unknown).toBe(0);
    // STFT is an unknown-op too, but not NonZero: all of an entry's fields must match.
    expect(reports[1]!.targets[1]!.findings).toHaveLength(1);
  });

  it('drops by whole rule, by op with its domain, by target, and by model glob', () => {
    expect(ignoring('ignore:\n  - rule: op-support\n').ignoredCount).toBe(5);
    expect(ignoring('ignore:\n  - op: com.microsoft::Attention\n').ignoredCount).toBe(1);
    expect(ignoring('ignore:\n  - op: Attention\n').ignoredCount).toBe(1);
    expect(ignoring('ignore:\n  - target: ascend-910c\n').ignoredCount).toBe(5);
    expect(ignoring('ignore:\n  - model: "models/vad/**"\n').ignoredCount).toBe(2);
    expect(ignoring('ignore:\n  - model: "silero.onnx"\n    target: ascend-910b\n').ignoredCount).toBe(1);
    expect(ignoring('ignore:\n  - model: "other/**"\n').ignoredCount).toBe(0);
  });

  it('resolves model globs against the config folder, report paths against the working directory', () => {
    const { ignore } = parseConfigText('ignore:\n  - model: "repo/models/vad/*.onnx"\n', 'c.yaml');
    // Config in /, run from /repo: the report says models/vad/silero.onnx.
    expect(applyIgnores([unknownReport()], ignore, { configDir: '/', baseDir: '/repo' }).ignoredCount).toBe(2);
    expect(applyIgnores([unknownReport()], ignore, { configDir: '/repo', baseDir: '/repo' }).ignoredCount).toBe(0);
  });

  it('leaves the reports it is given unchanged', () => {
    const reports = [sampleReport()];
    const before = JSON.stringify(reports);
    const { ignore } = parseConfigText('ignore:\n  - rule: precision\n', 'c.yaml');
    applyIgnores(reports, ignore, where);
    expect(JSON.stringify(reports)).toBe(before);
  });
});

describe('config inputs', () => {
  const { inputs } = parseConfigText(
    [
      'inputs:',
      '  - model: "models/**/*.onnx"',
      '    dims: { batch: 1, sequence: 128 }',
      '  - model: encoder.onnx',
      '    dims: { sequence: 512 }',
      '    shapes: { input_ids: [1, 512] }',
      '    values: { attention_mask: 1, positions: [0, 1, 2] }',
    ].join('\n'),
    'c.yaml',
  );

  it('merges every matching entry in file order, later entries winning per key', () => {
    expect(inputsFor(inputs, 'models/encoder.onnx', where)).toEqual({
      dims: { batch: 1, sequence: 512 },
      shapes: { input_ids: [1, 512] },
      values: { attention_mask: 1, positions: [0, 1, 2] },
    });
    expect(inputsFor(inputs, '/repo/models/vad/silero.onnx', where)).toEqual({ dims: { batch: 1, sequence: 128 }, shapes: {}, values: {} });
    expect(inputsFor(inputs, 'elsewhere/x.onnx', where)).toEqual({ dims: {}, shapes: {}, values: {} });
  });
});
