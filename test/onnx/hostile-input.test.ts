import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { decodeModel } from '../../src/onnx/decode.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { MAX_NAME_BYTES } from '../../src/onnx/decode-context.js';
import { ModelLoadError } from '../../src/errors.js';
import { sampleModels } from '../../scripts/make-sample-models.js';
import { concat, ldTag, modelAround, msg, nest, varint } from './raw-proto.js';

const resnet = encodeModel(sampleModels().find((s) => s.file === 'resnet-block.onnx')!.spec);
const controlFlow = encodeModel(sampleModels().find((s) => s.file === 'control-flow.onnx')!.spec);

/** Decoding either succeeds or fails with a ModelLoadError: never another exception. */
function decodeOrLoadError(bytes: Uint8Array): 'ok' | string {
  try {
    decodeModel(bytes, { path: 'x.onnx' });
    return 'ok';
  } catch (err) {
    if (!(err instanceof ModelLoadError)) throw err;
    expect(err.message).not.toContain('\n');
    return err.message;
  }
}

describe('malformed protobuf is a one-line ModelLoadError', () => {
  test('a model cut in the middle of its graph says it is truncated', () => {
    expect(() => decodeModel(resnet.subarray(0, 5000), { path: 'cut.onnx' })).toThrow(
      /^cut\.onnx: is not a valid ONNX model: the data ends in the middle of a field \(truncated file\?\) \(in ModelProto\); re-export it or check the download$/,
    );
  });

  test('every prefix of a real model decodes or fails cleanly', () => {
    for (const model of [resnet, controlFlow]) {
      const step = Math.max(1, Math.floor(model.length / 400));
      for (let end = 0; end < model.length; end += step) decodeOrLoadError(model.subarray(0, end));
    }
  });

  test('a known field with the wrong wire type names the field', () => {
    expect(() => decodeModel(msg([7, 'varint', 3]))).toThrow(
      /is not a valid ONNX model: field ModelProto\.graph has wire type varint, expected length-delimited/,
    );
  });

  test('a bad field inside a node says where it is', () => {
    const node = concat(msg([4, 'bytes', 'Relu']), new Uint8Array([0x0f])); // wire type 7 does not exist
    expect(() => decodeModel(modelAround(msg([1, 'bytes', msg([4, 'bytes', 'Relu'])], [1, 'bytes', node])))).toThrow(
      /field header is invalid .* \(in graph "main", node #1\)/,
    );
  });

  test('200 nested groups of an unknown field are refused, not recursed into', () => {
    const groups = concat(...Array.from({ length: 200 }, () => varint((99 << 3) | 3))); // StartGroup, field 99
    expect(decodeOrLoadError(concat(msg([1, 'varint', 8]), groups))).toMatch(/not a valid ONNX model/);
  });

  test('random bytes (fixed seed) never throw anything but ModelLoadError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), (bytes) => {
        decodeOrLoadError(bytes);
      }),
      { seed: 20240611, numRuns: 2000 },
    );
  });

  test('a real model with random bytes flipped never throws anything but ModelLoadError', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(controlFlow.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (flips) => {
        const bytes = controlFlow.slice();
        for (const [at, value] of flips) bytes[at] = value;
        decodeOrLoadError(bytes);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  test('bytes with no graph are not a model', () => {
    expect(() => decodeModel(msg([1, 'varint', 8]), { path: 'a' })).toThrow('a: has no graph: not an ONNX model');
    expect(() => decodeModel(msg([2, 'bytes', 'hello']), { path: 'b' })).toThrow('b: has no graph and no IR version: not an ONNX model');
  });
});

describe('hostile sizes never turn into allocations', () => {
  test('a tensor declaring 2^60 × 2^60 elements and a value with a 2^60 dim decode at once', () => {
    const huge = 2n ** 60n;
    const tensor = msg([1, 'varint', huge], [1, 'varint', huge], [2, 'varint', 1], [8, 'bytes', 'w']);
    const input = msg([1, 'bytes', 'x'], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 1], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', huge])])])])]);
    const heapBefore = process.memoryUsage().heapUsed;
    const model = decodeModel(modelAround(msg([5, 'bytes', tensor], [11, 'bytes', input])));
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(8 * 2 ** 20);
    expect(model.graphs[0]!.initializers[0]).toMatchObject({ dims: [2 ** 60, 2 ** 60], elementCount: Infinity, byteSize: Infinity });
    expect(model.graphs[0]!.inputs[0]!.dims).toEqual([2 ** 60]);
  });

  test('a negative dim is a warning and zero elements', () => {
    const tensor = msg([1, 'varint', -3], [1, 'varint', 4], [2, 'varint', 1], [8, 'bytes', 'neg']);
    const model = decodeModel(modelAround(msg([5, 'bytes', tensor])));
    expect(model.graphs[0]!.initializers[0]).toMatchObject({ dims: [-3, 4], elementCount: 0, byteSize: 0 });
    expect(model.warnings).toEqual(['tensor "neg" has a negative dimension -3']);
  });

  test('a 50 MB initializer (raw_data) decodes without copying it', () => {
    const weights = new Uint8Array(50 * 2 ** 20);
    const bytes = encodeModel({
      opsets: { 'ai.onnx': 17 },
      graph: { nodes: [], inputs: [], outputs: [], initializers: [{ name: 'big', dtype: 'FLOAT', dims: [weights.length / 4], raw: weights }] },
    });
    const before = process.memoryUsage();
    const model = decodeModel(bytes);
    const after = process.memoryUsage();
    expect(after.heapUsed - before.heapUsed).toBeLessThan(8 * 2 ** 20);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(8 * 2 ** 20);
    expect(model.graphs[0]!.initializers[0]).toMatchObject({ byteSize: 50 * 2 ** 20, elementCount: 50 * 2 ** 18 });
  });

  test('50 MB of packed float_data and 10 M packed int64 varints are counted, not decoded', () => {
    const floats = msg([1, 'varint', 50 * 2 ** 18], [2, 'varint', 1], [4, 'bytes', new Uint8Array(50 * 2 ** 20)], [8, 'bytes', 'f']);
    const ints = msg([1, 'varint', 10_000_000], [2, 'varint', 7], [7, 'bytes', new Uint8Array(10_000_000).fill(1)], [8, 'bytes', 'i']);
    const bytes = modelAround(msg([5, 'bytes', floats], [5, 'bytes', ints]));
    const before = process.memoryUsage();
    const model = decodeModel(bytes);
    const after = process.memoryUsage();
    expect(after.heapUsed - before.heapUsed).toBeLessThan(8 * 2 ** 20);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(8 * 2 ** 20);
    expect(model.warnings).toEqual([]);
    expect(model.graphs[0]!.initializers.map((t) => [t.name, t.elementCount, t.byteSize])).toEqual([
      ['f', 50 * 2 ** 18, 50 * 2 ** 20],
      ['i', 10_000_000, 80_000_000],
    ]);
  });

  test('a 1 MB node name is cut to 4 KiB with a warning', () => {
    const name = 'n'.repeat(2 ** 20);
    const model = decodeModel(modelAround(msg([1, 'bytes', msg([3, 'bytes', name], [4, 'bytes', 'Relu'])])));
    expect(model.graphs[0]!.nodes[0]!.name).toHaveLength(MAX_NAME_BYTES);
    expect(model.warnings).toEqual([expect.stringMatching(/^NodeProto\.name of 1048576 bytes was cut to 4096 bytes/)]);
  });

  test('a sequence type nested 100,000 deep is walked without recursion', () => {
    const leafType = msg([1, 'bytes', msg([1, 'varint', 1])]);
    // TypeProto { sequence_type: Sequence { elem_type: <inner TypeProto> } }
    const type = nest(leafType, 100_000, (innerLength) => {
      const seqLength = ldTag(1).length + varint(innerLength).length + innerLength;
      return concat(ldTag(4), varint(seqLength), ldTag(1), varint(innerLength));
    });
    const model = decodeModel(modelAround(msg([11, 'bytes', msg([1, 'bytes', 'x'], [2, 'bytes', type])])));
    expect(model.graphs[0]!.inputs[0]).toEqual({ name: 'x', kind: 'sequence', dtype: 'FLOAT' });
  });

  test('millions of empty nodes hit the decoded-size bound instead of exhausting the heap', () => {
    const emptyNodes = new Uint8Array(2_000_000);
    for (let i = 0; i < emptyNodes.length; i += 2) emptyNodes[i] = 0x0a; // node { } (tag 1, length 0)
    const bytes = modelAround(emptyNodes);
    expect(() => decodeModel(bytes, { path: 'stress.onnx', maxDecodedHeapBytes: 64 * 2 ** 20 })).toThrow(
      /^stress\.onnx: describes more graph structure than port-check decodes \(over 64 MiB/,
    );
    expect(decodeModel(bytes).graphs[0]!.nodes).toHaveLength(1_000_000);
  });

  test('thousands of warnings are capped, with a count of the rest', () => {
    const tensors = Array.from({ length: 1000 }, (_, k) => [5, 'bytes', msg([2, 'varint', 200 + k], [8, 'bytes', `t${k}`])] as const);
    const model = decodeModel(modelAround(msg(...tensors)));
    expect(model.warnings).toHaveLength(201);
    expect(model.warnings.at(-1)).toBe('... and 800 more warnings');
  });
});
