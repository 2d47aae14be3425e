import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ModelSpec, NodeSpec } from '../../src/onnx/model-spec.js';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { emulationPass, prepareEmulation, releaseEmulation } from '../../src/precision/emulation-pass.js';
import { resolvePolicy } from '../../src/profiles/precision-policy.js';
import { resolveThresholds } from '../../src/precision/thresholds.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { countingOrt } from '../helpers/count-ort.js';
import { scalar, saveModel } from './built-models.js';

const ascend = loadBuiltinProfile('ascend-910b');
const thresholds = resolveThresholds();

/** A chain of `n` float nodes (Mul by 1/3, Add 0.1, alternately) on a [1, 16] input. */
function chainSpec(n: number): ModelSpec {
  const nodes: NodeSpec[] = [];
  let prev = 'x';
  for (let i = 0; i < n; i++) {
    const out = i === n - 1 ? 'y' : `v${i}`;
    nodes.push({ opType: i % 2 === 0 ? 'Mul' : 'Add', name: `n${i}`, inputs: [prev, i % 2 === 0 ? 'third' : 'tenth'], outputs: [out] });
    prev = out;
  }
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes,
      inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 16] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 16] }],
      initializers: [scalar('third', 1 / 3), scalar('tenth', 0.1)],
    },
  };
}

describe('one emulation pass', () => {
  test('gives every node of a 2,000-node model its metrics, from one run of one session', async () => {
    const built = saveModel('chain-2000', chainSpec(2000));
    const prepared = await prepareEmulation(built.path, built.model, { fold: false });
    if (prepared.status !== 'ok') throw new Error(prepared.reason);
    try {
      const { value: pass, sessions, runs } = await countingOrt(() =>
        emulationPass(prepared.base, resolvePolicy(ascend, 'profile'), { thresholds }));
      expect(pass.status).toBe('ok');
      expect({ sessions, runs }).toEqual({ sessions: 1, runs: 1 });
      // The two weights stored in fp16 come first, checked for fp16's range, then every node in data-flow order.
      expect(pass.nodes.filter((n) => n.weight).map((n) => n.output)).toEqual(['third', 'tenth']);
      const nodes = pass.nodes.filter((n) => !n.weight);
      expect(nodes.map((n) => n.node)).toEqual(Array.from({ length: 2000 }, (_, i) => `n${i}`));
      for (const n of nodes) {
        expect(n.elements).toBe(16);
        expect(n.cosine).toBeGreaterThan(0.999);
        expect(n.rmse).toBeGreaterThanOrEqual(0);
        expect(n.relativeEuclidean).not.toBeNull();
      }
      // Each node rounds its output to fp16, so the error is there and grows no faster than fp16's step.
      expect(pass.nodes.some((n) => n.maxAbsError > 0)).toBe(true);
      expect(pass.outputs.map((o) => [o.name, o.verdict])).toEqual([['y', 'pass']]);
    } finally {
      await releaseEmulation(prepared.base);
    }
  }, 300_000);

  test('an empty value (a zero-length Slice) is compared as having no error, not an error of 1.8e308', async () => {
    const ints = (name: string, v: number[]) => ({ name, dtype: 'INT64' as const, dims: [v.length], raw: new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer) });
    const built = saveModel('empty-value', {
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [
          { opType: 'Mul', name: 'scale', inputs: ['x', 'third'], outputs: ['a'] },
          { opType: 'Slice', name: 'none', inputs: ['a', 'zero', 'zero', 'axis'], outputs: ['e'] },
          { opType: 'Mul', name: 'scale_none', inputs: ['e', 'third'], outputs: ['e2'] },
          { opType: 'Concat', name: 'join', inputs: ['a', 'e2'], outputs: ['y'], attributes: { axis: { i: 1 } } },
        ],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 4] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 4] }],
        initializers: [scalar('third', 1 / 3), ints('zero', [0]), ints('axis', [1])],
      },
    });
    const prepared = await prepareEmulation(built.path, built.model, { fold: false });
    if (prepared.status !== 'ok') throw new Error(prepared.reason);
    try {
      const pass = await emulationPass(prepared.base, resolvePolicy(ascend, 'profile'), { thresholds });
      const empty = pass.nodes.find((n) => n.output === 'e2')!;
      expect(empty).toMatchObject({ elements: 0, cosine: 1, maxAbsError: 0, rmse: 0, referenceMaxAbs: 0, newNonFinite: 0 });
      expect(pass.nodes.find((n) => n.output === 'a')!.maxAbsError).toBeGreaterThan(0);
    } finally {
      await releaseEmulation(prepared.base);
    }
  });

  test('keeps the nodes it is told at fp32: the probe of a keep-fp32 search', async () => {
    const built = saveModel('chain-keep', chainSpec(6));
    const prepared = await prepareEmulation(built.path, built.model, { fold: false });
    if (prepared.status !== 'ok') throw new Error(prepared.reason);
    try {
      const policy = resolvePolicy(ascend, 'profile');
      const all = await emulationPass(prepared.base, policy, { thresholds });
      const kept = await emulationPass(prepared.base, policy, { thresholds, keepFp32: ['n2', 'n3'] });
      const error = (p: typeof all, node: string) => p.nodes.find((n) => n.node === node)!.maxAbsError;
      expect(error(all, 'n2')).toBeGreaterThan(0);
      // n2 reads n1's rounded output but computes and keeps fp32; n0 and n1 are as before.
      expect(error(kept, 'n0')).toBe(error(all, 'n0'));
      expect(kept.plan!.notEmulated.join('\n')).toMatch(/2 outputs of ops the policy keeps in their own precision \(Mul ×1, Add ×1\) are not rounded/);
    } finally {
      await releaseEmulation(prepared.base);
    }
  });

  test('an If body computes on the emulated values it reads from the main graph', async () => {
    const branch = (name: string, op: string) => ({
      name,
      inputs: [],
      outputs: [{ name: `${name}_out`, dtype: 'FLOAT' as const, dims: [1, 16] }],
      nodes: [{ opType: op, inputs: ['v', 'tenth'], outputs: [`${name}_out`] }],
    });
    const spec: ModelSpec = {
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [
          { opType: 'Mul', name: 'scale', inputs: ['x', 'third'], outputs: ['v'] },
          { opType: 'If', name: 'choose', inputs: ['flag'], outputs: ['y'], attributes: { then_branch: { g: branch('then', 'Add') }, else_branch: { g: branch('else', 'Sub') } } },
        ],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 16] }, { name: 'flag', dtype: 'BOOL', dims: [] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 16] }],
        initializers: [scalar('third', 1 / 3), scalar('tenth', 0.1)],
      },
    };
    const built = saveModel('if-body', spec);
    const result = await emulatePrecision(built.path, built.model, ascend, { fold: false });
    expect(result.status).toBe('ok');
    expect(result.outputs[0]).toMatchObject({ name: 'y', verdict: 'pass' });
    expect(result.outputs[0]!.metrics!.maxAbsError).toBeGreaterThan(0);
    expect(result.layerwise).toMatchObject({ compared: 2, chunks: 1 });
  });

  test('a model whose weights live in external data is emulated, its data file linked, never read', async () => {
    const spec = chainSpec(4);
    const weights = new Float32Array(16).map((_, i) => 1 + i / 7);
    spec.graph.nodes.push({ opType: 'Mul', name: 'weigh', inputs: ['y', 'w'], outputs: ['z'] });
    spec.graph.outputs = [{ name: 'z', dtype: 'FLOAT', dims: [1, 16] }];
    spec.graph.initializers!.push({ name: 'w', dtype: 'FLOAT', dims: [16], external: { location: 'w.bin', offset: 0, length: 64 } });
    const built = saveModel('external-weights', spec);
    writeFileSync(join(dirname(built.path), 'w.bin'), new Uint8Array(weights.buffer));
    const { loadModel } = await import('../../src/onnx/load.js');
    const model = await loadModel(built.path);
    const result = await emulatePrecision(built.path, model, ascend);
    expect(result.reason).toBeUndefined();
    expect(result.assumptions[0]).toMatch(/emulated as exported, without folding: the model keeps its weights in external data/);
    expect(result.outputs[0]).toMatchObject({ name: 'z', verdict: 'pass' });
    expect(result.outputs[0]!.metrics!.reference.maxAbs).toBeGreaterThan(0.1);
    expect(result.layerwise!.compared).toBe(5);
  });
});
