import { describe, expect, it } from 'vitest';
import { convRelu, f32, singleOp } from './models.js';
import { ASCEND, check, coverage, errors, everywhere, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

describe('op-support', () => {
  ruleTable('op-support', [
    { name: 'Conv + Relu at opset 17', model: convRelu(17), expect: everywhere([]) },
    // Opset 19 is past Ascend's window: opset-window says so once, op-support does not repeat it per op.
    { name: 'Conv + Relu at opset 19', model: convRelu(19), expect: everywhere([]) },
    // ATC's parser list is complete for ai.onnx: no registration is its E16002 error. ORT may still
    // run an op it has no kernel for (a function op is expanded), so the GPU side cannot tell.
    { name: 'an ai.onnx op no parser or kernel is registered for', model: singleOp({ opType: 'FrobnicateV2' }), expect: gpuVsAscend(['unknown-op unknown'], ['unsupported-op unsupported']) },
    {
      name: 'STFT (no ATC parser; CPU fallback in ORT)',
      model: singleOp({ opType: 'STFT', name: 'stft' }),
      expect: gpuVsAscend(['degraded-op degraded'], ['unsupported-op unsupported']),
    },
    {
      // Resize arrived at opset 10; at opset 9 ATC has no parser registration for it.
      name: 'Resize at opset 9',
      model: singleOp({ opType: 'Resize', name: 'resize' }, { opsets: { 'ai.onnx': 9 } }),
      expect: gpuVsAscend(['op-opset-unknown unknown'], ['op-opset-unsupported unsupported']),
    },
    {
      // ORT's CUDA Conv takes bf16 only from opset 22.
      name: 'bf16 Conv at opset 17',
      model: convRelu(17, { name: 'x', dtype: 'BFLOAT16', dims: [1, 3, 8, 8] }),
      expect: gpuVsAscend(['dtype-not-listed degraded'], []),
    },
    {
      name: 'a call to a model-local function',
      model: {
        opsets: { 'ai.onnx': 17, 'local.fns': 1 },
        graph: { nodes: [{ opType: 'Swish', domain: 'local.fns', inputs: ['x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')] },
        functions: [{
          domain: 'local.fns', name: 'Swish', inputs: ['X'], outputs: ['Y'], opsets: { 'ai.onnx': 17 },
          nodes: [{ opType: 'Sigmoid', inputs: ['X'], outputs: ['S'] }, { opType: 'Mul', inputs: ['X', 'S'], outputs: ['Y'] }],
        }],
      },
      expect: everywhere([]),
    },
  ]);

  it('never counts an op without evidence as supported', () => {
    expect(coverage(singleOp({ opType: 'FrobnicateV2' }), 'h20')).toEqual({ supported: 0, degraded: 0, unsupported: 0, unknown: 1 });
    for (const target of ASCEND) {
      expect(coverage(singleOp({ opType: 'FrobnicateV2' }), target)).toEqual({ supported: 0, degraded: 0, unsupported: 1, unknown: 0 });
    }
  });

  it('tells the user what to do about an op without evidence, naming the op and the toolchain', () => {
    const [finding] = ofRule(check(singleOp({ opType: 'FrobnicateV2', name: 'frob' }), 'h20'), 'op-support');
    expect(finding).toMatchObject({ severity: 'warning', op: 'FrobnicateV2', domain: 'ai.onnx', opset: 17, nodeCount: 1 });
    expect(message(finding!)).toBe('FrobnicateV2 (1 node, opset 17): no evidence whether the target supports it');
    expect(remedy(finding!)).toContain('ONNX Runtime');
    expect(finding!.nodes).toEqual([{ name: 'frob', graph: 'main', index: 0 }]);
  });

  it('says an ai.onnx op without a parser registration stops ATC, naming the error (defect: NegativeLogLikelihoodLoss, SequenceMap, TfIdfVectorizer read unknown)', () => {
    for (const op of ['NegativeLogLikelihoodLoss', 'SequenceMap', 'TfIdfVectorizer']) {
      for (const target of ASCEND) {
        const [finding] = ofRule(check(singleOp({ opType: op }), target), 'op-support');
        expect(finding, `${op} ${target}`).toMatchObject({ code: 'unsupported-op', level: 'unsupported', severity: 'error' });
        expect(message(finding!), op).toMatch(/No parser is registered/);
      }
    }
  });

  it('gives AI CPU placement a degraded verdict with the reason (defect: no op ever got an AI CPU verdict)', () => {
    for (const target of ASCEND) {
      const [finding] = ofRule(check(singleOp({ opType: 'SequenceEmpty' }), target), 'op-support');
      expect(finding, target).toMatchObject({ code: 'degraded-op', level: 'degraded', severity: 'warning' });
      expect(message(finding!)).toMatch(/^SequenceEmpty \(1 node\) runs at a cost on AI CPU: .*ImplyType::AI_CPU/);
    }
  });

  it('prints every opset range an op is registered for (defect: Upsample said 8-9 only)', () => {
    for (const target of ASCEND) {
      const [finding] = ofRule(check(singleOp({ opType: 'Upsample', inputs: ['x', 'scales'] }, {
        opsets: { 'ai.onnx': 10 },
        initializers: [{ name: 'scales', dtype: 'FLOAT', dims: [4], floats: [1, 1, 2, 2] }],
      }), target), 'op-support');
      expect(message(finding!)).toMatch(/is registered for opsets 8-9, 11-16 only; the model imports opset 10$/);
    }
  });

  it('says why an op is unsupported and carries the profile\'s remedy and evidence', () => {
    const [finding] = ofRule(check(singleOp({ opType: 'STFT', name: 'stft' }), 'ascend-910c'), 'op-support');
    expect(message(finding!)).toMatch(/^STFT \(1 node\) is not supported: no ATC parser/);
    expect(remedy(finding!)).toMatch(/host|DFT/);
    expect(finding!.source.join(' ')).toMatch(/atc|ATC|CANN/);
    expect(finding!.effort).not.toBe('none');
  });

  it('names the dtype the target does not list and the ones it does', () => {
    const [finding] = ofRule(check(convRelu(17, { name: 'x', dtype: 'BFLOAT16', dims: [1, 3, 8, 8] }), 'h20'), 'op-support');
    expect(message(finding!)).toBe('Conv (1 node) is fed BFLOAT16; the target lists it for fp64, fp32, fp16 only');
  });

  it('finds nothing to port in a plain Conv + Relu model on any target', () => {
    for (const target of ['h20', ...ASCEND] as const) expect(errors(check(convRelu(17), target))).toEqual([]);
    expect(coverage(convRelu(17), 'ascend-910c')).toEqual({ supported: 2, degraded: 0, unsupported: 0, unknown: 0 });
  });
});
