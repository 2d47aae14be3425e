import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { convRelu, f32 } from './models.js';
import { TARGETS, check, everywhere, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const cyclic: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [
      { opType: 'Add', name: 'add', inputs: ['x', 'back'], outputs: ['sum'] },
      { opType: 'Relu', name: 'relu', inputs: ['sum'], outputs: ['back'] },
      { opType: 'Identity', name: 'out', inputs: ['back'], outputs: ['y'] },
    ],
    inputs: [f32('x')],
    outputs: [f32('y')],
  },
};

const undefinedInput: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: { nodes: [{ opType: 'Add', name: 'add', inputs: ['x', 'ghost'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')] },
};

const duplicateOutput: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [
      { opType: 'Relu', name: 'first', inputs: ['x'], outputs: ['y'] },
      { opType: 'Sigmoid', name: 'second', inputs: ['x'], outputs: ['y'] },
    ],
    inputs: [f32('x')],
    outputs: [f32('y')],
  },
};

const missingOutput: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: { nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y'), f32('z')] },
};

const duplicateInput: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: { nodes: [{ opType: 'Relu', name: 'relu', inputs: ['x'], outputs: ['y'] }], inputs: [f32('x'), f32('x')], outputs: [f32('y')] },
};

/** IR < 4 style: weights listed as graph inputs too. Legal. */
const weightAsInput: ModelSpec = {
  irVersion: 3,
  opsets: { 'ai.onnx': 8 },
  graph: {
    nodes: [{ opType: 'Add', name: 'add', inputs: ['x', 'w'], outputs: ['y'] }],
    inputs: [f32('x', [2]), f32('w', [2])],
    initializers: [{ name: 'w', dtype: 'FLOAT', dims: [2], floats: [1, 2] }],
    outputs: [f32('y', [2])],
  },
};

/** A subgraph that reads a main-graph value: legal, not an undefined input. */
const outerScope: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [{
      opType: 'If', name: 'if', inputs: ['cond'], outputs: ['y'],
      attributes: {
        then_branch: { g: { nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['t'] }], inputs: [], outputs: [f32('t')] } },
        else_branch: { g: { nodes: [], inputs: [], outputs: [f32('x')] } },
      },
    }],
    inputs: [f32('x'), { name: 'cond', dtype: 'BOOL', dims: [] }],
    outputs: [f32('y')],
  },
};

describe('graph-integrity', () => {
  ruleTable('graph-integrity', [
    { name: 'a well-formed model', model: convRelu(17), expect: everywhere([]) },
    { name: 'a subgraph reading the outer scope', model: outerScope, expect: everywhere([]) },
    { name: 'a cycle', model: cyclic, expect: everywhere(['cyclic-graph unsupported']) },
    { name: 'an input nothing defines', model: undefinedInput, expect: everywhere(['undefined-input unsupported']) },
    { name: 'a value assigned twice', model: duplicateOutput, expect: everywhere(['duplicate-output unsupported']) },
    { name: 'an output nothing produces', model: missingOutput, expect: everywhere(['missing-graph-output unsupported']) },
    { name: 'a graph input declared twice', model: duplicateInput, expect: everywhere(['duplicate-output unsupported']) },
    { name: 'a weight also listed as an input (IR 3)', model: weightAsInput, expect: everywhere([]) },
  ]);

  it('names a graph input declared twice', () => {
    const [finding] = ofRule(check(duplicateInput, 'h20'), 'graph-integrity');
    expect(message(finding!)).toBe('The model is malformed: in graph main, values are assigned more than once: x');
  });

  it('says the model is malformed and names the nodes on the cycle', () => {
    for (const target of TARGETS) {
      const [finding] = ofRule(check(cyclic, target), 'graph-integrity');
      expect(finding!.severity).toBe('error');
      expect(message(finding!)).toBe('The model is malformed: graph main has a cycle (3 nodes in or behind it: add, relu, out)');
      expect(finding!.nodes.map((n) => n.name)).toEqual(['add', 'relu', 'out']);
      expect(remedy(finding!)).toContain('onnx.checker');
    }
  });

  it('names undefined values, and the nodes that read them', () => {
    const [finding] = ofRule(check(undefinedInput, 'h20'), 'graph-integrity');
    expect(message(finding!)).toBe('The model is malformed: in graph main, node inputs name values nothing defines: ghost (read by 1 node)');
    expect(finding!.nodes).toEqual([{ name: 'add', graph: 'main', index: 0 }]);
  });

  it('handles a long cycle without recursion', () => {
    const n = 100_000;
    const nodes = Array.from({ length: n }, (_, i) => ({ opType: 'Relu', inputs: [`v${(i + n - 1) % n}`], outputs: [`v${i}`] }));
    const model: ModelSpec = { opsets: { 'ai.onnx': 17 }, graph: { nodes, inputs: [f32('x')], outputs: [f32('v0')] } };
    const [finding] = ofRule(check(model, 'h20'), 'graph-integrity');
    expect(finding).toMatchObject({ code: 'cyclic-graph', nodeCount: n });
    expect(finding!.nodes).toHaveLength(20);
  });
});
