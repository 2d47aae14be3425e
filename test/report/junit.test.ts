import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../../src/report/baseline.js';
import { formatJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/report/types.js';
import { PAYLOAD, SAMPLE_RULES, finding, hostileReport, sampleReport, target, unknownReport } from './fixture.js';

interface Case {
  name: string;
  classname: string;
  file: string;
  time: number;
  failure?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  file: string;
  time: number;
  properties: { property: { name: string; value: string }[] };
  testcase: Case[];
}
interface Doc {
  testsuites: { name: string; tests: number; failures: number; errors: number; skipped: number; testsuite: Suite[] };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  htmlEntities: true,
  parseAttributeValue: true,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

function junit(reports: Report[], failOn?: 'error' | 'warning' | 'info' | 'never', paths: { rootDir?: string; baseDir?: string } = {}): Doc {
  const xml = formatJunit(reports, { rules: SAMPLE_RULES, ...(failOn && { failOn }), ...paths });
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as Doc;
  // Counts agree at every level, as Jenkins and GitLab sum them.
  const suites = doc.testsuites.testsuite ?? [];
  for (const s of suites) {
    expect(s.tests).toBe(s.testcase.length);
    expect(s.failures).toBe(s.testcase.filter((c) => c.failure).length);
    expect(s.skipped).toBe(s.testcase.filter((c) => c.skipped !== undefined).length);
    expect(s.errors).toBe(0);
  }
  expect(doc.testsuites.tests).toBe(suites.reduce((n, s) => n + s.tests, 0));
  expect(doc.testsuites.failures).toBe(suites.reduce((n, s) => n + s.failures, 0));
  expect(doc.testsuites.skipped).toBe(suites.reduce((n, s) => n + s.skipped, 0));
  return doc;
}

describe('junit', () => {
  it('has a suite per model and target and a case per op type (or rule without an op)', () => {
    const doc = junit([sampleReport(), unknownReport()]);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual([
      'models/encoder.onnx on NVIDIA H20',
      'models/encoder.onnx on Huawei Ascend 910B',
      'models/encoder.onnx on Huawei Ascend 910C',
      'models/vad/silero.onnx on NVIDIA H20',
      'models/vad/silero.onnx on Huawei Ascend 910B',
      'models/vad/silero.onnx on Huawei Ascend 910C',
    ]);
    const b = suites[1]!;
    expect(b.testcase.map((c) => c.name)).toEqual([
      'com.microsoft::Attention',
      'opset-window',
      'input_ids',
      'Gelu',
      'NonZero',
      'float32',
      'TopK',
    ]);
    expect(b.testcase.every((c) => c.classname === 'ascend-910b.models_encoder_onnx')).toBe(true);
    expect(b.properties.property).toContainEqual({ name: 'verdict', value: 'blocked' });
    // A target with no findings is one passing case, not an empty suite.
    expect(suites[3]!.testcase).toEqual([{ name: 'no findings', classname: 'h20.models_vad_silero_onnx', file: 'models/vad/silero.onnx', time: 0 }]);
  });

  it('gives every case and suite a file and a time, and unique case names within a suite', () => {
    // An op named like a rule, and two findings about the same dtype from different rules.
    const clash = target('ascend-910b', 'Huawei Ascend 910B', [
      finding({ rule: 'op-support', code: 'unsupported-op', severity: 'error', level: 'unsupported', op: 'op-support', args: { op: 'op-support' } }),
      finding({ rule: 'op-support', code: 'missing-op-evidence', severity: 'warning', level: 'unknown', args: {} }),
    ], { supported: 0, degraded: 0, unsupported: 1, unknown: 0 });
    const doc = junit([{ ...sampleReport(), targets: [clash] }, sampleReport()], undefined, { rootDir: '/repo', baseDir: '/repo/ml' });
    for (const suite of doc.testsuites.testsuite) {
      const names = suite.testcase.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      expect(suite.file).toBe('ml/models/encoder.onnx');
      expect(suite.time).toBe(0);
      for (const c of suite.testcase) {
        expect(c.file).toBe('ml/models/encoder.onnx');
        expect(c.time).toBe(0);
      }
    }
    expect(doc.testsuites.testsuite[0]!.testcase.map((c) => c.name)).toEqual(['op-support (op)', 'op-support (rule)']);
  });

  it('fails the cases with blockers, carrying the message, rule and remedy', () => {
    const doc = junit([sampleReport()]);
    const b = doc.testsuites.testsuite[1]!;
    expect(b.failures).toBe(2);
    const attention = b.testcase[0]!;
    expect(attention.failure!.message).toBe('com.microsoft::Attention has no CANN kernel and no ATC parser');
    expect(attention.failure!.type).toBe('contrib-ops/contrib-op');
    expect(attention.failure!['#text']).toContain('remedy: Un-fuse Attention into MatMul/Softmax/MatMul');
    expect(attention.failure!['#text']).toContain('nodes: /encoder/layer.0/attention/Attention, /encoder/layer.1/attention/Attention (+10 more)');
    // Warnings pass under the default failOn (error), listed in system-out.
    const gelu = b.testcase.find((c) => c.name === 'Gelu')!;
    expect(gelu.failure).toBeUndefined();
    expect(gelu['system-out']).toContain('warning op-support/degraded-op (degraded): Gelu is decomposed');
    expect(doc.testsuites.failures).toBe(2);
  });

  it('fails on warnings too when failOn is warning', () => {
    const doc = junit([sampleReport()], 'warning');
    expect(doc.testsuites.testsuite[1]!.failures).toBe(6);
    expect(doc.testsuites.testsuite[2]!.failures).toBe(3);
  });

  it('fails nothing when failOn is never', () => {
    expect(junit([sampleReport()], 'never').testsuites.failures).toBe(0);
  });

  it('skips the cases whose findings a baseline suppressed', () => {
    const report = sampleReport();
    const { reports } = applyBaseline([report], createBaseline([report]));
    const doc = junit(reports);
    expect(doc.testsuites.failures).toBe(0);
    expect(doc.testsuites.skipped).toBe(doc.testsuites.tests);
    expect(doc.testsuites.testsuite[1]!.testcase[0]!.skipped).toEqual({ message: 'suppressed by the baseline' });
  });

  it('keeps hostile strings as data', () => {
    const xml = formatJunit([hostileReport()], { rules: SAMPLE_RULES });
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('\u001b');
    const doc = junit([hostileReport()]);
    const c = doc.testsuites.testsuite[0]!.testcase[0]!;
    expect(c.name).toBe(`evil.domain${PAYLOAD.replace(/\u001b\[\d+m/g, '')}::Evil${PAYLOAD.replace(/\u001b\[\d+m/g, '')}`);
    expect(c.failure!.message).toContain('<script>window.__pwned=1</script>]]>');
  });

  it('writes an empty but valid document for no reports, and one suite for a clean target', () => {
    expect(junit([]).testsuites.tests).toBe(0);
    const clean: Report = { ...unknownReport(), targets: [target('h20', 'NVIDIA H20', [], { supported: 1, degraded: 0, unsupported: 0, unknown: 0 })] };
    expect(junit([clean]).testsuites.failures).toBe(0);
  });
});
