import { describe, expect, test } from 'vitest';
import { encodeModel } from '../../src/onnx/writer.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { tensorFromFloats, tensorFromInts } from '../../src/onnx/tensor-data.js';
import { DATA_TYPES, byteSizeOf } from '../../src/onnx/data-types.js';
import type { GraphSpec, ModelSpec } from '../../src/onnx/model-spec.js';
import { modelAround, msg } from './raw-proto.js';

const relu: GraphSpec = {
  nodes: [{ opType: 'Relu', name: 'relu', inputs: ['x'], outputs: ['y'] }],
  inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1] }],
  outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1] }],
};

function roundTrip(spec: ModelSpec) {
  return decodeModel(encodeModel(spec));
}

describe('model header', () => {
  test('producer, doc string, metadata and file size come back', () => {
    const bytes = encodeModel({
      irVersion: 9, opsets: { 'ai.onnx': 18 }, producerName: 'pytorch', producerVersion: '2.4.0',
      docString: 'a doc', metadata: { author: 'me', license: 'MIT' }, graph: { ...relu, name: 'torch_jit' },
    });
    const model = decodeModel(bytes, { path: 'm.onnx' });
    expect(model).toMatchObject({
      path: 'm.onnx', fileBytes: bytes.length, irVersion: 9, producerName: 'pytorch', producerVersion: '2.4.0',
      docString: 'a doc', metadata: { author: 'me', license: 'MIT' }, warnings: [],
    });
    expect(model.graphs[0]).toMatchObject({ id: 0, kind: 'main', name: 'torch_jit', path: 'main', depth: 0 });
  });

  test.each([3, 7, 10, 11])('IR version %i decodes without warnings', (irVersion) => {
    const model = roundTrip({ irVersion, opsets: { 'ai.onnx': 13 }, graph: relu });
    expect(model.irVersion).toBe(irVersion);
    expect(model.warnings).toEqual([]);
  });

  test('a newer IR version is decoded with a warning', () => {
    const model = roundTrip({ irVersion: 14, opsets: { 'ai.onnx': 23 }, graph: relu });
    expect(model.graphs[0]!.nodes[0]!.opType).toBe('Relu');
    expect(model.warnings).toEqual([expect.stringMatching(/IR version 14 is newer than port-check knows/)]);
  });

  test('a pre-1.0 or missing IR version is a warning, not an error', () => {
    const noIr = decodeModel(msg([7, 'bytes', msg([1, 'bytes', msg([4, 'bytes', 'Relu'])])]));
    expect(noIr.irVersion).toBe(0);
    expect(noIr.warnings).toEqual([expect.stringMatching(/no IR version/)]);
    const ir2 = decodeModel(msg([1, 'varint', 2], [7, 'bytes', msg()]));
    expect(ir2.warnings).toEqual([expect.stringMatching(/IR version 2 predates ONNX 1.0/)]);
  });
});

describe('opset imports and domains', () => {
  test('opsets per domain, with the default domain stored as ai.onnx', () => {
    const model = roundTrip({
      opsets: { '': 17, 'com.microsoft': 1, 'ai.onnx.ml': 3 },
      graph: {
        ...relu,
        nodes: [
          { opType: 'Relu', inputs: ['x'], outputs: ['a'] },
          { opType: 'FastGelu', domain: 'com.microsoft', inputs: ['a'], outputs: ['y'] },
        ],
      },
    });
    expect(model.opsetImports).toEqual({ 'ai.onnx': 17, 'com.microsoft': 1, 'ai.onnx.ml': 3 });
    expect(model.graphs[0]!.opsetImports).toEqual(model.opsetImports);
    expect(model.graphs[0]!.nodes.map((n) => [n.opType, n.domain])).toEqual([
      ['Relu', 'ai.onnx'],
      ['FastGelu', 'com.microsoft'],
    ]);
  });

  test('a file that spells the default domain "ai.onnx" is read the same as ""', () => {
    const graph = msg([1, 'bytes', msg([4, 'bytes', 'Relu'], [7, 'bytes', 'ai.onnx'])]);
    const bytes = msg([1, 'varint', 8], [7, 'bytes', graph], [8, 'bytes', msg([1, 'bytes', 'ai.onnx'], [2, 'varint', 15])]);
    const model = decodeModel(bytes);
    expect(model.opsetImports).toEqual({ 'ai.onnx': 15 });
    expect(model.graphs[0]!.nodes[0]!.domain).toBe('ai.onnx');
  });

  test('a domain imported twice with different versions is a warning; the last one wins', () => {
    const opset = (v: number) => msg([1, 'bytes', ''], [2, 'varint', v]);
    const model = decodeModel(msg([1, 'varint', 8], [7, 'bytes', msg()], [8, 'bytes', opset(13)], [8, 'bytes', opset(17)]));
    expect(model.opsetImports).toEqual({ 'ai.onnx': 17 });
    expect(model.warnings).toEqual([expect.stringMatching(/imported twice \(13 and 17\)/)]);
  });

  test('a domain or metadata key named __proto__ stays plain data', () => {
    const bytes = modelAround(msg(), [8, 'bytes', msg([1, 'bytes', '__proto__'], [2, 'varint', 1])], [
      14, 'bytes', msg([1, 'bytes', '__proto__'], [2, 'bytes', 'x']),
    ]);
    const model = decodeModel(bytes);
    expect(Object.getPrototypeOf(model.opsetImports)).toBe(Object.prototype);
    expect(Object.keys(model.opsetImports)).toEqual(['ai.onnx', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(model.metadata, '__proto__')?.value).toBe('x');
  });
});

describe('nodes and attributes', () => {
  test('every attribute kind the writer knows', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17 },
      graph: {
        ...relu,
        nodes: [{
          opType: 'Custom', domain: 'test', name: 'n0', inputs: ['x', ''], outputs: ['y'],
          attributes: {
            alpha: { f: 0.5 }, axis: { i: -1 }, big: { i: 2n ** 40n }, mode: { s: 'nearest' },
            scales: { floats: [1, 2.5] }, perm: { ints: [0, 2, 1] }, names: { strings: ['a', 'b'] },
            value: { t: tensorFromFloats('c', [2], [1, 2]) },
            body: { g: relu }, branches: { graphs: [relu, relu] },
          },
        }],
      },
    });
    const node = model.graphs[0]!.nodes[0]!;
    expect(node).toMatchObject({ index: 0, graphId: 0, name: 'n0', opType: 'Custom', domain: 'test', inputs: ['x', ''], outputs: ['y'] });
    const byName = Object.fromEntries(node.attributes.map((a) => [a.name, a]));
    expect(byName.alpha).toEqual({ name: 'alpha', type: 'FLOAT', f: 0.5 });
    expect(byName.axis).toEqual({ name: 'axis', type: 'INT', i: -1 });
    expect(byName.big).toEqual({ name: 'big', type: 'INT', i: 2 ** 40 });
    expect(byName.mode).toEqual({ name: 'mode', type: 'STRING', s: 'nearest' });
    expect(byName.scales).toEqual({ name: 'scales', type: 'FLOATS', floats: [1, 2.5] });
    expect(byName.perm).toEqual({ name: 'perm', type: 'INTS', ints: [0, 2, 1] });
    expect(byName.names).toEqual({ name: 'names', type: 'STRINGS', strings: ['a', 'b'] });
    expect(byName.value).toEqual({
      name: 'value', type: 'TENSOR',
      tensors: [{ name: 'c', dtype: 'FLOAT', dims: [2], elementCount: 2, byteSize: 8, location: 'inline' }],
    });
    expect(byName.body).toEqual({ name: 'body', type: 'GRAPH', graphIds: [1] });
    expect(byName.branches).toEqual({ name: 'branches', type: 'GRAPHS', graphIds: [2, 3] });
    expect(model.graphs.map((g) => g.path)).toEqual(['main', 'main/n0.body', 'main/n0.branches[0]', 'main/n0.branches[1]']);
  });

  test('an int attribute beyond 2^53 is clamped, with a warning', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17 },
      graph: { ...relu, nodes: [{ opType: 'Slice', inputs: [], outputs: [], attributes: { ends: { ints: [2n ** 62n, -(2n ** 62n)] } } }] },
    });
    expect(model.graphs[0]!.nodes[0]!.attributes[0]!.ints).toEqual([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);
    expect(model.warnings).toHaveLength(2);
  });

  test('an attribute without a type field (old files) gets the type of the field that is set', () => {
    const node = msg([4, 'bytes', 'LeakyRelu'], [5, 'bytes', msg([1, 'bytes', 'alpha'], [2, 'fixed32', 0.25])]);
    const model = decodeModel(modelAround(msg([1, 'bytes', node])));
    expect(model.graphs[0]!.nodes[0]!.attributes).toEqual([{ name: 'alpha', type: 'FLOAT', f: 0.25 }]);
  });

  test('nodes without a name keep an empty name', () => {
    const model = roundTrip({ opsets: { 'ai.onnx': 17 }, graph: { ...relu, nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }] } });
    expect(model.graphs[0]!.nodes[0]!.name).toBe('');
  });
});

describe('tensors and types', () => {
  const dtypes = DATA_TYPES.filter((t) => t.name !== 'UNDEFINED');

  test('every data type, as initializer and as graph input, with sub-byte sizes packed', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 21 },
      graph: {
        nodes: [],
        inputs: dtypes.map((t) => ({ name: `in_${t.name}`, dtype: t.name, dims: [2, 3] })),
        outputs: [],
        initializers: dtypes.map((t) => ({
          name: `w_${t.name}`, dtype: t.name, dims: [2, 3],
          ...(t.name === 'STRING' ? {} : { raw: new Uint8Array(byteSizeOf(t.name, 6)!) }),
        })),
      },
    });
    const g = model.graphs[0]!;
    expect(model.warnings).toEqual([]);
    expect(g.inputs.map((v) => v.dtype)).toEqual(dtypes.map((t) => t.name));
    expect(g.initializers.map((t) => t.dtype)).toEqual(dtypes.map((t) => t.name));
    const size = Object.fromEntries(g.initializers.map((t) => [t.dtype, t.byteSize]));
    expect(size).toMatchObject({
      FLOAT: 24, DOUBLE: 48, FLOAT16: 12, BFLOAT16: 12, FLOAT8E4M3FN: 6, FLOAT8E5M2FNUZ: 6, FLOAT8E8M0: 6,
      INT4: 3, UINT4: 3, FLOAT4E2M1: 3, INT2: 2, UINT2: 2, COMPLEX128: 96, STRING: 0,
    });
    expect(g.initializers.every((t) => t.elementCount === 6 && t.location === 'inline' && t.graphId === 0)).toBe(true);
  });

  test('an unknown data type code is a warning and UNDEFINED', () => {
    const tensor = msg([1, 'varint', 4], [2, 'varint', 99], [8, 'bytes', 'w'], [9, 'bytes', new Uint8Array(4)]);
    const model = decodeModel(modelAround(msg([5, 'bytes', tensor])));
    expect(model.graphs[0]!.initializers[0]).toMatchObject({ name: 'w', dtype: 'UNDEFINED', dims: [4], byteSize: 4 });
    expect(model.warnings).toEqual([expect.stringMatching(/tensor "w" has unknown data type code 99/)]);
  });

  test('typed data fields are counted, not decoded; a count that disagrees with dims is a warning', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17 },
      graph: {
        ...relu,
        initializers: [
          { name: 'f', dtype: 'FLOAT', dims: [3], floats: [1, 2, 3] },
          { name: 'i64', dtype: 'INT64', dims: [2], int64s: [1n, -5] },
          { name: 'h', dtype: 'FLOAT16', dims: [2, 2], int32s: [15360, 0, 1, 2] },
          { name: 'short', dtype: 'INT32', dims: [4], int32s: [1, 2] },
        ],
      },
    });
    const [f, i64, h, short] = model.graphs[0]!.initializers;
    expect(f).toMatchObject({ elementCount: 3, byteSize: 12 });
    expect(i64).toMatchObject({ elementCount: 2, byteSize: 16 });
    expect(h).toMatchObject({ elementCount: 4, byteSize: 8 });
    expect(short).toMatchObject({ elementCount: 4, byteSize: 16 });
    expect(model.warnings).toEqual(['tensor "short" holds 2 values but its dims say 4']);
  });

  test('raw_data whose length disagrees with dims × dtype is a warning; byteSize is the real length', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17 },
      graph: { ...relu, initializers: [{ name: 'w', dtype: 'FLOAT', dims: [4], raw: new Uint8Array(10) }] },
    });
    expect(model.graphs[0]!.initializers[0]!.byteSize).toBe(10);
    expect(model.warnings).toEqual(['tensor "w" has 10 bytes of raw_data but its dims and FLOAT need 16']);
  });

  test('external data entries are recorded (resolution is loadModel\'s job)', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17 },
      graph: {
        ...relu,
        initializers: [
          { name: 'a', dtype: 'FLOAT', dims: [8], external: { location: 'w.bin', offset: 64, length: 32 } },
          { name: 'b', dtype: 'FLOAT16', dims: [8], external: { location: 'w.bin' } },
        ],
      },
    });
    const [a, b] = model.graphs[0]!.initializers;
    expect(a).toMatchObject({ location: 'external', byteSize: 32, external: { location: 'w.bin', offset: 64, length: 32 } });
    expect(b).toMatchObject({ location: 'external', byteSize: 16, external: { location: 'w.bin', offset: 0 } });
    expect(b!.external!.length).toBeUndefined();
  });

  test('an external_data offset that is not a number becomes a problem on the reference', () => {
    const entry = (k: string, v: string) => msg([1, 'bytes', k], [2, 'bytes', v]);
    const tensor = msg([1, 'varint', 2], [2, 'varint', 1], [8, 'bytes', 'w'], [13, 'bytes', entry('location', 'w.bin')],
      [13, 'bytes', entry('offset', '-4')], [14, 'varint', 1]);
    const model = decodeModel(modelAround(msg([5, 'bytes', tensor])));
    expect(model.graphs[0]!.initializers[0]!.external).toMatchObject({
      location: 'w.bin', problem: 'its external_data offset "-4" is not a byte count',
    });
  });

  test('sparse initializers describe the dense tensor and store values + indices bytes', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17 },
      graph: {
        ...relu,
        sparseInitializers: [{
          values: tensorFromFloats('sparse_w', [3], [1, 2, 3]),
          indices: tensorFromInts('sparse_w_indices', [3], [0, 5, 9]),
          dims: [10, 10],
        }],
      },
    });
    expect(model.graphs[0]!.sparseInitializers).toEqual([{
      name: 'sparse_w', dtype: 'FLOAT', dims: [10, 10], elementCount: 100, byteSize: 12 + 24, location: 'inline', graphId: 0, sparseIndices: { byteSize: 24 },
    }]);
  });

  test('value_info with fixed, symbolic and unknown dims, scalars and unknown rank', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17 },
      graph: {
        ...relu,
        valueInfo: [
          { name: 'a', dtype: 'FLOAT16', dims: ['batch', 'seq', 768] },
          { name: 'b', dtype: 'INT64', dims: [null, 4] },
          { name: 'c', dtype: 'BOOL', dims: [] },
          { name: 'd', dtype: 'BFLOAT16' },
        ],
      },
    });
    expect(model.graphs[0]!.valueInfo).toEqual([
      { name: 'a', kind: 'tensor', dtype: 'FLOAT16', dims: ['batch', 'seq', 768] },
      { name: 'b', kind: 'tensor', dtype: 'INT64', dims: [null, 4] },
      { name: 'c', kind: 'tensor', dtype: 'BOOL', dims: [] },
      { name: 'd', kind: 'tensor', dtype: 'BFLOAT16' },
    ]);
  });

  test('sequence, map, optional and sparse tensor types carry their element type', () => {
    const tensorType = (code: number, ...dims: number[]) =>
      msg([1, 'varint', code], [2, 'bytes', msg(...dims.map((d) => [1, 'bytes', msg([1, 'varint', d])] as const))]);
    const typeOfTensor = (code: number, ...dims: number[]) => msg([1, 'bytes', tensorType(code, ...dims)]);
    const types: Record<string, Uint8Array> = {
      seq: msg([4, 'bytes', msg([1, 'bytes', typeOfTensor(1, 3)])]),
      map: msg([5, 'bytes', msg([1, 'varint', 7], [2, 'bytes', typeOfTensor(11)])]),
      opt: msg([9, 'bytes', msg([1, 'bytes', msg([4, 'bytes', msg([1, 'bytes', typeOfTensor(7, 2)])])])]),
      sparse: msg([8, 'bytes', tensorType(10, 100, 100)]),
      none: msg(),
    };
    const graph = msg(...Object.entries(types).map(([name, t]) => [11, 'bytes', msg([1, 'bytes', name], [2, 'bytes', t])] as const));
    expect(decodeModel(modelAround(graph)).graphs[0]!.inputs).toEqual([
      { name: 'seq', kind: 'sequence', dtype: 'FLOAT', dims: [3] },
      { name: 'map', kind: 'map', dtype: 'DOUBLE', dims: [] },
      { name: 'opt', kind: 'optional', dtype: 'INT64', dims: [2] },
      { name: 'sparse', kind: 'sparse_tensor', dtype: 'FLOAT16', dims: [100, 100] },
      { name: 'none', kind: 'unknown' },
    ]);
  });
});

describe('model-local functions', () => {
  test('a function body becomes a graph of kind function with its own opsets', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17, 'custom.fn': 1 },
      graph: { ...relu, nodes: [{ opType: 'ScaledRelu', domain: 'custom.fn', inputs: ['x'], outputs: ['y'], attributes: { alpha: { f: 2 } } }] },
      functions: [{
        domain: 'custom.fn', name: 'ScaledRelu', inputs: ['X'], outputs: ['Y'], attributes: ['alpha'],
        opsets: { 'ai.onnx': 15 },
        nodes: [
          { opType: 'Constant', inputs: [], outputs: ['a'], attributes: { value_float: { ref: 'alpha', type: 'FLOAT' } } },
          { opType: 'Relu', inputs: ['X'], outputs: ['r'] },
          { opType: 'Mul', inputs: ['r', 'a'], outputs: ['Y'] },
        ],
      }],
    });
    expect(model.functions).toEqual([{
      domain: 'custom.fn', name: 'ScaledRelu', graphId: 1, inputs: ['X'], outputs: ['Y'], attributes: ['alpha'],
    }]);
    const body = model.graphs[1]!;
    expect(body).toMatchObject({
      id: 1, kind: 'function', name: 'ScaledRelu', path: 'function:custom.fn::ScaledRelu', depth: 0,
      opsetImports: { 'ai.onnx': 15 }, inputs: [{ name: 'X', kind: 'unknown' }],
    });
    expect(body.parent).toBeUndefined();
    expect(body.nodes.map((n) => [n.opType, n.graphId])).toEqual([['Constant', 1], ['Relu', 1], ['Mul', 1]]);
    expect(body.nodes[0]!.attributes[0]).toEqual({ name: 'value_float', type: 'FLOAT', refAttrName: 'alpha' });
  });

  test('a function without opset imports uses the model\'s; its subgraphs are paths under it', () => {
    const model = roundTrip({
      opsets: { 'ai.onnx': 17 },
      graph: relu,
      functions: [{
        domain: 'f', name: 'Pick', inputs: ['c'], outputs: ['o'], opsets: {},
        nodes: [{ opType: 'If', inputs: ['c'], outputs: ['o'], attributes: { then_branch: { g: relu }, else_branch: { g: relu } } }],
      }],
    });
    expect(model.graphs.map((g) => [g.path, g.kind, g.depth])).toEqual([
      ['main', 'main', 0],
      ['function:f::Pick', 'function', 0],
      ['function:f::Pick/If#0.then_branch', 'subgraph', 1],
      ['function:f::Pick/If#0.else_branch', 'subgraph', 1],
    ]);
    expect(model.graphs[1]!.opsetImports).toEqual({ 'ai.onnx': 17 });
    expect(model.graphs[2]!.opsetImports).toEqual({ 'ai.onnx': 17 });
  });
});

describe('writer', () => {
  test('the same spec gives the same bytes', () => {
    const spec: ModelSpec = { opsets: { 'ai.onnx': 17 }, metadata: { b: '2', a: '1' }, graph: relu };
    expect(encodeModel(spec)).toEqual(encodeModel(structuredClone(spec)));
  });
});
