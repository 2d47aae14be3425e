/**
 * A pre-LayerNorm transformer encoder of `layers` blocks built on com.microsoft Attention, with
 * fp16 weights either inline (zeros) or declared in one external file that the caller creates
 * sparse (truncate), so that a model of 100 GiB of weights costs no disk.
 */
import type { ModelSpec, NodeSpec, TensorSpec, ValueSpec } from '../../src/onnx/model-spec.js';

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

/**
 * An unfused decoder as exporters write it: per layer LayerNorm, Q/K/V MatMuls reshaped into
 * heads, the past K/V (graph inputs past.N.key / past.N.value, [batch, heads, past, head]) concatenated
 * in front of the new ones, MatMul → Softmax → MatMul attention, and the output projection.
 */
export function unfusedDecoder(o: { layers: number; hidden: number; heads: number }): ModelSpec {
  const h = o.hidden;
  const hd = h / o.heads;
  const nodes: NodeSpec[] = [];
  const zeros = (name: string, dims: number[]): TensorSpec => ({
    name, dtype: 'FLOAT16', dims, raw: new Uint8Array(dims.reduce((a, b) => a * b, 1) * 2),
  });
  const int64 = (name: string, values: number[]): TensorSpec => {
    const raw = new Uint8Array(values.length * 8);
    values.forEach((v, i) => new DataView(raw.buffer).setBigInt64(i * 8, BigInt(v), true));
    return { name, dtype: 'INT64', dims: [values.length], raw };
  };
  const initializers: TensorSpec[] = [int64('heads', [0, 0, o.heads, hd]), int64('merge', [0, 0, h])];
  const pastInputs: ValueSpec[] = [];
  let x = 'x';
  for (let l = 0; l < o.layers; l++) {
    const p = `l${l}`;
    initializers.push(zeros(`${p}.g`, [h]), zeros(`${p}.b`, [h]), zeros(`${p}.wq`, [h, h]), zeros(`${p}.wk`, [h, h]), zeros(`${p}.wv`, [h, h]), zeros(`${p}.wo`, [h, h]));
    nodes.push({ opType: 'LayerNormalization', name: `${p}.ln`, inputs: [x, `${p}.g`, `${p}.b`], outputs: [`${p}.n`], attributes: { axis: { i: -1 } } });
    for (const w of ['q', 'k', 'v']) {
      nodes.push(
        { opType: 'MatMul', name: `${p}.${w}`, inputs: [`${p}.n`, `${p}.w${w}`], outputs: [`${p}.${w}.mm`] },
        { opType: 'Reshape', name: `${p}.${w}.split`, inputs: [`${p}.${w}.mm`, 'heads'], outputs: [`${p}.${w}.r`] },
        { opType: 'Transpose', name: `${p}.${w}.heads`, inputs: [`${p}.${w}.r`], outputs: [`${p}.${w}.t`], attributes: { perm: { ints: [0, 2, 1, 3] } } },
      );
    }
    for (const [w, kind] of [['k', 'key'], ['v', 'value']] as const) {
      pastInputs.push({ name: `past.${l}.${kind}`, dtype: 'FLOAT16', dims: ['batch', o.heads, 'past_sequence_length', hd] });
      nodes.push({ opType: 'Concat', name: `${p}.${w}.cache`, inputs: [`past.${l}.${kind}`, `${p}.${w}.t`], outputs: [`present.${l}.${kind}`], attributes: { axis: { i: 2 } } });
    }
    nodes.push(
      { opType: 'Transpose', name: `${p}.kt`, inputs: [`present.${l}.key`], outputs: [`${p}.kt`], attributes: { perm: { ints: [0, 1, 3, 2] } } },
      { opType: 'MatMul', name: `${p}.qk`, inputs: [`${p}.q.t`, `${p}.kt`], outputs: [`${p}.scores`] },
      { opType: 'Softmax', name: `${p}.softmax`, inputs: [`${p}.scores`], outputs: [`${p}.probs`], attributes: { axis: { i: -1 } } },
      { opType: 'MatMul', name: `${p}.av`, inputs: [`${p}.probs`, `present.${l}.value`], outputs: [`${p}.ctx`] },
      { opType: 'Transpose', name: `${p}.ctx.t`, inputs: [`${p}.ctx`], outputs: [`${p}.ctx.t`], attributes: { perm: { ints: [0, 2, 1, 3] } } },
      { opType: 'Reshape', name: `${p}.ctx.merge`, inputs: [`${p}.ctx.t`, 'merge'], outputs: [`${p}.ctx.m`] },
      { opType: 'MatMul', name: `${p}.o`, inputs: [`${p}.ctx.m`, `${p}.wo`], outputs: [`${p}.o`] },
      { opType: 'Add', name: `${p}.res`, inputs: [x, `${p}.o`], outputs: [`${p}.out`] },
    );
    x = `${p}.out`;
  }
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes,
      inputs: [{ name: 'x', dtype: 'FLOAT16', dims: ['batch', 'sequence_length', h] }, ...pastInputs],
      outputs: [{ name: x, dtype: 'FLOAT16', dims: ['batch', 'sequence_length', h] }],
      initializers,
    },
  };
}
