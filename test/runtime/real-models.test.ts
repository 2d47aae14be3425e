import { runChecks } from '../../src/checks/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { describe, expect, test } from 'vitest';
import { loadModel } from '../../src/onnx/load.js';
import type { ModelIR } from '../../src/onnx/ir.js';
import { attachTimeShares, blockerTimeShare, runModel, type RunResult } from '../../src/runtime/index.js';
import { realModel, type RealModelName } from '../fixtures/real-models.js';

async function load(name: RealModelName): Promise<{ path: string; model: ModelIR }> {
  const path = realModel(name);
  return { path, model: await loadModel(path) };
}

function cpu(run: RunResult) {
  const b = run.backends.find((x) => x.provider === 'cpu');
  if (!b || b.status !== 'ok') throw new Error(`cpu did not run: ${b?.reason ?? run.reason}`);
  return b;
}

describe('Silero VAD', () => {
  test('runs with its documented flags: --dim sequence=512 --input-value sr=16000', async () => {
    const { path, model } = await load('sileroVad16k');
    const run = await runModel(path, model, {
      backends: ['cpu'], iterations: 3, dims: { sequence: 512 }, inputValues: { sr: 16000 },
    });
    expect(run.status).toBe('ok');
    expect(run.inputs.map((i) => [i.name, i.dims, i.source])).toEqual([
      ['input', [1, 512], 'synthesised'], ['state', [2, 1, 128], 'synthesised'], ['sr', [], 'value'],
    ]);
    expect(cpu(run).opTypeShares!.map((s) => s.opType)).toContain('LSTM');
    expect(run.observedShapes!.values.output).toEqual({ dtype: 'FLOAT', dims: [1, 1] });
    expect(run.observedShapes!.values.stateN).toEqual({ dtype: 'FLOAT', dims: [2, 1, 128] });
  });

  test('the v5 export with unnamed dims runs on the defaults (batch 1, 512 samples, sr 16000) and says so', async () => {
    const { path, model } = await load('sileroVad');
    const run = await runModel(path, model, { backends: ['cpu'], iterations: 2 });
    expect(run.status).toBe('ok');
    expect(run.inputs.map((i) => [i.name, i.dims])).toEqual([['input', [1, 512]], ['state', [2, 1, 128]], ['sr', []]]);
    expect(run.assumptions).toContain("input 'sr' = 16000 (a sample rate, as Silero VAD expects; --input-value sr=N to change)");
    expect(run.assumptions).toContain("input 'input' axis 1 has no size or name; took 512 (dynamic default; set it with --shape input=...)");
  });

  test('a sequence too short for its STFT fails with the node and the reason', async () => {
    const { path, model } = await load('sileroVad16k');
    const run = await runModel(path, model, { backends: ['cpu'], iterations: 1, dims: { sequence: 32 } });
    expect(run.status).toBe('failed');
    expect(run.reason).toBe(
      "the model fails when run: Pad node '/model/stft/padding/Pad' failed: Pad reflect: post-pad (64) exceeds maximum allowed (31) for axis 1. Input shape:{1,32}",
    );
  });
});

describe('PaddleOCR det', () => {
  test('runs with dynamic H and W given by --dim, and the real shapes flow through', async () => {
    const { path, model } = await load('paddleocrDet');
    const run = await runModel(path, model, {
      backends: ['cpu'], iterations: 2,
      dims: { 'p2o.DynamicDimension.1': 320, 'p2o.DynamicDimension.2': 256 },
    });
    expect(run.status).toBe('ok');
    expect(run.inputs[0]).toMatchObject({ name: 'x', dims: [1, 3, 320, 256] });
    const shapes = run.observedShapes!;
    expect(shapes.values['sigmoid_0.tmp_0']).toEqual({ dtype: 'FLOAT', dims: [1, 1, 320, 256] });
    expect(shapes.missing).toEqual([]);
    expect(Object.keys(shapes.values).length).toBe(shapes.requested);
    const conv = cpu(run).opTypeShares!.find((s) => s.opType === 'Conv')!;
    expect(conv.share).toBeGreaterThan(0.3);

    expect(shapes).toMatchObject({ fromProfile: shapes.requested, chunks: 0 });
  });
});

describe('ISNet uint8', () => {
  test('runs, and ConvInteger\'s time share is measured and reaches the finding about it', async () => {
    const { path, model } = await load('isnetUint8');
    // 1024x1024 is fixed in the model: one timed iteration, one profiled run, which also records
    // every node's output shape (no rewritten copy has to run).
    const run = await runModel(path, model, { backends: ['cpu'], iterations: 1, warmup: 0 });
    const b = cpu(run);
    expect(run.observedShapes).toMatchObject({ chunks: 0, missing: [] });
    expect(run.observedShapes!.fromProfile).toBe(run.observedShapes!.requested);
    expect(run.observedShapes!.values.output).toEqual({ dtype: 'FLOAT', dims: [1, 1, 1024, 1024] });
    const convInteger = b.opTypeShares!.find((s) => s.opType === 'ConvInteger')!;
    expect(convInteger.share).toBeGreaterThan(0);
    expect(convInteger.nodeCount).toBeGreaterThan(20);
    const [f] = attachTimeShares([{
      rule: 'op-support', code: 'unsupported-op', severity: 'error', level: 'unsupported', op: 'ConvInteger',
      domain: 'ai.onnx', nodeCount: convInteger.nodeCount, nodes: [], effort: 'medium',
      source: [], args: {},
    }], run);
    expect(f!.timeShare).toBe(convInteger.share);

    // The findings the checks really give: ConvInteger is reported as a quantization scheme on
    // Ascend, which names its op types in args; the time share and the blockers' share follow.
    const real = attachTimeShares(runChecks(model, inspectModel(model), loadBuiltinProfile('ascend-910b')), run);
    const integerOps = real.find((x) => x.rule === 'quantization' && (x.args.ops as string[]).includes('ConvInteger'))!;
    expect(integerOps.timeShare).toBe(convInteger.share);
    expect(blockerTimeShare(real, run)!.share).toBeGreaterThanOrEqual(convInteger.share);
  }, 120_000);
});
