import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { countingOrt } from '../helpers/count-ort.js';
import { realModel } from '../fixtures/real-models.js';
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
