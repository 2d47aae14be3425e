/**
 * A pre-LayerNorm transformer encoder of `layers` blocks built on com.microsoft Attention, with
 * fp16 weights either inline (zeros) or declared in one external file that the caller creates
 * sparse (truncate), so that a model of 100 GiB of weights costs no disk.
 */
import type { ModelSpec, NodeSpec, TensorSpec } from '../../src/onnx/model-spec.js';

export interface TransformerOptions {
  layers: number;
  hidden: number;
  heads: number;
  seq: number;
  /** Put the big weights in this external file (relative to the model); inline zeros otherwise. */
  externalFile?: string;
}

export function transformer(o: TransformerOptions): { spec: ModelSpec; externalBytes: number } {
  const h = o.hidden;
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  let offset = 0;
  const big = (name: string, dims: number[]) => {
    const length = dims.reduce((a, b) => a * b, 1) * 2;
    if (o.externalFile) {
      initializers.push({ name, dtype: 'FLOAT16', dims, external: { location: o.externalFile, offset, length } });
      offset += length;
    } else {
      initializers.push({ name, dtype: 'FLOAT16', dims, raw: new Uint8Array(length) });
    }
  };
  const small = (name: string, dims: number[]) => {
    initializers.push({ name, dtype: 'FLOAT16', dims, raw: new Uint8Array(dims.reduce((a, b) => a * b, 1) * 2) });
  };
  let x = 'x';
  for (let l = 0; l < o.layers; l++) {
    const p = `l${l}`;
    small(`${p}.ln1.g`, [h]);
    small(`${p}.ln1.b`, [h]);
    small(`${p}.ln2.g`, [h]);
    small(`${p}.ln2.b`, [h]);
    big(`${p}.qkv`, [h, 3 * h]);
    small(`${p}.qkv.b`, [3 * h]);
    big(`${p}.o`, [h, h]);
    big(`${p}.fc1`, [h, 4 * h]);
    big(`${p}.fc2`, [4 * h, h]);
    nodes.push(
      { opType: 'LayerNormalization', name: `${p}.ln1`, inputs: [x, `${p}.ln1.g`, `${p}.ln1.b`], outputs: [`${p}.n1`], attributes: { axis: { i: -1 } } },
      { opType: 'Attention', domain: 'com.microsoft', name: `${p}.attn`, inputs: [`${p}.n1`, `${p}.qkv`, `${p}.qkv.b`], outputs: [`${p}.a`], attributes: { num_heads: { i: o.heads } } },
      { opType: 'MatMul', name: `${p}.proj`, inputs: [`${p}.a`, `${p}.o`], outputs: [`${p}.ao`] },
      { opType: 'Add', name: `${p}.res1`, inputs: [x, `${p}.ao`], outputs: [`${p}.h1`] },
      { opType: 'LayerNormalization', name: `${p}.ln2`, inputs: [`${p}.h1`, `${p}.ln2.g`, `${p}.ln2.b`], outputs: [`${p}.n2`], attributes: { axis: { i: -1 } } },
      { opType: 'MatMul', name: `${p}.fc1`, inputs: [`${p}.n2`, `${p}.fc1`], outputs: [`${p}.f1`] },
      { opType: 'FastGelu', domain: 'com.microsoft', name: `${p}.gelu`, inputs: [`${p}.f1`], outputs: [`${p}.g`] },
      { opType: 'MatMul', name: `${p}.fc2`, inputs: [`${p}.g`, `${p}.fc2`], outputs: [`${p}.f2`] },
      { opType: 'Add', name: `${p}.res2`, inputs: [`${p}.h1`, `${p}.f2`], outputs: [`${p}.out`] },
    );
    x = `${p}.out`;
  }
  return {
    spec: {
      opsets: { 'ai.onnx': 17, 'com.microsoft': 1 },
      graph: {
        nodes,
        inputs: [{ name: 'x', dtype: 'FLOAT16', dims: ['batch', o.seq, h] }],
        outputs: [{ name: x, dtype: 'FLOAT16', dims: ['batch', o.seq, h] }],
        initializers,
      },
    },
    externalBytes: offset,
  };
}
