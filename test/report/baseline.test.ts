import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { applyBaseline, createBaseline, formatBaseline, parseBaseline } from '../../src/report/baseline.js';
import type { Report } from '../../src/report/types.js';
import { finding, nodes, sampleReport } from './fixture.js';

function addFinding(report: Report, targetId: string, op: string): Report {
  return {
    ...report,
    targets: report.targets.map((t) =>
      t.id !== targetId
        ? t
        : {
            ...t,
            counts: { ...t.counts, error: t.counts.error + 1 },
            findings: [
              finding({ rule: 'op-support', code: 'unsupported-op', severity: 'error', level: 'unsupported', op, domain: 'ai.onnx', args: { op } }),
              ...t.findings,
            ],
          },
    ),
  };
}

describe('baseline', () => {
  it('writes one sorted, readable entry per finding', () => {
    const text = formatBaseline([sampleReport()]);
    const baseline = parseBaseline(text, 'port-check.baseline.json');
    expect(baseline.schemaVersion).toBe(1);
    expect(baseline.entries).toHaveLength(12);
    expect(baseline.entries[0]).toEqual({
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      model: 'models/encoder.onnx',
      target: 'ascend-910b',
      rule: 'contrib-ops',
      code: 'contrib-op',
      domain: 'com.microsoft',
      op: 'Attention',
    });
    expect(text).toBe(formatBaseline([sampleReport()]));
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('suppresses known findings and lets new ones count', () => {
    const baseline = createBaseline([sampleReport()]);
    const next = addFinding(sampleReport(), 'ascend-910c', 'GridSample');
    const { reports, suppressedCount } = applyBaseline([next], baseline);
    expect(suppressedCount).toBe(12);
    const c = reports[0]!.targets[2]!;
    expect(c.findings.map((f) => f.op)).toEqual(['GridSample']);
    expect(c.counts).toEqual({ error: 1, warning: 0, info: 0 });
    expect(c.levels).toEqual({ supported: 0, degraded: 0, unsupported: 1, unknown: 0 });
    expect(c.suppressed).toHaveLength(4);
    // The verdict still describes the model; only the gate changes.
    expect(reports[0]!.targets[1]!.verdict).toBe('blocked');
    expect(reports[0]!.targets[1]!.findings).toEqual([]);
  });

  it('matches on model, target, rule, code, domain and op: not on node names, order or counts', () => {
    const baseline = createBaseline([sampleReport()]);
    const renamed = sampleReport();
    for (const t of renamed.targets) {
      for (const f of t.findings) {
        f.nodes = nodes(['x', 'y']);
        f.nodeCount = 99;
        f.message = 'reworded';
      }
      t.findings.reverse();
    }
    expect(applyBaseline([renamed], baseline).suppressedCount).toBe(12);
    // The same finding on another target, or in another model, is new.
    expect(applyBaseline([sampleReport({ path: 'models/other.onnx' })], baseline).suppressedCount).toBe(0);
    const moved = sampleReport();
    moved.targets[1]!.id = 'ascend-910b-v2';
    expect(applyBaseline([moved], baseline).suppressedCount).toBe(5);
  });

  it('reads absolute and ./ paths as the same repository-relative path', () => {
    const baseline = createBaseline([sampleReport({ path: './models/encoder.onnx' })]);
    expect(baseline.entries[0]!.model).toBe('models/encoder.onnx');
    const abs = sampleReport({ path: '/work/repo/models/encoder.onnx' });
    expect(applyBaseline([abs], baseline, { baseDir: '/work/repo' }).suppressedCount).toBe(12);
  });

  it('trusts the fields over the stored fingerprint, so a hand-edited entry still works', () => {
    const baseline = createBaseline([sampleReport()]);
    const edited = { ...baseline, entries: baseline.entries.map((e) => ({ ...e, model: 'models/renamed.onnx', fingerprint: 'stale' })) };
    expect(applyBaseline([sampleReport({ path: 'models/renamed.onnx' })], edited).suppressedCount).toBe(12);
  });

  it('does not change the reports it is given', () => {
    const report = sampleReport();
    const before = JSON.stringify(report);
    applyBaseline([report], createBaseline([report]));
    expect(JSON.stringify(report)).toBe(before);
  });

  it('rejects a broken baseline with the file and the place', () => {
    expect(() => parseBaseline('{nope', 'b.json')).toThrow(ConfigError);
    expect(() => parseBaseline('{nope', 'b.json')).toThrow(/^b\.json: not a JSON baseline/);
    expect(() => parseBaseline('{"schemaVersion":2,"tool":"port-check","entries":[]}', 'b.json')).toThrow(/^b\.json: schemaVersion: /);
    expect(() => parseBaseline('{"schemaVersion":1,"tool":"port-check","entries":[{"model":"m"}]}', 'b.json')).toThrow(
      /^b\.json: entries\[0\]\.target: /,
    );
  });
});
