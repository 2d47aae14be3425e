import { describe, expect, test } from 'vitest';
import { encodeModel } from '../../src/onnx/writer.js';
import { decodeModel } from '../../src/onnx/decode.js';
import type { GraphSpec } from '../../src/onnx/model-spec.js';
import { concat, ldTag, modelAround, msg, nest, varint } from './raw-proto.js';

const leaf = (name: string): GraphSpec => ({
  name,
  nodes: [{ opType: 'Identity', name: `${name}_id`, inputs: ['x'], outputs: [`${name}_out`] }],
  inputs: [],
  outputs: [{ name: `${name}_out`, dtype: 'FLOAT', dims: [1] }],
});

describe('subgraphs become a flat list with readable paths', () => {
  // If(outer) → then: Loop(loop) → body: If(nameless) → else_branch
  const model = decodeModel(encodeModel({
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [
        { opType: 'Relu', name: 'pre', inputs: ['x'], outputs: ['c'] },
        {
          opType: 'If', name: 'outer', inputs: ['c'], outputs: ['y'],
          attributes: {
            then_branch: {
              g: {
                name: 'then',
                nodes: [{
                  opType: 'Loop', name: 'loop', inputs: ['n', 'c'], outputs: ['z'],
                  attributes: {
                    body: {
                      g: {
                        name: 'body',
                        nodes: [
                          { opType: 'Identity', inputs: ['c'], outputs: ['c2'] },
                          { opType: 'If', inputs: ['c'], outputs: ['w'], attributes: { then_branch: { g: leaf('deep_then') }, else_branch: { g: leaf('deep_else') } } },
                        ],
                        inputs: [], outputs: [],
                      },
                    },
                  },
                }],
                inputs: [], outputs: [],
              },
            },
            else_branch: { g: leaf('else') },
          },
        },
      ],
      inputs: [{ name: 'x', dtype: 'BOOL', dims: [] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1] }],
    },
  }));

  test('paths, kinds, depths and names in breadth-first order', () => {
    expect(model.graphs.map((g) => [g.id, g.path, g.kind, g.depth, g.name])).toEqual([
      [0, 'main', 'main', 0, 'graph'],
      [1, 'main/outer.then_branch', 'subgraph', 1, 'then'],
      [2, 'main/outer.else_branch', 'subgraph', 1, 'else'],
      [3, 'main/outer.then_branch/loop.body', 'subgraph', 2, 'body'],
      [4, 'main/outer.then_branch/loop.body/If#1.then_branch', 'subgraph', 3, 'deep_then'],
      [5, 'main/outer.then_branch/loop.body/If#1.else_branch', 'subgraph', 3, 'deep_else'],
    ]);
  });

  test('each subgraph names its parent graph, node and attribute; attributes list their graph ids', () => {
    expect(model.graphs.map((g) => g.parent)).toEqual([
      undefined,
      { graphId: 0, nodeIndex: 1, attribute: 'then_branch' },
      { graphId: 0, nodeIndex: 1, attribute: 'else_branch' },
      { graphId: 1, nodeIndex: 0, attribute: 'body' },
      { graphId: 3, nodeIndex: 1, attribute: 'then_branch' },
      { graphId: 3, nodeIndex: 1, attribute: 'else_branch' },
    ]);
    expect(model.graphs[0]!.nodes[1]!.attributes.map((a) => a.graphIds)).toEqual([[1], [2]]);
    expect(model.graphs[3]!.nodes[1]!.graphId).toBe(3);
    expect(model.graphs[5]!.nodes[0]).toMatchObject({ graphId: 5, name: 'deep_else_id' });
  });

  test('subgraphs see the model\'s opset imports', () => {
    expect(model.graphs.every((g) => g.opsetImports['ai.onnx'] === 17)).toBe(true);
  });
});

test('two nodes with the same name still give unique paths; a leading "/" of PyTorch names is dropped', () => {
  const ifNode = { opType: 'If', name: '/model/If', inputs: ['c'], outputs: ['y'], attributes: { then_branch: { g: leaf('a') }, else_branch: { g: leaf('b') } } };
  const model = decodeModel(encodeModel({
    opsets: { 'ai.onnx': 17 },
    graph: { nodes: [ifNode, { ...ifNode, outputs: ['y2'] }], inputs: [], outputs: [] },
  }));
  const paths = model.graphs.map((g) => g.path);
  expect(paths).toEqual([
    'main', 'main/model/If.then_branch', 'main/model/If.else_branch',
    'main/model/If.then_branch~3', 'main/model/If.else_branch~4',
  ]);
  expect(new Set(paths).size).toBe(paths.length);
});

/**
 * `levels` Ifs, each holding the next in its then_branch: built as bytes directly (a recursive
 * writer would itself overflow). Fields are ordered so that every layer is a pure prefix.
 */
function deepIfModel(levels: number): Uint8Array {
  const innermost = msg([1, 'bytes', msg([4, 'bytes', 'Relu'])]);
  const graph = nest(innermost, levels, (innerLength) => {
    const attrHead = concat(msg([1, 'bytes', 'then_branch'], [20, 'varint', 5]), ldTag(6), varint(innerLength));
    const attrLength = attrHead.length + innerLength;
    const nodeHead = concat(msg([4, 'bytes', 'If']), ldTag(5), varint(attrLength));
    const nodeLength = nodeHead.length + attrLength;
    return concat(ldTag(1), varint(nodeLength), nodeHead, attrHead);
  });
  return modelAround(graph);
}

describe('hostile nesting', () => {
  test('5000 nested If subgraphs decode without stack overflow, in bounded time', () => {
    const bytes = deepIfModel(5000);
    const started = performance.now();
    const model = decodeModel(bytes);
    const elapsed = performance.now() - started;
    expect(model.graphs).toHaveLength(5001);
    expect(model.graphs[5000]).toMatchObject({ depth: 5000, parent: { graphId: 4999, nodeIndex: 0, attribute: 'then_branch' } });
    expect(model.graphs[5000]!.nodes[0]!.opType).toBe('Relu');
    expect(model.graphs[3]!.path).toBe('main/If#0.then_branch/If#0.then_branch/If#0.then_branch');
    // Deep paths are shortened, yet stay unique.
    expect(Math.max(...model.graphs.map((g) => g.path.length))).toBeLessThanOrEqual(1100);
    expect(new Set(model.graphs.map((g) => g.path)).size).toBe(5001);
    expect(elapsed).toBeLessThan(5000); // ~0.1 s alone; generous for a loaded CI machine
  });

  test('30,000 levels cost time linear in the bytes', () => {
    const bytes = deepIfModel(30_000);
    const started = performance.now();
    const model = decodeModel(bytes);
    expect(model.graphs).toHaveLength(30_001);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
