import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../../src/report/baseline.js';
import { MAX_ANNOTATIONS_PER_KIND, escapeCommandData, escapeCommandProperty, formatGithub, githubJobSummary } from '../../src/report/github.js';
import type { Report } from '../../src/report/types.js';
import { PAYLOAD, SAMPLE_RULES, finding, hostileReport, sampleReport, target } from './fixture.js';

interface Command {
  command: string;
  properties: Record<string, string>;
  data: string;
}

/** Reads a line the way the Actions runner does: `::name k=v,k=v::data`, then percent-decoding. */
function parseCommand(line: string): Command | undefined {
  const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) return undefined;
  const decode = (s: string) => s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = decode(pair.slice(eq + 1));
  }
  return { command: m[1]!, properties, data: decode(m[3]!) };
}

const opts = { rules: SAMPLE_RULES };

describe('github annotations', () => {
  it('annotates errors and warnings at the model file, errors first, with rule and target in the title', () => {
    const lines = formatGithub([sampleReport()], opts).trimEnd().split('\n');
    const commands = lines.map(parseCommand).filter((c): c is Command => c !== undefined);
    expect(commands.map((c) => c.command)).toEqual([
      'error', 'error',
      'warning', 'warning', 'warning', 'warning', 'warning', 'warning', 'warning',
    ]);
    expect(commands[0]).toEqual({
      command: 'error',
      properties: { file: 'models/encoder.onnx', line: '1', title: 'port-check contrib-ops/contrib-op on Huawei Ascend 910B' },
      data:
        'com.microsoft::Attention (12 nodes): com.microsoft::Attention has no CANN kernel and no ATC parser. ' +
        'Remedy: Un-fuse Attention into MatMul/Softmax/MatMul, or map it to npu_fusion_attention.',
    });
    expect(lines.filter((l) => !l.startsWith('::'))).toEqual([
      'port-check: models/encoder.onnx on NVIDIA H20: Ready (0 errors, 0 warnings)',
      'port-check: models/encoder.onnx on Huawei Ascend 910B: Blocked (2 errors, 4 warnings)',
      'port-check: models/encoder.onnx on Huawei Ascend 910C: Runs with changes (0 errors, 3 warnings)',
      'port-check: 3 notes not annotated (GitHub shows 10 errors and 10 warnings per step): see the job summary.',
    ]);
  });

  it('encodes data and properties as the runner decodes them', () => {
    expect(escapeCommandData('100%\r\nnext')).toBe('100%25%0D%0Anext');
    expect(escapeCommandProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('lets no model string start a command or a line of its own', () => {
    const out = formatGithub([hostileReport()], opts);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(out).not.toContain('\u001b');
    const annotation = parseCommand(lines[0]!)!;
    expect(annotation.command).toBe('error');
    // The properties decode to the model's path, whole (ANSI removed, newline flattened).
    const clean = PAYLOAD.replace(/\u001b\[\d+m/g, '').replace('\n', ' ');
    expect(annotation.properties.file).toBe(`models/evil${clean}.onnx`);
    expect(Object.keys(annotation.properties)).toEqual(['file', 'line', 'title']);
    expect(annotation.data).toContain('%0A::error::x');
    expect(lines[1]!.startsWith('port-check: ')).toBe(true);
  });

  it(`annotates the ${MAX_ANNOTATIONS_PER_KIND} worst errors and warnings (time share, then nodes) and counts the rest`, () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      finding({
        rule: 'op-support', code: i % 2 === 0 ? 'unsupported-op' : 'unknown-op', severity: i % 2 === 0 ? 'error' : 'warning',
        level: i % 2 === 0 ? 'unsupported' : 'unknown', op: `Op${i}`, args: { op: `Op${i}` },
        // Time share grows with i for the first half; node count decides among the rest.
        ...(i < 15 ? { timeShare: i / 100 } : {}),
        nodes: Array.from({ length: i }, (_, k) => ({ name: `n${i}_${k}`, graph: 'main', index: k })),
      }),
    );
    const report: Report = { ...sampleReport(), targets: [target('ascend-910b', 'Huawei Ascend 910B', many, { supported: 0, degraded: 0, unsupported: 15, unknown: 15 })] };
    const out = formatGithub([report], opts);
    const commands = out.split('\n').map(parseCommand).filter((c) => c !== undefined);
    const ops = (kind: string) => commands.filter((c) => c.command === kind).map((c) => /^Op\d+/.exec(c.data)![0]);
    // Errors are the even ops: the seven timed ones (14 down to 2: Op0 has 0 time), then by nodes (28, 26, 24).
    expect(ops('error')).toEqual(['Op14', 'Op12', 'Op10', 'Op8', 'Op6', 'Op4', 'Op2', 'Op28', 'Op26', 'Op24']);
    expect(ops('warning')).toEqual(['Op13', 'Op11', 'Op9', 'Op7', 'Op5', 'Op3', 'Op1', 'Op29', 'Op27', 'Op25']);
    expect(commands).toHaveLength(2 * MAX_ANNOTATIONS_PER_KIND);
    expect(out).toContain('port-check: 5 errors and 5 warnings not annotated (GitHub shows 10 errors and 10 warnings per step): see the job summary.');
    const summary = githubJobSummary([report], opts);
    expect(summary).toContain('Annotated in the changed files: 10 errors and 10 warnings; not annotated: 5 errors and 5 warnings');
    expect(summary).toContain('⛔ Blocked · 15 blockers');
  });

  it('leaves baseline-suppressed findings unannotated and says how many there were', () => {
    const report = sampleReport();
    const { reports } = applyBaseline([report], createBaseline([report]));
    const lines = formatGithub(reports, opts).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::'))).toEqual([]);
    expect(lines[1]).toBe('port-check: models/encoder.onnx on Huawei Ascend 910B: Blocked (0 errors, 0 warnings, 7 suppressed by the baseline)');
  });
});

describe('githubJobSummary', () => {
  it('is the Markdown verdict table and blockers', () => {
    const md = githubJobSummary([sampleReport()], opts);
    expect(md).toContain('| models/encoder\\.onnx | ✅ Ready | ⛔ Blocked · 2 blockers | ⚠️ Runs with changes · 3 warnings |');
    expect(md).toContain('Remedy: Un\\-fuse Attention');
  });
});
