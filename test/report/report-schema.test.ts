import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/report/json.js';
import { reportJsonSchemaText } from '../../src/report/report-schema.js';
import { SAMPLE_RULES, hostileReport, sampleReport, unknownReport } from './fixture.js';
import { applyBaseline, createBaseline } from '../../src/report/baseline.js';
import { check } from '../../src/check.js';
import { RULES } from '../../src/rules.js';
import { hostileRunReport, sampleRunReport } from './fixture-run.js';

const schemaFile = new URL('../../schema/report.schema.json', import.meta.url);

describe('schema/report.schema.json', () => {
  it('is what scripts/write-report-schema.ts writes from src/report/report-schema.ts', () => {
    expect(readFileSync(schemaFile, 'utf8'), 'stale: run `npm run build && node dist/scripts/write-report-schema.js`').toBe(
      reportJsonSchemaText(),
    );
  });

  // allowUnionTypes: input dims are number | string | null, a union type in JSON Schema.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  const opts = { rules: SAMPLE_RULES };

  it.each([
    ['one model', [sampleReport()]],
    ['one model with time shares', [sampleReport({ timeShares: true })]],
    ['several models', [sampleReport(), unknownReport()]],
    ['hostile strings', [hostileReport()]],
    ['one model with run, precision and estimate', [sampleRunReport()]],
    ['hostile strings in run, precision and estimate', [hostileRunReport()]],
  ])('accepts the JSON format of %s', (_name, reports) => {
    const ok = validate(JSON.parse(formatJson(reports, opts)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('accepts a report with baseline-suppressed findings', () => {
    const report = sampleReport();
    const { reports } = applyBaseline([report], createBaseline([report]));
    expect(validate(JSON.parse(formatJson(reports, opts)))).toBe(true);
  });

  it('rejects a report whose finding has an unknown severity or a missing field', () => {
    const bad = JSON.parse(formatJson([sampleReport()], opts)) as { targets: { findings: Record<string, unknown>[] }[] };
    bad.targets[1]!.findings[0]!.severity = 'fatal';
    expect(validate(bad)).toBe(false);
    const missing = JSON.parse(formatJson([sampleReport()], opts)) as { model: Record<string, unknown> };
    delete missing.model.path;
    expect(validate(missing)).toBe(false);
  });

  it('accepts the JSON of a real check() with run, precision and estimate', async () => {
    const report = await check('models/resnet-block.onnx', { targets: ['h20', 'ascend-910b'], run: { iterations: 2 } });
    expect(report.run?.status).toBe('ok');
    expect(report.targets.find((t) => t.id === 'ascend-910b')?.precision?.status).toBe('ok');
    expect(report.targets.every((t) => t.estimate)).toBe(true);
    const ok = validate(JSON.parse(formatJson([report], { rules: RULES })));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  }, 60_000);

  it('rejects a run, precision or estimate that does not follow the types', () => {
    const base = () => JSON.parse(formatJson([sampleRunReport()], opts)) as {
      run: { providers: Record<string, unknown>[]; backends: Record<string, unknown>[] };
      targets: { precision?: { outputs: Record<string, unknown>[] }; estimate?: { memory: Record<string, unknown> } & Record<string, unknown> }[];
    };
    const provider = base();
    provider.run.providers[0]!.status = 'maybe';
    expect(validate(provider)).toBe(false);
    const extra = base();
    extra.run.backends[0]!.gpuTemperature = 81;
    expect(validate(extra)).toBe(false);
    const verdict = base();
    verdict.targets[1]!.precision!.outputs[0]!.verdict = 'meh';
    expect(validate(verdict)).toBe(false);
    const chips = base();
    delete chips.targets[1]!.estimate!.memory.chipsNeeded;
    expect(validate(chips)).toBe(false);
    const latency = base();
    latency.targets[1]!.estimate!.latencyMs = null;
    expect(validate(latency)).toBe(false);
  });
});
