/**
 * An unfused decoder as exporters write it, small enough to build in a test, for the estimate's
 * and the serving plan's tests alike. Per layer: a LayerNorm, Q/K/V MatMuls split into heads, the
 * past_key_values.N.key/value inputs ([batch, kv heads, past, head]) concatenated in front of the
 * new K/V into present.N.key/value outputs, MatMul → Softmax → MatMul attention, the output
 * projection and the residual Add; then, with `intermediate`, an MLP: dense (up, Relu, down) or a
 * mixture of experts (a router MatMul → Softmax → TopK(k), then E stacked experts
 * [E, hidden, inter]) and its residual Add.
 * With `vocab`, the whole LLM as Optimum / onnxruntime-genai export it: input_ids → embedding
 * Gather → the layers → lm head → `logits`. Without, the layer stack alone: hidden states `x` in
 * ([batch, sequence_length, hidden], fp16) and the last layer's out.
 */
import type { ModelSpec, NodeSpec, TensorSpec, ValueSpec } from '../../src/onnx/model-spec.js';

export interface DecoderOptions {
  layers: number;
  hidden: number;
  heads: number;
  /** The MLP's inner width; absent: attention blocks only. */
  intermediate?: number;
  /** The vocabulary: input_ids in, logits out; absent: hidden states in and out. */
  vocab?: number;
  /** Export the KV cache as graph inputs/outputs (default true). */
  kvCache?: boolean;
  moe?: { experts: number; perToken: number };
}

export function decoderGraph(o: DecoderOptions): ModelSpec {
  const h = o.hidden;
  const hd = h / o.heads;
  const withKv = o.kvCache ?? true;
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
  if (o.vocab !== undefined) initializers.push(zeros('embed', [o.vocab, h]), zeros('lm_head', [h, o.vocab]));
  if (o.moe) initializers.push(int64('k', [o.moe.perToken]), int64('expert_axis', [1]));
  const pastInputs: ValueSpec[] = [];
  const presentOutputs: ValueSpec[] = [];
  let x = 'x';
  if (o.vocab !== undefined) {
    nodes.push({ opType: 'Gather', name: 'embed', inputs: ['embed', 'input_ids'], outputs: ['x0'] });
    x = 'x0';
  }
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
    const keys = withKv ? `present.${l}.key` : `${p}.k.t`;
    const values = withKv ? `present.${l}.value` : `${p}.v.t`;
    if (withKv) {
      for (const [w, kind] of [['k', 'key'], ['v', 'value']] as const) {
        pastInputs.push({ name: `past_key_values.${l}.${kind}`, dtype: 'FLOAT16', dims: ['batch', o.heads, 'past_sequence_length', hd] });
        presentOutputs.push({ name: `present.${l}.${kind}`, dtype: 'FLOAT16', dims: ['batch', o.heads, 'total_sequence_length', hd] });
        nodes.push({ opType: 'Concat', name: `${p}.${w}.cache`, inputs: [`past_key_values.${l}.${kind}`, `${p}.${w}.t`], outputs: [`present.${l}.${kind}`], attributes: { axis: { i: 2 } } });
      }
    }
    nodes.push(
      { opType: 'Transpose', name: `${p}.kt`, inputs: [keys], outputs: [`${p}.kt`], attributes: { perm: { ints: [0, 1, 3, 2] } } },
      { opType: 'MatMul', name: `${p}.qk`, inputs: [`${p}.q.t`, `${p}.kt`], outputs: [`${p}.scores`] },
      { opType: 'Softmax', name: `${p}.softmax`, inputs: [`${p}.scores`], outputs: [`${p}.probs`], attributes: { axis: { i: -1 } } },
      { opType: 'MatMul', name: `${p}.av`, inputs: [`${p}.probs`, values], outputs: [`${p}.ctx`] },
      { opType: 'Transpose', name: `${p}.ctx.t`, inputs: [`${p}.ctx`], outputs: [`${p}.ctx.t`], attributes: { perm: { ints: [0, 2, 1, 3] } } },
      { opType: 'Reshape', name: `${p}.ctx.merge`, inputs: [`${p}.ctx.t`, 'merge'], outputs: [`${p}.ctx.m`] },
      { opType: 'MatMul', name: `${p}.o`, inputs: [`${p}.ctx.m`, `${p}.wo`], outputs: [`${p}.o`] },
      { opType: 'Add', name: `${p}.res`, inputs: [x, `${p}.o`], outputs: [o.intermediate !== undefined ? `${p}.h` : `${p}.out`] },
    );
    if (o.intermediate !== undefined) {
      const mlpOut = mlp(p, `${p}.h`, { ...o, intermediate: o.intermediate }, h, nodes, initializers, zeros);
      nodes.push({ opType: 'Add', name: `${p}.res2`, inputs: [`${p}.h`, mlpOut], outputs: [`${p}.out`] });
    }
    x = `${p}.out`;
  }
  const ends: { inputs: ValueSpec[]; outputs: ValueSpec[] } = o.vocab !== undefined
    ? {
      inputs: [{ name: 'input_ids', dtype: 'INT64', dims: ['batch', 'sequence_length'] }],
      outputs: [{ name: 'logits', dtype: 'FLOAT16', dims: ['batch', 'sequence_length', o.vocab] }],
    }
    : {
      inputs: [{ name: 'x', dtype: 'FLOAT16', dims: ['batch', 'sequence_length', h] }],
      outputs: [{ name: x, dtype: 'FLOAT16', dims: ['batch', 'sequence_length', h] }],
    };
  if (o.vocab !== undefined) nodes.push({ opType: 'MatMul', name: 'lm_head', inputs: [x, 'lm_head'], outputs: ['logits'] });
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes,
      inputs: [...ends.inputs, ...pastInputs],
      outputs: [...ends.outputs, ...presentOutputs],
      initializers,
    },
  };
}

function mlp(
  p: string, input: string, o: DecoderOptions & { intermediate: number }, h: number, nodes: NodeSpec[], initializers: TensorSpec[],
  zeros: (name: string, dims: number[]) => TensorSpec,
): string {
  const inter = o.intermediate;
  if (!o.moe) {
    initializers.push(zeros(`${p}.up`, [h, inter]), zeros(`${p}.down`, [inter, h]));
    nodes.push(
      { opType: 'MatMul', name: `${p}.up`, inputs: [input, `${p}.up`], outputs: [`${p}.u`] },
      { opType: 'Relu', name: `${p}.act`, inputs: [`${p}.u`], outputs: [`${p}.a`] },
      { opType: 'MatMul', name: `${p}.down`, inputs: [`${p}.a`, `${p}.down`], outputs: [`${p}.mlp`] },
    );
    return `${p}.mlp`;
  }
  const e = o.moe.experts;
  initializers.push(zeros(`${p}.router`, [h, e]), zeros(`${p}.experts.up`, [e, h, inter]), zeros(`${p}.experts.down`, [e, inter, h]));
  nodes.push(
    { opType: 'MatMul', name: `${p}.router`, inputs: [input, `${p}.router`], outputs: [`${p}.logits`] },
    { opType: 'Softmax', name: `${p}.route`, inputs: [`${p}.logits`], outputs: [`${p}.gates`], attributes: { axis: { i: -1 } } },
    { opType: 'TopK', name: `${p}.topk`, inputs: [`${p}.gates`, 'k'], outputs: [`${p}.topv`, `${p}.topi`], attributes: { axis: { i: -1 } } },
    // Every expert on every token (the weights' shapes are what matter here), summed over experts.
    { opType: 'Unsqueeze', name: `${p}.fan`, inputs: [input, 'expert_axis'], outputs: [`${p}.x4`] },
    { opType: 'MatMul', name: `${p}.experts.up`, inputs: [`${p}.x4`, `${p}.experts.up`], outputs: [`${p}.eu`] },
    { opType: 'Relu', name: `${p}.experts.act`, inputs: [`${p}.eu`], outputs: [`${p}.ea`] },
    { opType: 'MatMul', name: `${p}.experts.down`, inputs: [`${p}.ea`, `${p}.experts.down`], outputs: [`${p}.ed`] },
    { opType: 'ReduceSum', name: `${p}.combine`, inputs: [`${p}.ed`, 'expert_axis'], outputs: [`${p}.mlp`], attributes: { keepdims: { i: 0 } } },
  );
  return `${p}.mlp`;
}
