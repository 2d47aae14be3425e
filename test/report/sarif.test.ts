import { readFileSync } from 'node:fs';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../../src/report/baseline.js';
import { REPOSITORY_URL, ruleDocsUrl } from '../../src/report/rule-docs-url.js';
import { formatSarif, onTarget, SARIF_FINGERPRINT_KEY } from '../../src/report/sarif.js';
import { SAMPLE_RULES, hostileReport, nodes, sampleReport, unknownReport } from './fixture.js';
import { validateSarif as validate } from './sarif-validator.js';

const opts = { rules: SAMPLE_RULES };

function sarif(...args: Parameters<typeof formatSarif>): Sarif.Log {
  const text = formatSarif(...args);
  const log = JSON.parse(text) as Sarif.Log;
  const ok = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
  return log;
}

describe('sarif', () => {
  it('is valid SARIF 2.1.0 with a rule per rule/code, help text and default levels', () => {
    const log = sarif([sampleReport(), unknownReport()], opts);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('port-check');
    expect(driver.semanticVersion).toBe('0.1.0');
    const ids = driver.rules!.map((r) => r.id);
    expect(ids).toContain('op-support/unsupported-op');
    expect(ids).toContain('slow-ops/aicpu-op');
    expect(new Set(ids).size).toBe(ids.length);
    const contrib = driver.rules!.find((r) => r.id === 'contrib-ops/contrib-op')!;
    expect(contrib.shortDescription?.text).toBe('A contrib op the target cannot run.');
    expect(contrib.help?.text).toContain('A contrib op the target cannot run.');
    expect(contrib.help?.markdown).toContain('`contrib-ops`');
    expect(contrib.helpUri).toMatch(/\/docs\/rules\/contrib-ops\.md#contrib-op$/);
    expect(contrib.defaultConfiguration?.level).toBe('error');
    expect(driver.rules!.find((r) => r.id === 'slow-ops/aicpu-op')!.defaultConfiguration?.level).toBe('note');
    // Each rule links to its page in the docs, in the repository package.json names.
    const repository = (JSON.parse(readFileSync('package.json', 'utf8')) as { repository: { url: string } }).repository.url;
    expect(repository).toBe(`git+${REPOSITORY_URL}.git`);
    expect(contrib.helpUri).toBe(`${REPOSITORY_URL}/blob/main/docs/rules/contrib-ops.md#contrib-op`);
    for (const r of driver.rules!) expect(r.helpUri).toBe(ruleDocsUrl(r.id));
  });

  it('names the target once in each message, and locates results from the repository root', () => {
    const log = sarif([sampleReport({ path: 'models/encoder.onnx' })], { ...opts, baseDir: '/repo/ml', rootDir: '/repo' });
    const run = log.runs[0]!;
    expect(Object.keys(run.originalUriBaseIds ?? {})).toEqual(['SRCROOT']);
    for (const r of run.results!) {
      const target = r.properties!.targetName as string;
      expect(r.message.text!.split(target).length - 1, r.message.text).toBe(1);
      expect(r.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'ml/models/encoder.onnx', uriBaseId: 'SRCROOT' });
    }
    // A message that names its target already is not prefixed with it again.
    expect(onTarget('Loop (1 node) on Huawei Ascend 910B: no ATC parser', 'Huawei Ascend 910B')).toBe('Loop (1 node) on Huawei Ascend 910B: no ATC parser.');
    expect(onTarget('fp32 is computed in fp16', 'Huawei Ascend 910B')).toBe('Huawei Ascend 910B: fp32 is computed in fp16.');
  });

  it('has a result per finding and target, located at the model file with its level', () => {
    const report = sampleReport();
    const log = sarif([report], opts);
    const results = log.runs[0]!.results!;
    const total = report.targets.reduce((n, t) => n + t.findings.length, 0);
    expect(results).toHaveLength(total);
    const rules = log.runs[0]!.tool.driver.rules!;
    for (const r of results) {
      expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
      const loc = r.locations![0]!.physicalLocation!;
      expect(loc.artifactLocation).toEqual({ uri: 'models/encoder.onnx', uriBaseId: 'SRCROOT' });
      expect(loc.region!.startLine).toBe(1);
    }
    const attention = results.find((r) => r.ruleId === 'contrib-ops/contrib-op')!;
    expect(attention.level).toBe('error');
    expect(attention.message.text).toBe(
      'Huawei Ascend 910B: com.microsoft::Attention has no CANN kernel and no ATC parser. ' +
        'Remedy: Un-fuse Attention into MatMul/Softmax/MatMul, or map it to npu_fusion_attention.',
    );
    expect(attention.properties).toMatchObject({
      target: 'ascend-910b',
      level: 'unsupported',
      op: 'com.microsoft::Attention',
      nodeCount: 12,
      nodes: ['/encoder/layer.0/attention/Attention', '/encoder/layer.1/attention/Attention'],
    });
    expect(results.filter((r) => r.level === 'note')).toHaveLength(3);
  });

  it('makes absolute model paths relative to baseDir, with forward slashes and percent-encoding', () => {
    const report = sampleReport({ path: '/repo/models/my model#1.onnx' });
    const log = sarif([report], { ...opts, baseDir: '/repo' });
    expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('models/my%20model%231.onnx');
    const windows = sarif([sampleReport({ path: 'models\\win\\m.onnx' })], opts);
    expect(windows.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('models/win/m.onnx');
  });

  it('keeps fingerprints stable when nodes are renamed or reordered, distinct per target', () => {
    const a = sarif([sampleReport()], opts).runs[0]!.results!;
    const changed = sampleReport();
    for (const t of changed.targets) for (const f of t.findings) f.nodes = nodes(['renamed']).concat(f.nodes.reverse());
    const b = sarif([changed], opts).runs[0]!.results!;
    const fp = (r: Sarif.Result) => r.partialFingerprints![SARIF_FINGERPRINT_KEY];
    expect(b.map(fp)).toEqual(a.map(fp));
    const gelu = a.filter((r) => r.properties!['op'] === 'Gelu').map(fp);
    expect(gelu).toHaveLength(2);
    expect(new Set(gelu).size).toBe(2);
    expect(new Set(a.map(fp)).size).toBe(a.length);
    const moved = sarif([sampleReport({ path: 'models/other.onnx' })], opts).runs[0]!.results!;
    expect(moved.map(fp)).not.toContain(fp(a[0]!));
  });

  it('adds a rule for a code the registry lacks, so every result points at a rule', () => {
    const log = sarif([sampleReport()], { rules: [] });
    const rules = log.runs[0]!.tool.driver.rules!;
    for (const r of log.runs[0]!.results!) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it('marks baseline-suppressed findings as suppressed results', () => {
    const report = sampleReport();
    const { reports } = applyBaseline([report], createBaseline([report]));
    const results = sarif(reports, opts).runs[0]!.results!;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.suppressions).toEqual([{ kind: 'external', justification: 'Listed in the port-check baseline.' }]);
  });

  it('is checked by a schema that does reject broken SARIF', () => {
    const log = JSON.parse(formatSarif([sampleReport()], opts)) as Sarif.Log;
    (log.runs[0]!.results![0] as { level: string }).level = 'fatal';
    expect(validate(log)).toBe(false);
    const noUri = JSON.parse(formatSarif([sampleReport({ path: 'models/a b.onnx' })], opts)) as Sarif.Log;
    noUri.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri = 'models/a b.onnx';
    expect(validate(noUri)).toBe(false);
  });

  it('is valid for an empty run and for hostile strings', () => {
    expect(sarif([], { ...opts, toolVersion: '9.9.9' }).runs[0]!.tool.driver.semanticVersion).toBe('9.9.9');
    const log = sarif([hostileReport()], opts);
    const text = JSON.stringify(log);
    expect(text).not.toMatch(/\\u001b|\\u0000/);
    expect(log.runs[0]!.results![0]!.message.text).not.toContain('\n');
  });
});
