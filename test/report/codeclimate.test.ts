import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../../src/report/baseline.js';
import { formatCodeClimate, type CodeClimateIssue } from '../../src/report/codeclimate.js';
import { findingFingerprint } from '../../src/report/fingerprint.js';
import { check } from '../../src/check.js';
import { RULES } from '../../src/rules.js';
import { SAMPLE_RULES, hostileReport, sampleReport, unknownReport } from './fixture.js';
import { validateCodeQuality } from './codeclimate-schema.js';

function codeQuality(...args: Parameters<typeof formatCodeClimate>): CodeClimateIssue[] {
  const issues = JSON.parse(formatCodeClimate(...args)) as CodeClimateIssue[];
  const ok = validateCodeQuality(issues);
  expect(validateCodeQuality.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
  return issues;
}

describe('codeclimate (GitLab Code Quality)', () => {
  it('has the fields GitLab documents, an issue per finding and target, blockers as "blocker"', () => {
    const report = sampleReport();
    const issues = codeQuality([report, unknownReport()], { rules: SAMPLE_RULES });
    const total = [report, unknownReport()].reduce((n, r) => n + r.targets.reduce((m, t) => m + t.findings.length, 0), 0);
    expect(issues).toHaveLength(total);
    const attention = issues.find((i) => i.check_name === 'contrib-ops/contrib-op')!;
    expect(attention).toMatchObject({
      type: 'issue',
      severity: 'blocker',
      description: 'com.microsoft::Attention (12 nodes): Huawei Ascend 910B: com.microsoft::Attention has no CANN kernel and no ATC parser.',
      location: { path: 'models/encoder.onnx', lines: { begin: 1 } },
      categories: ['Compatibility'],
    });
    expect(attention.content.body).toContain('Remedy (effort high): Un-fuse Attention');
    // The fingerprint is the one SARIF and baselines use, and unique in the report.
    const f = report.targets[1]!.findings[0]!;
    expect(attention.fingerprint).toBe(findingFingerprint('models/encoder.onnx', 'ascend-910b', f));
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(new Set(issues.map((i) => i.severity))).toEqual(new Set(['blocker', 'minor', 'info']));
  });

  it('is an empty array when nothing was found or all is in the baseline, and valid for hostile strings', () => {
    const report = sampleReport();
    const { reports } = applyBaseline([report], createBaseline([report]));
    expect(codeQuality(reports, { rules: SAMPLE_RULES })).toEqual([]);
    expect(codeQuality([], { rules: SAMPLE_RULES })).toEqual([]);
    const hostile = codeQuality([hostileReport()], { rules: SAMPLE_RULES });
    expect(hostile.length).toBeGreaterThan(0);
    expect(JSON.stringify(hostile)).not.toContain('\u001b');
  });

  it('is checked by a schema that does reject what GitLab would', () => {
    const good = { description: 'd', check_name: 'c', fingerprint: 'f', severity: 'minor', location: { path: 'a.onnx', lines: { begin: 1 } } };
    expect(validateCodeQuality([good])).toBe(true);
    expect(validateCodeQuality([{ ...good, severity: 'error' }])).toBe(false);
    expect(validateCodeQuality([{ ...good, location: { path: './a.onnx', lines: { begin: 1 } } }])).toBe(false);
    expect(validateCodeQuality([{ ...good, location: { path: 'a.onnx' } }])).toBe(false);
    expect(validateCodeQuality([{ ...good, fingerprint: undefined }])).toBe(false);
  });

  it('is valid for a real check of every sample model', async () => {
    for (const model of ['models/control-flow.onnx', 'models/llm-attention-block.onnx', 'models/quantized-fp8.onnx', 'models/resnet-block.onnx']) {
      const report = await check(model, { targets: ['h20', 'ascend-910b', 'ascend-910c'] });
      const issues = codeQuality([report], { rules: RULES });
      expect(issues.length, model).toBe(report.targets.reduce((n, t) => n + t.findings.length, 0));
    }
  });
});
