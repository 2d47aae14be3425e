import { describe, expect, test } from 'vitest';
import type { GraphSpec, ModelSpec, TensorSpec } from '../../src/onnx/model-spec.js';
import { planRounding } from '../../src/precision/emulate-model.js';
import { emulationPass, prepareEmulation, releaseEmulation, type EmulationPass } from '../../src/precision/emulation-pass.js';
import { resolveThresholds } from '../../src/precision/thresholds.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { resolvePolicy } from '../../src/profiles/precision-policy.js';
import { saveModel, scalar } from './built-models.js';

const ascend = loadBuiltinProfile('ascend-910b');
const thresholds = resolveThresholds();
const fp16 = resolvePolicy(ascend, 'profile');

const yes: TensorSpec = { name: 'yes', dtype: 'BOOL', dims: [], raw: new Uint8Array([1]) };
const int64 = (name: string, value: bigint): TensorSpec => ({ name, dtype: 'INT64', dims: [], raw: new Uint8Array(new BigInt64Array([value]).buffer) });
const row = (name: string) => ({ name, dtype: 'FLOAT' as const, dims: [1, 16] });

/**
 * out = (v + 2048) − 2048: exact in fp32 for v in [0, 1) (fp32's step at 2048 is 2^-12), while in
 * fp16 v + 2048 rounds to 2048 or 2050 (its step there is 2), so the difference is 0 or 2.
 */
function cancelling(name: string, v: string, out: string): GraphSpec {
  return {
    name,
    inputs: [],
    outputs: [row(out)],
    initializers: [scalar(`${name}_big`, 2048)],
    nodes: [
      { opType: 'Add', name: `${name}_add`, inputs: [v, `${name}_big`], outputs: [`${name}_shifted`] },
      { opType: 'Sub', name: `${name}_sub`, inputs: [`${name}_shifted`, `${name}_big`], outputs: [out] },
    ],
  };
}

function model(nodes: ModelSpec['graph']['nodes'], initializers: TensorSpec[] = []): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17 },
    graph: { nodes, inputs: [row('x')], outputs: [row('y')], initializers: [yes, ...initializers] },
  };
}

const ifSpec = model([
  { opType: 'If', name: 'choose', inputs: ['yes'], outputs: ['y'], attributes: { then_branch: { g: cancelling('then', 'x', 'then_out') }, else_branch: { g: cancelling('else', 'x', 'else_out') } } },
]);

/** Three iterations of s ← ((s + 2048) − 2048) + 0.001 + 0·float(i + 1), the last term an int64 value cast to float. */
const loopSpec = model(
  [{
    opType: 'Loop', name: 'repeat', inputs: ['trips', 'yes', 'x'], outputs: ['y'],
    attributes: {
      body: {
        g: {
          name: 'body',
          inputs: [{ name: 'i', dtype: 'INT64', dims: [] }, { name: 'go', dtype: 'BOOL', dims: [] }, row('s')],
          outputs: [{ name: 'go_on', dtype: 'BOOL', dims: [] }, row('s_next')],
          initializers: [scalar('big', 2048), scalar('step', 0.001), scalar('nothing', 0), int64('one', 1n)],
          nodes: [
            { opType: 'Identity', inputs: ['go'], outputs: ['go_on'] },
            { opType: 'Add', name: 'shift', inputs: ['s', 'big'], outputs: ['shifted'] },
            { opType: 'Sub', name: 'unshift', inputs: ['shifted', 'big'], outputs: ['back'] },
            { opType: 'Add', name: 'count', inputs: ['i', 'one'], outputs: ['i1'] },
            { opType: 'Cast', name: 'as_float', inputs: ['i1'], outputs: ['i1f'], attributes: { to: { i: 1 } } },
            { opType: 'Mul', name: 'times_zero', inputs: ['i1f', 'nothing'], outputs: ['zero'] },
            { opType: 'Add', name: 'plus_zero', inputs: ['back', 'zero'], outputs: ['same'] },
            { opType: 'Add', name: 'advance', inputs: ['same', 'step'], outputs: ['s_next'] },
          ],
        },
      },
    },
  }],
  [int64('trips', 3n)],
);

/** An If whose then-branch holds another If, whose branches cancel. */
const nestedSpec = model([
  {
    opType: 'If', name: 'outer', inputs: ['yes'], outputs: ['y'],
    attributes: {
      then_branch: {
        g: {
          name: 'outer_then', inputs: [], outputs: [row('inner_out')],
          nodes: [{
            opType: 'If', name: 'inner', inputs: ['yes'], outputs: ['inner_out'],
            attributes: { then_branch: { g: cancelling('inner_then', 'x', 'inner_then_out') }, else_branch: { g: cancelling('inner_else', 'x', 'inner_else_out') } },
          }],
        },
      },
      else_branch: { g: cancelling('outer_else', 'x', 'outer_else_out') },
    },
  },
]);

/** The pass under the profile's fp16 policy, and with `keep` kept in fp32. */
async function passes(name: string, spec: ModelSpec, keep: string): Promise<{ all: EmulationPass; kept: EmulationPass }> {
  const built = saveModel(name, spec);
  const prepared = await prepareEmulation(built.path, built.model, { fold: false });
  if (prepared.status !== 'ok') throw new Error(prepared.reason);
  try {
    const all = await emulationPass(prepared.base, fp16, { thresholds });
    const kept = await emulationPass(prepared.base, fp16, { thresholds, keepFp32: [keep] });
    return { all, kept };
  } finally {
    await releaseEmulation(prepared.base);
  }
}

const metricsOf = (p: EmulationPass) => {
  expect(p.reason).toBeUndefined();
  expect(p.status).toBe('ok');
  return p.outputs[0]!.metrics!;
};

describe('emulation inside If/Loop/Scan bodies', () => {
  test('an If branch that fp16 ruins drifts at the If output; kept in fp32, its body is not rounded', async () => {
    const { all, kept } = await passes('body-if', ifSpec, 'choose');
    // fp16 rounds x + 2048 to 2048 or 2050: the output is 0 or 2 where the reference is x in [0, 1).
    expect(metricsOf(all).maxAbsError).toBeGreaterThan(0.5);
    expect(metricsOf(all).cosine).toBeLessThan(0.9);
    // Kept, only x (rounded where it is fed) and nothing else: the error is fp16's step below 1.
    expect(metricsOf(kept).maxAbsError).toBeLessThan(1e-3);
    expect(all.plan!.emulated.join('\n')).toMatch(/inside If\/Loop\/Scan bodies: 2 float weights and 4 node outputs rounded as in the main graph/);
    expect(all.plan!.notEmulated.join('\n')).toMatch(
      /values computed inside 2 subgraph bodies \(of If 'choose'\) are rounded as main-graph values are; only main-graph values are exposed and compared node by node/,
    );
    expect(all.plan!.notEmulated.join('\n')).not.toMatch(/keep their precision/);
  });

  test('a Loop body accumulating through fp16 drifts; its int64 values are not rounded and the model runs', async () => {
    const { all, kept } = await passes('body-loop', loopSpec, 'repeat');
    // Reference x + 0.003; emulated: each trip's x + 2048 loses x, leaving about 0.001.
    expect(metricsOf(all).maxAbsError).toBeGreaterThan(0.5);
    expect(metricsOf(kept).maxAbsError).toBeLessThan(1e-3);
    // The int64 count and its Cast to float are not rounded; the body's float values are.
    const built = saveModel('body-loop-plan', loopSpec);
    const types = new Map([['y', 'FLOAT' as const]]);
    const plan = planRounding(built.model, types, fp16, { bodies: true });
    const body = [...plan.bodyRounding!.values()][0]!;
    expect([...body.outputs.keys()].sort()).toEqual(['back', 's_next', 'same', 'shifted', 'zero']);
    expect([...body.weights.keys()].sort()).toEqual(['big', 'nothing', 'step']);
    // The Identity of a BOOL is not of unknown type: the body's input states it.
    expect(plan.notEmulated.join('\n')).not.toMatch(/unknown element type/);
  });

  test('an If nested inside an If is rounded too', async () => {
    const { all, kept } = await passes('body-nested-if', nestedSpec, 'outer');
    expect(metricsOf(all).maxAbsError).toBeGreaterThan(0.5);
    expect(metricsOf(kept).maxAbsError).toBeLessThan(1e-3);
  });

  test('a body value of unknown element type is left alone, and counted in the note', () => {
    const spec = model([
      {
        opType: 'If', name: 'choose', inputs: ['yes'], outputs: ['y'],
        attributes: {
          then_branch: {
            g: {
              name: 't', inputs: [], outputs: [row('t_out')],
              nodes: [
                { opType: 'Custom', domain: 'example.com', inputs: ['x'], outputs: ['c'] },
                { opType: 'Identity', inputs: ['c'], outputs: ['t_out'] },
              ],
            },
          },
          else_branch: { g: cancelling('e', 'x', 'e_out') },
        },
      },
    ]);
    const built = saveModel('body-unknown', spec);
    const plan = planRounding(built.model, new Map([['y', 'FLOAT' as const]]), fp16, { bodies: true });
    expect(plan.notEmulated.join('\n')).toMatch(/are rounded as main-graph values are, except 1 body value of unknown element type, left as they are/);
    const then = [...plan.bodyRounding!].find(([id]) => built.model.graphs[id]!.name === 't')![1];
    expect([...then.outputs.keys()]).toEqual(['t_out']);
  });
});
