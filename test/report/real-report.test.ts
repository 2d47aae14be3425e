/**
 * The formats on real reports: check() on the sample models the repository ships, against the
 * three built-in targets, with the real rule registry.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { RULES } from '../../src/rules.js';
import { applyBaseline, createBaseline } from '../../src/report/baseline.js';
import { formatGithub } from '../../src/report/github.js';
import { formatHtml } from '../../src/report/html.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { mergeReports } from '../../src/report/merge.js';
import { formatSarif } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import { validateSarif } from './sarif-validator.js';

const MODELS = ['models/control-flow.onnx', 'models/llm-attention-block.onnx', 'models/quantized-fp8.onnx', 'models/resnet-block.onnx'];
const TARGETS = ['h20', 'ascend-910b', 'ascend-910c'];
const opts = { rules: RULES };

let reports: Report[];
beforeAll(async () => {
  reports = await Promise.all(MODELS.map((m) => check(m, { targets: TARGETS })));
});

const count = (rs: Report[]) => rs.reduce((n, r) => n + r.targets.reduce((m, t) => m + t.findings.length, 0), 0);

describe('formats on real reports', () => {
  it('the sample models have findings to show', () => {
    expect(count(reports)).toBeGreaterThan(5);
    expect(reports.some((r) => r.targets.some((t) => t.verdict === 'blocked'))).toBe(true);
  });

  it('sarif: valid, every result on its model file, a rule from the registry for each', () => {
    const log = JSON.parse(formatSarif(reports, opts)) as Sarif.Log;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(count(reports));
    const registry = new Set(RULES.flatMap((r) => Object.keys(r.messages).map((c) => `${r.id}/${c}`)));
    for (const r of run.results!) {
      expect(registry.has(r.ruleId!), r.ruleId).toBe(true);
      expect(MODELS).toContain(r.locations![0]!.physicalLocation!.artifactLocation!.uri);
    }
    for (const rule of run.tool.driver.rules!) expect(rule.help?.text.length).toBeGreaterThan(0);
  });

  it('junit: well-formed, one suite per model and target, a failure per case with a blocker', () => {
    const xml = formatJunit(reports, opts);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: unknown[] };
    };
    expect(doc.testsuites.testsuite).toHaveLength(MODELS.length * TARGETS.length);
    const blockers = reports.flatMap((r) => r.targets).filter((t) => t.counts.error > 0).length;
    expect(Number(doc.testsuites.failures)).toBeGreaterThanOrEqual(blockers);
  });

  it('json of several models validates against schema/report.schema.json and merges back', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as object;
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    const text = formatJson(reports, opts);
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const merged = mergeReports(reports.map((r, i) => ({ file: `shard-${i}.json`, text: formatJson([r], opts) })));
    expect(merged.reports.map((r) => r.model.path)).toEqual([...MODELS].sort());
  });

  it('a baseline of this run suppresses all of it, and the next run is clean', () => {
    const { reports: gated, suppressedCount } = applyBaseline(reports, createBaseline(reports));
    expect(suppressedCount).toBe(count(reports));
    expect(count(gated)).toBe(0);
    expect(formatGithub(gated, opts).split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
  });

  it('markdown and html render every model and target', () => {
    const md = formatMarkdown(reports, opts);
    const html = formatHtml(reports, opts);
    for (const r of reports) {
      expect(md).toContain(r.model.path.replace(/[.\-_]/g, (c) => `\\${c}`));
      expect(html).toContain(r.model.path);
    }
    for (const t of reports[0]!.targets) expect(html).toContain(t.name);
  });
});
