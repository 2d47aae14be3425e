import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { countingOrt } from '../helpers/count-ort.js';
import { realModel } from '../fixtures/real-models.js';
import { castBf16GemmSpec, saveModel } from '../runtime/small-models.js';
import { runCli } from './run-cli.js';

/** Counts the sessions and the user's model's runs: the provider probe runs a model of its own with a 4-element input. */
function counting<T>(body: () => Promise<T>): Promise<{ value: T; sessions: number; runs: number }> {
  return countingOrt(body, (feeds) => Object.values(feeds).some((t) => t.size > 4));
}

describe('the cost of --run', () => {
  it('three targets: the timed runs, one profiled run and one emulation shared by both Ascend targets', async () => {
    const { value: report, runs, sessions } = await counting(() => check(realModel('paddleocrDet'), {
      targets: ['h20', 'ascend-910b', 'ascend-910c'],
      run: { backends: ['cpu'], iterations: 2, warmup: 1, shapes: { x: [1, 3, 64, 64] } },
    }));
    // warm-up 1 + timed 2 + profiled 1 + one emulation pass (910B and 910C share force_fp16; the H20 converts nothing).
    expect(runs).toBe(5);
    // Sessions: timed, profiled, the compiler's folded view and the value types (both created, never run), the
    // emulation pass. The CPU provider is in every onnxruntime-node build: it is not probed with a session of its own.
    expect(sessions).toBe(5);
    const [h20, b, c] = report.targets;
    expect(h20!.precision).toBeUndefined();
    expect(b!.precision!.status).toBe('ok');
    expect({ ...c!.precision, target: 'x' }).toEqual({ ...b!.precision, target: 'x' });
    expect(c!.precision!.target).toBe('ascend-910c');
  }, 300_000);

  it('a bf16 model with no CPU kernel: the run finds the fp32 reference copy once, and the emulation starts from it', async () => {
    const { path } = saveModel('run-cost-bf16', castBf16GemmSpec('cast_bf16_gemm', Array.from({ length: 64 }, (_, i) => (i % 9) / 4)));
    const { value: report, sessions } = await counting(() => check(path, { targets: ['ascend-910b'], run: { backends: ['cpu'], iterations: 1 } }));
    expect(report.run).toMatchObject({ status: 'ok', reference: 'upcast-bf16-to-fp32' });
    expect(report.targets[0]!.precision).toMatchObject({ status: 'ok', reference: 'upcast-bf16-to-fp32' });
    expect(report.targets[0]!.precision!.assumptions.join('\n')).toMatch(/the reference is a copy with every BFLOAT16 tensor upcast to FLOAT/);
    // The model as it is fails once (the timed session); then timed, profiled, folded view, value types and the
    // emulation pass, all on the copy: the emulation does not try the model as it is again.
    expect(sessions).toBe(6);
  }, 60_000);

  it('an input whose activations need thousands of chips is an error, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'port-check-huge-'));
    const path = join(dir, 'huge.onnx');
    const dims = [2 ** 20, 2 ** 20, 1024];
    writeFileSync(path, encodeModel({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims }],
      },
    }));
    const r = await runCli([path, '--target', 'ascend-910b', '--format', 'json']);
    expect(r.code).toBe(1);
    const finding = JSON.parse(r.stdout).targets[0].findings.find((f: { rule: string }) => f.rule === 'memory-fit');
    // No layer a split scheme applies to: no communication time is claimed (it once read "0 ns").
    expect(JSON.parse(r.stdout).targets[0].estimate.interconnect).toBeUndefined();
    expect(finding).toMatchObject({ severity: 'error', code: 'weights-exceed-memory' });
    expect(finding.message).toBe(
      'One inference needs 4096 TiB (0 B weights + 4096 TiB activations), more than one device can hold (64.0 GiB): at least 72818 devices are needed',
    );
  });
});
