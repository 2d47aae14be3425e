import { describe, expect, test } from 'vitest';
import { attachTimeShares, runModel } from '../../src/runtime/index.js';
import { castBf16GemmSpec, reluNegSpec, saveModel } from './small-models.js';

describe('runModel on small models', () => {
  test('times, profiles and observes every value of a model that runs', async () => {
    const { path, model } = saveModel('relu-neg', reluNegSpec());
    const run = await runModel(path, model, { backends: ['cpu'], iterations: 5, dims: { N: 3 } });
    expect(run.status).toBe('ok');
    expect(run.inputs).toEqual([
      { name: 'x', dtype: 'FLOAT', dims: [3, 4], source: 'synthesised', detail: 'uniform in [0, 1) from seed 1' },
    ]);
    const cpu = run.backends[0]!;
    expect(cpu).toMatchObject({ provider: 'cpu', status: 'ok', iterations: 5 });
    expect(cpu.sessionMs).toBeGreaterThan(0);
    const l = cpu.latencyMs!;
    expect(l.min).toBeLessThanOrEqual(l.p50);
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p99);
    expect(cpu.peakRssMB).toBeGreaterThan(10);
    expect(cpu.opTypeShares!.map((s) => s.opType).sort()).toEqual(['Neg', 'Relu']);
    expect(cpu.opTypeShares!.reduce((s, o) => s + o.share, 0)).toBeCloseTo(1, 3);
    expect(cpu.opTypeShares![0]!.providers).toEqual(['CPUExecutionProvider']);
    expect(cpu.nodeTimes!.map((n) => n.name).sort()).toEqual(['neg', 'relu']);
    // The profiled run recorded every node's output shapes: no rewritten copy was needed.
    const shapes = {
      provider: 'cpu',
      values: { r: { dtype: 'FLOAT', dims: [3, 4] }, y: { dtype: 'FLOAT', dims: [3, 4] } },
      requested: 2,
      missing: [],
    };
    expect(run.observedShapes).toEqual({ ...shapes, fromProfile: 2, chunks: 0 });

    // Without the profiled run there is no record of the shapes, and no extra run is made to get them.
    const unprofiled = await runModel(path, model, { backends: ['cpu'], iterations: 1, dims: { N: 3 }, profile: false });
    expect(unprofiled.backends[0]!.opTypeShares).toBeUndefined();
    expect(unprofiled.observedShapes).toBeUndefined();
    expect(unprofiled.assumptions).toContain('shapes not observed: no profiled run recorded them');
  });

  test('unnamed nodes are timed under the stand-in findings use for them ("#0 Relu")', async () => {
    const spec = reluNegSpec();
    delete spec.graph.nodes[0]!.name;
    const { path, model } = saveModel('unnamed', spec);
    const run = await runModel(path, model, { backends: ['cpu'], iterations: 1 });
    expect(run.backends[0]!.nodeTimes!.map((n) => n.name).sort()).toEqual(['#0 Relu', 'neg']);
    expect(run.observedShapes).toMatchObject({ fromProfile: 2, chunks: 0 });
    const [f] = attachTimeShares([{
      rule: 'op-support', code: 'x', severity: 'error', level: 'unsupported', op: 'Relu', domain: 'ai.onnx',
      nodeCount: 1, nodes: [{ name: '#0 Relu', graph: 'main', index: 0 }], message: '', remedy: '', effort: 'low',
      source: [], args: {},
    }], run);
    const relu = run.backends[0]!.nodeTimes!.find((n) => n.name === '#0 Relu')!;
    expect(f!.timeShare).toBeCloseTo(relu.ms / run.backends[0]!.profiledNodeMs!, 5);
  });

  test('a custom-domain op fails with ONNX Runtime\'s reason in plain words, without throwing', async () => {
    const { path, model } = saveModel('custom-op', {
      opsets: { 'ai.onnx': 17, 'com.acme': 1 },
      graph: {
        nodes: [{ opType: 'FancyNorm', domain: 'com.acme', name: 'fancy', inputs: ['x'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 4] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 4] }],
      },
    });
    const run = await runModel(path, model, { backends: ['cpu'] });
    expect(run.status).toBe('failed');
    expect(run.backends).toEqual([{ provider: 'cpu', status: 'failed', reason: run.reason }]);
    expect(run.reason).toBe(
      "ONNX Runtime cannot create a session: op 'FancyNorm' of domain 'com.acme' is not registered " +
        '(a custom op: ONNX Runtime needs the library that implements it)',
    );
    expect(run.reference).toBeUndefined();
  });

  test('a bf16 Gemm with no CPU kernel runs as an fp32 reference copy, and says so', async () => {
    const { path, model } = saveModel('bf16-gemm', castBf16GemmSpec('cast_bf16_gemm', [1, 2, 3, 4]));
    const run = await runModel(path, model, { backends: ['cpu'], iterations: 2 });
    expect(run.status).toBe('ok');
    expect(run.reference).toBe('upcast-bf16-to-fp32');
    expect(run.assumptions[0]).toMatch(
      /^the model as it is does not run on ONNX Runtime here \(ONNX Runtime cannot create a session: Could not find an implementation for Gemm\(13\) node with name 'gemm'\); the run used a copy with every BFLOAT16 tensor upcast to FLOAT/,
    );
    expect(run.observedShapes!.values.yb).toEqual({ dtype: 'FLOAT', dims: [1, 2] });
    expect(run.backends[0]!.opTypeShares!.map((s) => s.opType)).toContain('Gemm');
  });

  test('a bf16 input, which onnxruntime-node cannot feed, is fed as fp32 to the reference copy', async () => {
    const { path, model } = saveModel('bf16-input', {
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Relu', name: 'relu', inputs: ['x'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'BFLOAT16', dims: [1, 2] }],
        outputs: [{ name: 'y', dtype: 'BFLOAT16', dims: [1, 2] }],
      },
    });
    const run = await runModel(path, model, { backends: ['cpu'], iterations: 1, profile: false });
    expect(run).toMatchObject({ status: 'ok', reference: 'upcast-bf16-to-fp32' });
    expect(run.inputs[0]).toMatchObject({ name: 'x', dtype: 'FLOAT', dims: [1, 2] });
    expect(run.assumptions[0]).toContain("input 'x' is BFLOAT16, which onnxruntime-node cannot feed");
  });

  test('external data outside the model folder is never handed to ONNX Runtime', async () => {
    const { path, model } = saveModel('escape', {
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Add', inputs: ['x', 'W'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: [4] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: [4] }],
        initializers: [{ name: 'W', dtype: 'FLOAT', dims: [4], external: { location: '../../../etc/passwd' } }],
      },
    });
    const run = await runModel(path, model, { backends: ['cpu'] });
    expect(run.status).toBe('failed');
    expect(run.reason).toMatch(/^not run: tensor 'W': .*"\.\.\/\.\.\/\.\.\/etc\/passwd".*; ONNX Runtime is only given models whose external data stays inside their folder$/);
    expect(run.backends).toEqual([]);
    expect(run.providers).toEqual([]);
  });

  test('a provider that is not usable here fails that backend with how to get it, not the run', async () => {
    const { path, model } = saveModel('relu-neg', reluNegSpec());
    const run = await runModel(path, model, { backends: ['cpu', 'cuda'], iterations: 1, observeShapes: false });
    expect(run.status).toBe('ok');
    const cuda = run.backends.find((b) => b.provider === 'cuda')!;
    const probe = run.providers.find((p) => p.name === 'cuda')!;
    if (probe.status === 'ok') {
      expect(cuda.status).toBe('ok');
    } else {
      expect(cuda.status).toBe('failed');
      expect(cuda.reason).toContain('the cuda provider is not usable here: ');
      expect(cuda.reason).toContain('To get it: ');
    }
  });
});
