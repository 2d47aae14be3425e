import { describe, expect, it } from 'vitest';
import type { GraphSpec, ModelSpec } from '../../src/onnx/model-spec.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { f32, roundTrip } from './models.js';
import { TARGETS, check } from './run-checks.js';
import { message } from '../helpers/words.js';

describe('checks on hostile models', () => {
  it('treats op types and domains named like Object members as plain names', () => {
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'QLinear__proto__'];
    const spec: ModelSpec = {
      opsets: { 'ai.onnx': 17, constructor: 1 },
      graph: {
        nodes: [
          ...names.map((opType, i) => ({ opType, inputs: [i === 0 ? 'x' : `t${i - 1}`, ''], outputs: [`t${i}`] })),
          { opType: 'Relu', domain: 'constructor', inputs: [`t${names.length - 1}`], outputs: ['y'] },
          { opType: 'NoOutputs', domain: '__proto__', inputs: ['y'], outputs: [] },
        ],
        inputs: [f32('x')],
        outputs: [f32('y')],
      },
    };
    const facts = inspectModel(roundTrip(spec));
    expect(facts.ops.map((o) => `${o.domain}::${o.opType}`)).toContain('ai.onnx::__proto__');
    expect(facts.ops.find((o) => o.domain === '__proto__')!.opset).toBeUndefined();
    expect(facts.quantization.schemes.map((s) => s.scheme)).toEqual(['qlinear']);
    for (const target of TARGETS) {
      const findings = check(spec, target);
      for (const f of findings) expect(message(f)).not.toMatch(/\{\w+\}|function|undefined|NaN/);
      expect(findings.filter((f) => f.rule === 'op-support').map((f) => f.op)).toEqual(
        expect.arrayContaining(['constructor', '__proto__', 'toString', 'hasOwnProperty']),
      );
      expect(findings.filter((f) => f.rule === 'custom-domains').map((f) => f.domain)).toEqual(['__proto__', 'constructor']);
    }
  });

  it('walks If branches nested 200 deep without recursion', () => {
    let inner: GraphSpec = { nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['r'] }], inputs: [], outputs: [f32('r')] };
    for (let depth = 0; depth < 200; depth++) {
      const other: GraphSpec = { nodes: [], inputs: [], outputs: [f32('x')] };
      inner = {
        nodes: [{ opType: 'If', inputs: ['cond'], outputs: [`o${depth}`], attributes: { then_branch: { g: inner }, else_branch: { g: other } } }],
        inputs: [],
        outputs: [f32(`o${depth}`)],
      };
    }
    const spec: ModelSpec = {
      opsets: { 'ai.onnx': 17 },
      graph: { ...inner, inputs: [f32('x'), { name: 'cond', dtype: 'BOOL', dims: [] }], outputs: [f32('o199')] },
    };
    const model = roundTrip(spec);
    const facts = inspectModel(model);
    expect(facts.controlFlow[0]!.nodeCount).toBe(200);
    const [finding] = check(model, 'ascend-910b').filter((f) => f.rule === 'control-flow');
    expect(message(finding!)).toBe('If (200 nodes) is supported; subgraphs nest 200 deep');
  });
});
