import { describe, expect, test } from 'vitest';
import { decodeModel } from '../../src/onnx/decode.js';
import { RewriteError, renameInitializers } from '../../src/onnx/rewrite.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { topologicalOrder } from '../../src/precision/topo-order.js';
import { classifierSpec, overflowSpec } from './built-models.js';

describe('renameInitializers', () => {
  test('renames the weights asked for and nothing else; the weight bytes are copied as they are', () => {
    const bytes = encodeModel(classifierSpec());
    const out = renameInitializers(bytes, new Map([['w', 'w__pc_src']]));
    const before = decodeModel(bytes).graphs[0]!;
    const after = decodeModel(out).graphs[0]!;
    expect(after.initializers.map((t) => t.name)).toEqual(['w__pc_src', 'b']);
    expect(after.initializers.map(({ name, ...rest }) => rest)).toEqual(before.initializers.map(({ name, ...rest }) => rest));
    expect(after.nodes).toEqual(before.nodes); // consumers still read 'w': the Cast pair will produce it
    expect(out.length - bytes.length).toBe('__pc_src'.length);
  });

  test('renames the graph input that declares a weight too (IR 3 exporters list weights as inputs)', () => {
    const spec = classifierSpec();
    spec.irVersion = 3;
    spec.graph.inputs.push({ name: 'w', dtype: 'FLOAT', dims: [8, 6] });
    const after = decodeModel(renameInitializers(encodeModel(spec), new Map([['w', 'w2']]))).graphs[0]!;
    expect(after.inputs.map((i) => i.name)).toEqual(['x', 'w2']);
  });

  test('returns the same bytes when there is nothing to rename, and refuses bytes that are not a model', () => {
    const bytes = encodeModel(classifierSpec());
    expect(renameInitializers(bytes, new Map())).toBe(bytes);
    expect(() => renameInitializers(new Uint8Array([0x3a, 0xff, 0xff]), new Map([['w', 'v']]))).toThrow(RewriteError);
  });
});

describe('topologicalOrder', () => {
  test('keeps file order when it is already topological, and sorts it when it is not', () => {
    const spec = overflowSpec();
    const names = (s: typeof spec) => topologicalOrder(decodeModel(encodeModel(s))).map((n) => n.name);
    expect(names(spec)).toEqual(['scale_up', 'overflow_here', 'scale_down', 'back_to_input']);
    spec.graph.nodes.reverse();
    expect(names(spec)).toEqual(['scale_up', 'overflow_here', 'scale_down', 'back_to_input']);
  });
});
