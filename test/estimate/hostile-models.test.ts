import { describe, expect, it } from 'vitest';
import { estimate, readSmallConstants } from '../../src/estimate/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { build, f32, graphOf, int64s, profile, TARGETS, zeros } from './models.js';

/** Every number of an estimate is finite: JSON would turn Infinity or NaN into null silently. */
function expectFinite(value: unknown, path = 'estimate'): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), path).toBe(true);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => expectFinite(v, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) expectFinite(v, `${path}.${k}`);
  }
}

describe('hostile shapes', () => {
  // Shapes that ask for 2^80 elements, a range of 10^13 values, a cycle, attributes of the wrong length.
  const spec = graphOf(
    [
      { opType: 'Expand', name: 'expand', inputs: ['s', 'huge'], outputs: ['e'] },
      { opType: 'Relu', name: 'relu', inputs: ['e'], outputs: ['r'] },
      { opType: 'ConstantOfShape', name: 'fill', inputs: ['huge'], outputs: ['c'] },
      { opType: 'Range', name: 'range', inputs: ['zero', 'huge_count', 'one'], outputs: ['seq'] },
      { opType: 'Tile', name: 'tile', inputs: ['x', 'repeats'], outputs: ['t'] },
      { opType: 'Conv', name: 'bad_conv', inputs: ['img', 'w'], outputs: ['y'], attributes: { strides: { ints: [0] }, pads: { ints: [1] } } },
      { opType: 'Add', name: 'loop_a', inputs: ['x', 'loop_b_out'], outputs: ['loop_a_out'] },
      { opType: 'Add', name: 'loop_b', inputs: ['x', 'loop_a_out'], outputs: ['loop_b_out'] },
      { opType: 'Reshape', name: 'reshape', inputs: ['x', 'bad_shape'], outputs: ['rs'] },
    ],
    [f32('x', [1, 4]), f32('s', [1, 1]), f32('img', [1, 3, 8, 8])],
    [f32('r', undefined), f32('c', undefined), f32('seq', undefined), f32('t', undefined), f32('y', undefined), f32('rs', undefined)],
    [
      int64s('huge', [2 ** 40, 2 ** 40]),
      { name: 'zero', dtype: 'INT64', dims: [], int64s: [0] },
      { name: 'huge_count', dtype: 'INT64', dims: [], int64s: [1e13] },
      { name: 'one', dtype: 'INT64', dims: [], int64s: [1] },
      int64s('repeats', [1e15, 1e15]),
      int64s('bad_shape', [3, -1]),
      zeros('w', [4, 3, 3, 3]),
    ],
  );

  for (const id of TARGETS) {
    it(`${id}: finishes at once, with finite numbers, and says which nodes it could not cost`, () => {
      const { model, bytes } = build(spec);
      const t = performance.now();
      const e = estimate(model, inspectModel(model), profile(id), { modelBytes: bytes });
      expect(performance.now() - t).toBeLessThan(500);
      expectFinite(e);
      const notCosted = Object.fromEntries(e.nodesNotCosted.examples.map((n) => [n.name, n.reason]));
      expect(notCosted.expand).toBe('the inferred output shape is invalid');
      expect(notCosted.fill).toBe('the inferred output shape is invalid');
      expect(notCosted.range).toBe('the inferred output shape is invalid');
      expect(notCosted.tile).toBe('the inferred output shape is invalid');
      expect(notCosted.bad_conv).toBe('kernel_shape, strides or dilations do not match the input rank');
      expect(notCosted.reshape).toBe('the target shape [3,-1] does not fit the input');
      expect(notCosted.loop_a).toBe('the node is on a cycle of the graph (the graph is not a DAG)');
      expect(notCosted.relu).toBe("input 'e' has no known shape (from expand: the inferred output shape is invalid)");
      expect(e.confidence).toBe('low');
    });
  }

  it('damaged bytes give no constants rather than an error', () => {
    const { bytes, model } = build(spec);
    expect(readSmallConstants(bytes.subarray(0, bytes.length - 7)).size).toBeLessThanOrEqual(readSmallConstants(bytes).size);
    expect(readSmallConstants(new Uint8Array([0xff, 0xff, 0xff]))).toEqual(new Map());
    // Guided by the IR or not, the same constants come back.
    expect(readSmallConstants(bytes, model.graphs[0])).toEqual(readSmallConstants(bytes));
  });
});
