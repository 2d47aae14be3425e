import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../src/onnx/writer.js';
import { realModel } from '../fixtures/real-models.js';
import { runCli } from './run-cli.js';

describe('port-check --run', () => {
  it('adds timings, time shares and precision drift to the report; the exit code follows the findings', async () => {
    const r = await runCli(['models/llm-attention-block.onnx', '--target', 'h20,ascend-910b', '--run', '--iterations', '3', '--dim', 'batch_size=1', '--dim', 'sequence_length=16', '--format', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.run.status).toBe('ok');
    const cpu = report.run.backends.find((b: { provider: string }) => b.provider === 'cpu');
    expect(cpu.status).toBe('ok');
    expect(cpu.iterations).toBe(3);
    expect(cpu.latencyMs.p50).toBeGreaterThan(0);
    expect(cpu.opTypeShares.map((s: { opType: string }) => s.opType)).toContain('Attention');
    expect(report.run.inputs.find((i: { name: string }) => i.name === 'input_ids').dims).toEqual([1, 16]);
    // The Attention blocker on Ascend carries its share of the run time.
    const ascend = report.targets.find((t: { id: string }) => t.id === 'ascend-910b');
    const attention = ascend.findings.find((f: { op?: string }) => f.op === 'Attention');
    expect(attention.timeShare).toBeGreaterThan(0);
    expect(report.run.blockerTimeShare.share).toBeGreaterThan(0);
    // force_fp16 is emulated on Ascend (not on the H20, whose policy converts nothing).
    expect(ascend.precision.status).toBe('ok');
    expect(ascend.precision.outputs.length).toBeGreaterThan(0);
    expect(report.targets.find((t: { id: string }) => t.id === 'h20').precision).toBeUndefined();
    expect(r.code).toBe(1);
  });

  it('Silero VAD runs with the documented flags and its fp16 emulation stays within thresholds', async () => {
    const r = await runCli([realModel('sileroVad'), '--target', 'ascend-910c', '--run', '--iterations', '2', '--dim', 'sequence=512', '--input-value', 'sr=16000', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.run.status).toBe('ok');
    expect(report.run.inputs.find((i: { name: string }) => i.name === 'sr')).toMatchObject({ dims: [], source: 'value' });
    const precision = report.targets[0].precision;
    expect(precision.status).toBe('ok');
    for (const out of precision.outputs) expect(out.verdict).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('a model ONNX Runtime cannot run is a finding, and the static report still comes out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'port-check-run-'));
    const file = join(dir, 'custom-op.onnx');
    writeFileSync(file, encodeModel({
      opsets: { 'ai.onnx': 17, 'acme.cuda': 1 },
      graph: {
        nodes: [{ opType: 'FusedWidget', domain: 'acme.cuda', name: 'widget', inputs: ['x'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 4] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 4] }],
      },
    }));
    const r = await runCli([file, '--target', 'ascend-910b', '--run', '--iterations', '1', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.run.status).toBe('failed');
    expect(report.run.reason).toMatch(/FusedWidget|acme\.cuda/);
    const codes = report.targets[0].findings.map((f: { rule: string; code: string }) => `${f.rule}/${f.code}`);
    expect(codes).toEqual(expect.arrayContaining(['run/run-failed', 'custom-domains/custom-op']));
    expect(r.code).toBe(1);
  });

  it('run-only flags without --run are a usage error', async () => {
    const r = await runCli(['models/resnet-block.onnx', '--iterations', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--iterations needs --run/);
  });
});
