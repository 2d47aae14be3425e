/**
 * Structurally broken graphs through the CLI: each fault is a graph-integrity finding on every
 * target and exit 1 (the model is reported on, not refused, and nothing crashes). The rule's own
 * tests (test/checks/graph-integrity.test.ts) cover the wording; these prove the whole path.
 */
import { describe, expect, it } from 'vitest';
import type { GraphSpec } from '../../src/onnx/model-spec.js';
import { expectSaneOutcome, formatAll } from '../fuzz/pipeline.js';
import { TARGETS, cliJson, codesOf, f32, modelOf, tempFolder, writeModel } from './hostile-files.js';

const dir = tempFolder('integrity');

const CASES: { name: string; graph: GraphSpec; code: string }[] = [
  {
    name: 'a cycle (Add → Relu → Add)',
    code: 'cyclic-graph',
    graph: {
      nodes: [
        { opType: 'Add', name: 'add', inputs: ['x', 'back'], outputs: ['sum'] },
        { opType: 'Relu', name: 'relu', inputs: ['sum'], outputs: ['back'] },
        { opType: 'Identity', name: 'out', inputs: ['back'], outputs: ['y'] },
      ],
      inputs: [f32('x')],
      outputs: [f32('y')],
    },
  },
  {
    name: 'a node that reads itself',
    code: 'cyclic-graph',
    graph: { nodes: [{ opType: 'Add', name: 'self', inputs: ['x', 'y'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')] },
  },
  {
    name: 'two nodes writing one value',
    code: 'duplicate-output',
    graph: {
      nodes: [
        { opType: 'Relu', name: 'first', inputs: ['x'], outputs: ['y'] },
        { opType: 'Sigmoid', name: 'second', inputs: ['x'], outputs: ['y'] },
      ],
      inputs: [f32('x')],
      outputs: [f32('y')],
    },
  },
  {
    name: 'a node writing over a graph input',
    code: 'duplicate-output',
    graph: { nodes: [{ opType: 'Relu', name: 'clobber', inputs: ['x'], outputs: ['x'] }], inputs: [f32('x')], outputs: [f32('x')] },
  },
  {
    name: 'a node reading a value nothing defines',
    code: 'undefined-input',
    graph: { nodes: [{ opType: 'Add', name: 'add', inputs: ['x', 'ghost'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')] },
  },
  {
    name: 'a graph output nobody produces',
    code: 'missing-graph-output',
    graph: { nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y'), f32('nobody')] },
  },
  {
    name: 'a fault inside an If branch',
    code: 'undefined-input',
    graph: {
      nodes: [{
        opType: 'If', name: 'if', inputs: ['c'], outputs: ['y'],
        attributes: {
          then_branch: { g: { nodes: [{ opType: 'Relu', inputs: ['phantom'], outputs: ['t'] }], inputs: [], outputs: [f32('t')] } },
          else_branch: { g: { nodes: [], inputs: [], outputs: [f32('x')] } },
        },
      }],
      inputs: [f32('x'), { name: 'c', dtype: 'BOOL', dims: [] }],
      outputs: [f32('y')],
    },
  },
];

describe('broken graphs are graph-integrity findings, exit 1', () => {
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const c = CASES[i]!;
    const file = `integrity-${i}.onnx`;
    writeModel(dir, file, modelOf(c.graph));
    const r = await cliJson(file, dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    for (const target of r.report!.targets) {
      const found = target.findings.filter((f) => f.rule === 'graph-integrity').map((f) => `${f.code} ${f.severity}`);
      expect(found, target.id).toContain(`${c.code} error`);
      expect(target.verdict).toBe('blocked');
    }
    expect(r.report!.targets.map((t) => t.id)).toEqual([...TARGETS]);
    expectSaneOutcome({ kind: 'report', report: r.report!, outputs: formatAll(r.report!) }, file);
  });

  it('all four faults in one model: all four reported, once per target', async () => {
    writeModel(dir, 'everything.onnx', modelOf({
      nodes: [
        { opType: 'Add', name: 'add', inputs: ['x', 'back'], outputs: ['sum'] },
        { opType: 'Relu', name: 'relu', inputs: ['sum'], outputs: ['back'] },
        { opType: 'Sigmoid', name: 'dup', inputs: ['x'], outputs: ['sum'] },
        { opType: 'Mul', name: 'mul', inputs: ['x', 'ghost'], outputs: ['y'] },
      ],
      inputs: [f32('x')],
      outputs: [f32('y'), f32('nobody')],
    }));
    const r = await cliJson('everything.onnx', dir);
    expect(r.code, r.stderr).toBe(1);
    expect(codesOf(r.report!, 'graph-integrity').sort()).toEqual([
      'graph-integrity/cyclic-graph', 'graph-integrity/duplicate-output', 'graph-integrity/missing-graph-output', 'graph-integrity/undefined-input',
    ]);
    for (const t of r.report!.targets) expect(t.findings.filter((f) => f.rule === 'graph-integrity')).toHaveLength(4);
  });

  it('a 50,000-node cycle is found in bounded time', async () => {
    const n = 50_000;
    const nodes = Array.from({ length: n }, (_, i) => ({ opType: 'Relu', inputs: [`v${(i + n - 1) % n}`], outputs: [`v${i}`] }));
    writeModel(dir, 'long-cycle.onnx', modelOf({ nodes, inputs: [f32('x')], outputs: [f32('v0')] }));
    const started = performance.now();
    const r = await cliJson('long-cycle.onnx', dir);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(r.code, r.stderr).toBe(1);
    const cycle = r.report!.targets[0]!.findings.find((f) => f.code === 'cyclic-graph')!;
    expect(cycle).toMatchObject({ nodeCount: n });
    expect(cycle.nodes).toHaveLength(20);
  });
});
