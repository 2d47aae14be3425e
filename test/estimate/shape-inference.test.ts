import { describe, expect, it } from 'vitest';
import { analyseModel, inferShapes, readSmallConstants } from '../../src/estimate/index.js';
import { build, f32, graphOf, int64s, zeros } from './models.js';

const dimsOf = (shapes: Map<string, { dims?: number[] }>, name: string) => shapes.get(name)?.dims;

describe('static shape inference', () => {
  // x [batch, 8, 32] → Reshape [0, 8, 4, 8] → Transpose (0,2,1,3) → Concat with itself on axis 3
  const chain = graphOf(
    [
      { opType: 'Reshape', name: 'reshape', inputs: ['x', 'shape'], outputs: ['r'] },
      { opType: 'Transpose', name: 'transpose', inputs: ['r'], outputs: ['t'], attributes: { perm: { ints: [0, 2, 1, 3] } } },
      { opType: 'Concat', name: 'concat', inputs: ['t', 't'], outputs: ['c'], attributes: { axis: { i: 3 } } },
      { opType: 'MatMul', name: 'mm', inputs: ['c', 'w'], outputs: ['y'] },
    ],
    [f32('x', ['batch', 8, 32])],
    [f32('y', undefined)],
    [int64s('shape', [0, 8, 4, 8]), zeros('w', [16, 5])],
  );

  it('follows Reshape (constant shape with 0), Transpose and Concat, with a symbolic batch', () => {
    const { model, bytes } = build(chain);
    const inf = inferShapes(model, { constants: readSmallConstants(bytes), dims: { batch: 3 } });
    expect(dimsOf(inf.shapes, 'r')).toEqual([3, 8, 4, 8]);
    expect(dimsOf(inf.shapes, 't')).toEqual([3, 4, 8, 8]);
    expect(dimsOf(inf.shapes, 'c')).toEqual([3, 4, 8, 16]);
    expect(dimsOf(inf.shapes, 'y')).toEqual([3, 4, 8, 5]);
    expect(inf.dimNotes).toEqual(["symbolic dim 'batch' = 3 (given)"]);
  });

  it('the batch defaults to 1 and says so', () => {
    const { model, bytes } = build(chain);
    const inf = inferShapes(model, { constants: readSmallConstants(bytes) });
    expect(dimsOf(inf.shapes, 'y')).toEqual([1, 4, 8, 5]);
    expect(inf.dimNotes[0]).toMatch(/symbolic dim 'batch' = 1 \(batch default; set it with --dim batch=N\)/);
  });

  it('without the model bytes the Reshape target is unknown, and the nodes after it are not costed, with the reason', () => {
    const { model } = build(chain);
    const { costs } = analyseModel(model);
    const byName = Object.fromEntries(costs.map((c) => [c.name, c]));
    expect(byName.reshape!.costed).toBe(false);
    expect(byName.reshape!.reason).toBe('the target shape is computed at run time');
    expect(byName.mm!.costed).toBe(false);
    expect(byName.mm!.reason).toMatch(/input 'c' has no known shape/);
  });

  it('computes shapes built at run time from Shape → Gather → Unsqueeze → Concat', () => {
    const spec = graphOf(
      [
        { opType: 'Shape', name: 'shape', inputs: ['x'], outputs: ['s'] },
        { opType: 'Gather', name: 'gather', inputs: ['s', 'zero'], outputs: ['b'], attributes: { axis: { i: 0 } } },
        { opType: 'Unsqueeze', name: 'unsqueeze', inputs: ['b', 'axes'], outputs: ['b1'] },
        { opType: 'Concat', name: 'concat', inputs: ['b1', 'minus_one'], outputs: ['target'], attributes: { axis: { i: 0 } } },
        { opType: 'Reshape', name: 'reshape', inputs: ['x', 'target'], outputs: ['flat'] },
        {
          opType: 'Slice', name: 'slice', inputs: ['flat', 'starts', 'ends', 'slice_axes'], outputs: ['part'],
        },
        { opType: 'Split', name: 'split', inputs: ['part'], outputs: ['h1', 'h2'], attributes: { axis: { i: 1 } } },
      ],
      [f32('x', ['N', 4, 8, 8])],
      [f32('h1', undefined), f32('h2', undefined)],
      [
        { name: 'zero', dtype: 'INT64', dims: [], int64s: [0] },
        int64s('axes', [0]), int64s('minus_one', [-1]),
        int64s('starts', [10]), int64s('ends', [-10]), int64s('slice_axes', [1]),
      ],
    );
    const { model, bytes } = build(spec);
    const inf = inferShapes(model, { constants: readSmallConstants(bytes), dims: { N: 2 } });
    expect(inf.shapes.get('target')?.values).toEqual([2, -1]);
    expect(dimsOf(inf.shapes, 'flat')).toEqual([2, 256]);
    // 10 .. 256 − 10 = 236 elements, split in two equal halves
    expect(dimsOf(inf.shapes, 'part')).toEqual([2, 236]);
    expect(dimsOf(inf.shapes, 'h1')).toEqual([2, 118]);
    expect(dimsOf(inf.shapes, 'h2')).toEqual([2, 118]);
    expect(inf.unknown.size).toBe(0);
  });

  it('observed shapes win over inferred ones', () => {
    const { model, bytes } = build(chain);
    const observed = { x: { dtype: 'float32', dims: [6, 8, 32] } };
    const inf = inferShapes(model, { constants: readSmallConstants(bytes), observedShapes: observed });
    expect(dimsOf(inf.shapes, 'y')).toEqual([6, 4, 8, 5]);
    expect(inf.sources.get('x')).toBe('observed');
    expect(inf.sources.get('y')).toBe('inferred');
  });

  it('an op without a rule leaves its outputs unknown and names the op', () => {
    const spec = graphOf(
      [
        { opType: 'MyOp', domain: 'acme', name: 'custom', inputs: ['x'], outputs: ['m'] },
        { opType: 'Relu', name: 'relu', inputs: ['m'], outputs: ['y'] },
      ],
      [f32('x', [1, 8])],
      [f32('y', undefined)],
    );
    const { model } = build({ ...spec, opsets: { ...spec.opsets, acme: 1 } });
    const { costs } = analyseModel(model);
    expect(costs.map((c) => [c.name, c.costed, c.reason])).toEqual([
      ['custom', false, 'no shape rule for acme::MyOp'],
      ['relu', false, "input 'm' has no known shape (from custom: no shape rule for acme::MyOp)"],
    ]);
  });

  it('conv, pooling and resize shapes', () => {
    const spec = graphOf(
      [
        { opType: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { strides: { ints: [2, 2] }, auto_pad: { s: 'SAME_UPPER' } } },
        { opType: 'MaxPool', name: 'pool', inputs: ['c'], outputs: ['p'], attributes: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, ceil_mode: { i: 1 } } },
        { opType: 'Resize', name: 'resize', inputs: ['p', '', 'scales'], outputs: ['r'], attributes: { mode: { s: 'linear' } } },
        { opType: 'ConvTranspose', name: 'deconv', inputs: ['r', 'wt'], outputs: ['d'], attributes: { strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] }, output_padding: { ints: [1, 1] } } },
        { opType: 'GlobalAveragePool', name: 'gap', inputs: ['d'], outputs: ['g'] },
        { opType: 'Flatten', name: 'flatten', inputs: ['g'], outputs: ['y'] },
      ],
      [f32('x', [1, 3, 65, 65])],
      [f32('y', undefined)],
      [zeros('w', [16, 3, 3, 3]), { name: 'scales', dtype: 'FLOAT', dims: [4], floats: [1, 1, 2, 2] }, zeros('wt', [16, 8, 3, 3])],
    );
    const { model, bytes } = build(spec);
    const inf = inferShapes(model, { constants: readSmallConstants(bytes) });
    expect(dimsOf(inf.shapes, 'c')).toEqual([1, 16, 33, 33]); // ceil(65 / 2)
    expect(dimsOf(inf.shapes, 'p')).toEqual([1, 16, 16, 16]); // ceil((33 − 3) / 2) + 1
    expect(dimsOf(inf.shapes, 'r')).toEqual([1, 16, 32, 32]);
    expect(dimsOf(inf.shapes, 'd')).toEqual([1, 8, 64, 64]); // 2·31 + 1 + 3 − 2
    expect(dimsOf(inf.shapes, 'y')).toEqual([1, 8]);
  });
});
