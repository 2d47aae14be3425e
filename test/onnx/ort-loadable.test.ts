import { describe, expect, test } from 'vitest';
import ort from 'onnxruntime-node';
import { encodeModel } from '../../src/onnx/writer.js';
import { tensorFromFloats, tensorFromInts } from '../../src/onnx/tensor-data.js';
import type { GraphSpec, ModelSpec } from '../../src/onnx/model-spec.js';

/** The writer's output is only worth something if ONNX Runtime accepts it and computes the right thing. */
async function run(spec: ModelSpec, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(encodeModel(spec));
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

const f32 = (values: number[], dims: number[]) => new ort.Tensor('float32', Float32Array.from(values), dims);

describe('models from the writer run on onnxruntime-node (CPU)', () => {
  test('Conv + Relu + MatMul computes what a reference implementation computes', async () => {
    const x = Array.from({ length: 16 }, (_, i) => i - 8);
    const w = Array.from({ length: 18 }, (_, i) => ((i * 7) % 5) - 2); // [2,1,3,3]
    const bias = [0.5, -1];
    const b = Array.from({ length: 12 }, (_, i) => (i % 4) - 1.5); // [4,3]
    const out = await run({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [
          { opType: 'Conv', name: 'conv', inputs: ['x', 'w', 'bias'], outputs: ['c'], attributes: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } } },
          { opType: 'Relu', name: 'relu', inputs: ['c'], outputs: ['r'] },
          { opType: 'MatMul', name: 'matmul', inputs: ['r', 'b'], outputs: ['y'] },
        ],
        inputs: [{ name: 'x', dtype: 'FLOAT', dims: ['batch', 1, 4, 4] }],
        outputs: [{ name: 'y', dtype: 'FLOAT', dims: ['batch', 2, 4, 3] }],
        initializers: [tensorFromFloats('w', [2, 1, 3, 3], w), tensorFromFloats('bias', [2], bias), tensorFromFloats('b', [4, 3], b)],
      },
    }, { x: f32(x, [1, 1, 4, 4]) });

    const expected: number[] = [];
    for (let oc = 0; oc < 2; oc++) {
      for (let row = 0; row < 4; row++) {
        const relu: number[] = [];
        for (let col = 0; col < 4; col++) {
          let sum = bias[oc]!;
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const y = row + ky - 1;
              const xx = col + kx - 1;
              if (y >= 0 && y < 4 && xx >= 0 && xx < 4) sum += x[y * 4 + xx]! * w[oc * 9 + ky * 3 + kx]!;
            }
          }
          relu.push(Math.max(0, sum));
        }
        for (let n = 0; n < 3; n++) expected.push(relu.reduce((acc, v, k) => acc + v * b[k * 3 + n]!, 0));
      }
    }
    expect(out.y!.dims).toEqual([1, 2, 4, 3]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual(expected.map((v) => expect.closeTo(v, 4)));
  });

  const ifModel: ModelSpec = {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [{
        opType: 'If', name: 'choose', inputs: ['cond'], outputs: ['y'],
        attributes: {
          // Branches read `x` from the enclosing graph, as exporters write them.
          then_branch: { g: branch('plus_one', 'Add', 1) },
          else_branch: { g: branch('times_two', 'Mul', 2) },
        },
      }],
      inputs: [{ name: 'cond', dtype: 'BOOL', dims: [] }, { name: 'x', dtype: 'FLOAT', dims: [2] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: [2] }],
    },
  };

  function branch(name: string, opType: string, constant: number): GraphSpec {
    return {
      name,
      nodes: [
        { opType: 'Constant', inputs: [], outputs: [`${name}_k`], attributes: { value: { t: tensorFromFloats(`${name}_k`, [], [constant]) } } },
        { opType, inputs: ['x', `${name}_k`], outputs: [`${name}_y`] },
      ],
      inputs: [],
      outputs: [{ name: `${name}_y`, dtype: 'FLOAT', dims: [2] }],
    };
  }

  test.each([
    [true, [4, 6]],
    [false, [6, 10]],
  ])('If takes the %s branch', async (cond, expected) => {
    const out = await run(ifModel, { cond: new ort.Tensor('bool', [cond], []), x: f32([3, 5], [2]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual(expected);
  });

  test('Loop carries state and stacks scan outputs', async () => {
    const out = await run({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{
          opType: 'Loop', name: 'accumulate', inputs: ['trips', 'go', 'zeros'], outputs: ['total', 'history'],
          attributes: {
            body: {
              g: {
                name: 'body',
                nodes: [
                  { opType: 'Identity', inputs: ['cond_in'], outputs: ['cond_out'] },
                  { opType: 'Add', inputs: ['acc_in', 'x'], outputs: ['acc_out'] },
                  { opType: 'Identity', inputs: ['acc_out'], outputs: ['scan_out'] },
                ],
                inputs: [
                  { name: 'i', dtype: 'INT64', dims: [] },
                  { name: 'cond_in', dtype: 'BOOL', dims: [] },
                  { name: 'acc_in', dtype: 'FLOAT', dims: [2] },
                ],
                outputs: [
                  { name: 'cond_out', dtype: 'BOOL', dims: [] },
                  { name: 'acc_out', dtype: 'FLOAT', dims: [2] },
                  { name: 'scan_out', dtype: 'FLOAT', dims: [2] },
                ],
              },
            },
          },
        }],
        inputs: [{ name: 'trips', dtype: 'INT64', dims: [] }, { name: 'x', dtype: 'FLOAT', dims: [2] }],
        outputs: [{ name: 'total', dtype: 'FLOAT', dims: [2] }, { name: 'history', dtype: 'FLOAT', dims: ['trips', 2] }],
        initializers: [tensorFromInts('go', [], [1], 'BOOL'), tensorFromFloats('zeros', [2], [0, 0])],
      },
    }, { trips: new ort.Tensor('int64', [3n], []), x: f32([1, 2], [2]) });
    expect(Array.from(out.total!.data as Float32Array)).toEqual([3, 6]);
    expect(out.history!.dims).toEqual([3, 2]);
    expect(Array.from(out.history!.data as Float32Array)).toEqual([1, 2, 2, 4, 3, 6]);
  });

  test('fp16, bf16 and fp8 weights from tensorFromFloats read back as ONNX Runtime rounds them', async () => {
    const values = [1, -2.5, 0.1, 65504, 1e-7, 300];
    const cast = (name: string) => ({ opType: 'Cast', inputs: [name], outputs: [`${name}_f32`], attributes: { to: { i: 1 } } });
    const out = await run({
      opsets: { 'ai.onnx': 19 },
      graph: {
        nodes: [cast('h'), cast('bf'), cast('f8'), cast('i64')],
        inputs: [],
        outputs: ['h', 'bf', 'f8', 'i64'].map((n) => ({ name: `${n}_f32`, dtype: 'FLOAT' as const, dims: [6] })),
        initializers: [
          tensorFromFloats('h', [6], values, 'FLOAT16'),
          tensorFromFloats('bf', [6], values, 'BFLOAT16'),
          tensorFromFloats('f8', [6], values, 'FLOAT8E4M3FN'),
          tensorFromInts('i64', [6], [1, -2, 3n, 2 ** 40, -(2 ** 31), 0]),
        ],
      },
    }, {});
    const read = (name: string) => Array.from(out[`${name}_f32`]!.data as Float32Array);
    expect(read('h')).toEqual([1, -2.5, 0.0999755859375, 65504, 1.1920928955078125e-7, 300]);
    expect(read('bf')).toEqual([1, -2.5, 0.10009765625, 65536, 1.0011717677116394e-7, 300]);
    expect(read('f8')).toEqual([1, -2.5, 0.1015625, 448, 0, 288]);
    expect(read('i64')).toEqual([1, -2, 3, 2 ** 40, -(2 ** 31), 0]);
  });
});
