import { describe, expect, it } from 'vitest';
import type { GraphSpec, ModelSpec } from '../../src/onnx/model-spec.js';
import { f32 } from './models.js';
import { ASCEND, check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const scalar = (name: string, dtype: 'INT64' | 'BOOL') => ({ name, dtype, dims: [] as number[] });

const loopBody: GraphSpec = {
  nodes: [
    { opType: 'Identity', inputs: ['cond_in'], outputs: ['cond_out'] },
    { opType: 'Relu', inputs: ['v_in'], outputs: ['v_out'] },
  ],
  inputs: [scalar('i', 'INT64'), scalar('cond_in', 'BOOL'), f32('v_in')],
  outputs: [scalar('cond_out', 'BOOL'), f32('v_out')],
};

const branch = (op: string, out: string): GraphSpec => ({ nodes: [{ opType: op, inputs: ['x'], outputs: [out] }], inputs: [], outputs: [f32(out)] });

const loop: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [{ opType: 'Loop', name: 'loop', inputs: ['trips', 'cond', 'x'], outputs: ['y'], attributes: { body: { g: loopBody } } }],
    inputs: [f32('x'), scalar('trips', 'INT64'), scalar('cond', 'BOOL')],
    outputs: [f32('y')],
  },
};

/** An If whose then-branch holds another If: subgraphs two deep. */
const nestedIf: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [{
      opType: 'If', name: 'outer', inputs: ['cond'], outputs: ['y'],
      attributes: {
        then_branch: {
          g: {
            nodes: [{ opType: 'If', name: 'inner', inputs: ['cond'], outputs: ['t'], attributes: { then_branch: { g: branch('Relu', 'r') }, else_branch: { g: branch('Sigmoid', 's') } } }],
            inputs: [],
            outputs: [f32('t')],
          },
        },
        else_branch: { g: branch('Tanh', 'e') },
      },
    }],
    inputs: [f32('x'), scalar('cond', 'BOOL')],
    outputs: [f32('y')],
  },
};

describe('control-flow', () => {
  ruleTable('control-flow', [
    { name: 'Loop', model: loop, expect: gpuVsAscend(['control-flow-op supported'], ['control-flow-op unsupported']) },
    { name: 'nested If', model: nestedIf, expect: gpuVsAscend(['control-flow-op supported'], ['control-flow-op supported']) },
  ]);

  it('blocks a Loop on Ascend with the unroll remedy, and keeps it away from op-support', () => {
    for (const target of ASCEND) {
      const findings = check(loop, target);
      expect(ofRule(findings, 'op-support')).toEqual([]);
      const [finding] = ofRule(findings, 'control-flow');
      expect(finding).toMatchObject({ severity: 'error', op: 'Loop', nodeCount: 1 });
      expect(message(finding!)).toMatch(/^Loop \(1 node\) is unsupported: no ATC parser/);
      expect(remedy(finding!)).toContain('unroll');
    }
  });

  it('reports a supported If as info, counting nested ones and the nesting depth', () => {
    const [finding] = ofRule(check(nestedIf, 'ascend-910c'), 'control-flow');
    expect(finding).toMatchObject({ severity: 'info', level: 'supported', nodeCount: 2 });
    expect(message(finding!)).toBe('If (2 nodes) is supported; subgraphs nest 2 deep');
    expect(finding!.nodes.map((n) => n.name)).toEqual(['outer', 'inner']);
    expect(finding!.nodes[1]!.graph).toMatch(/^main\/outer\.then_branch/);
  });
});
