/**
 * Writes the small sample models in models/ that the README's first commands use. Deterministic:
 * weights come from a seeded PRNG, so a re-run gives byte-identical files (a test checks that the
 * committed files match). `npm run models` runs the compiled copy (dist/scripts/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeModel } from '../src/onnx/writer.js';
import { randomValues, seededRandom, tensorFromFloats, tensorFromInts } from '../src/onnx/tensor-data.js';
import type { GraphSpec, ModelSpec, NodeSpec, TensorSpec } from '../src/onnx/model-spec.js';
import { packageRoot } from '../src/package-root.js';

export interface SampleModel {
  file: string;
  /** One line for the README / --help: what the sample shows. */
  description: string;
  spec: ModelSpec;
}

const PRODUCER = { producerName: 'port-check make-sample-models', producerVersion: '1' };

export function sampleModels(): SampleModel[] {
  return [
    {
      file: 'resnet-block.onnx',
      description: 'a small CNN (Conv, BatchNormalization, residual Add, GlobalAveragePool, Gemm), opset 17, fp32: ports cleanly',
      spec: resnetBlock(),
    },
    {
      file: 'llm-attention-block.onnx',
      description: 'a decoder block optimised for CUDA: fp16 com.microsoft Attention, SkipLayerNormalization and FastGelu, int64 Gather, dynamic batch and sequence',
      spec: attentionBlock('FLOAT16'),
    },
    {
      file: 'quantized-fp8.onnx',
      description: 'QDQ int8 (QuantizeLinear/DequantizeLinear) plus a FLOAT8E4M3FN weight and Casts through bfloat16, opset 19 (past ATC\'s window)',
      spec: quantizedFp8(),
    },
    {
      file: 'control-flow.onnx',
      description: 'a Loop whose body holds an If, a model-local function with an attribute reference, and NonZero (data-dependent shape)',
      spec: controlFlow(),
    },
  ];
}

/** Uniform weights scaled like He initialisation, so activations stay in a sane range. */
function weights(random: () => number, name: string, dims: number[], fanIn: number, dtype: 'FLOAT' | 'FLOAT16' = 'FLOAT'): TensorSpec {
  const count = dims.reduce((a, b) => a * b, 1);
  return tensorFromFloats(name, dims, randomValues(random, count, Math.sqrt(6 / fanIn)), dtype);
}

function constantFloats(random: () => number, name: string, dims: number[], centre: number, spread: number, dtype: 'FLOAT' | 'FLOAT16' = 'FLOAT'): TensorSpec {
  const count = dims.reduce((a, b) => a * b, 1);
  return tensorFromFloats(name, dims, randomValues(random, count, spread).map((v) => centre + v), dtype);
}

function resnetBlock(): ModelSpec {
  const random = seededRandom(17);
  const initializers: TensorSpec[] = [];
  const nodes: NodeSpec[] = [];

  const convBn = (prefix: string, input: string, cin: number, cout: number, stride: number, relu: boolean): string => {
    initializers.push(
      weights(random, `${prefix}.conv.weight`, [cout, cin, 3, 3], cin * 9),
      constantFloats(random, `${prefix}.bn.weight`, [cout], 1, 0.1),
      constantFloats(random, `${prefix}.bn.bias`, [cout], 0, 0.1),
      constantFloats(random, `${prefix}.bn.running_mean`, [cout], 0, 0.1),
      constantFloats(random, `${prefix}.bn.running_var`, [cout], 1, 0.2),
    );
    nodes.push(
      {
        opType: 'Conv', name: `/${prefix}/conv/Conv`,
        inputs: [input, `${prefix}.conv.weight`], outputs: [`/${prefix}/conv/Conv_output_0`],
        attributes: {
          dilations: { ints: [1, 1] }, group: { i: 1 }, kernel_shape: { ints: [3, 3] },
          pads: { ints: [1, 1, 1, 1] }, strides: { ints: [stride, stride] },
        },
      },
      {
        opType: 'BatchNormalization', name: `/${prefix}/bn/BatchNormalization`,
        inputs: [`/${prefix}/conv/Conv_output_0`, `${prefix}.bn.weight`, `${prefix}.bn.bias`, `${prefix}.bn.running_mean`, `${prefix}.bn.running_var`],
        outputs: [`/${prefix}/bn/BatchNormalization_output_0`],
        attributes: { epsilon: { f: 1e-5 }, momentum: { f: 0.9 } },
      },
    );
    if (!relu) return `/${prefix}/bn/BatchNormalization_output_0`;
    nodes.push({
      opType: 'Relu', name: `/${prefix}/relu/Relu`,
      inputs: [`/${prefix}/bn/BatchNormalization_output_0`], outputs: [`/${prefix}/relu/Relu_output_0`],
    });
    return `/${prefix}/relu/Relu_output_0`;
  };

  const stem = convBn('stem', 'image', 3, 16, 2, true);
  const mid = convBn('layer1/conv1', stem, 16, 16, 1, true);
  const last = convBn('layer1/conv2', mid, 16, 16, 1, false);
  initializers.push(weights(random, 'fc.weight', [10, 16], 16), constantFloats(random, 'fc.bias', [10], 0, 0.05));
  nodes.push(
    { opType: 'Add', name: '/layer1/Add', inputs: [last, stem], outputs: ['/layer1/Add_output_0'] },
    { opType: 'Relu', name: '/layer1/relu/Relu', inputs: ['/layer1/Add_output_0'], outputs: ['/layer1/relu/Relu_output_0'] },
    { opType: 'GlobalAveragePool', name: '/pool/GlobalAveragePool', inputs: ['/layer1/relu/Relu_output_0'], outputs: ['/pool/GlobalAveragePool_output_0'] },
    { opType: 'Flatten', name: '/Flatten', inputs: ['/pool/GlobalAveragePool_output_0'], outputs: ['/Flatten_output_0'], attributes: { axis: { i: 1 } } },
    {
      opType: 'Gemm', name: '/fc/Gemm', inputs: ['/Flatten_output_0', 'fc.weight', 'fc.bias'], outputs: ['logits'],
      attributes: { alpha: { f: 1 }, beta: { f: 1 }, transB: { i: 1 } },
    },
  );
  return {
    irVersion: 8,
    opsets: { 'ai.onnx': 17 },
    ...PRODUCER,
    docString: 'port-check sample: a residual CNN block on 32x32 images (10 classes).',
    graph: {
      name: 'resnet_block',
      nodes,
      inputs: [{ name: 'image', dtype: 'FLOAT', dims: ['batch', 3, 32, 32] }],
      outputs: [{ name: 'logits', dtype: 'FLOAT', dims: ['batch', 10] }],
      initializers,
    },
  };
}

const HIDDEN = 64;
const HEADS = 4;
const FFN = 256;
const VOCAB = 256;

/**
 * One transformer decoder block as ONNX Runtime's transformer optimizer leaves it for CUDA: fused
 * com.microsoft Attention / SkipLayerNormalization / FastGelu in fp16. Exported for tests, which
 * also build the FLOAT twin (same graph, fp32 weights) to run it on the CPU provider.
 */
export function attentionBlock(dtype: 'FLOAT16' | 'FLOAT'): ModelSpec {
  const random = seededRandom(2024);
  const w = (name: string, dims: number[], fanIn: number) => weights(random, name, dims, fanIn, dtype);
  const c = (name: string, dims: number[], centre: number, spread: number) => constantFloats(random, name, dims, centre, spread, dtype);
  const ms = 'com.microsoft';
  return {
    irVersion: 8,
    opsets: { 'ai.onnx': 17, [ms]: 1 },
    ...PRODUCER,
    docString: `port-check sample: a ${dtype === 'FLOAT16' ? 'fp16' : 'fp32'} decoder block (hidden ${HIDDEN}, ${HEADS} heads, vocab ${VOCAB}).`,
    metadata: { architecture: 'decoder-only transformer block', optimized_for: 'CUDAExecutionProvider' },
    graph: {
      name: 'decoder_block',
      inputs: [
        { name: 'input_ids', dtype: 'INT64', dims: ['batch_size', 'sequence_length'] },
        { name: 'attention_mask', dtype: 'INT32', dims: ['batch_size', 'sequence_length'] },
      ],
      outputs: [{ name: 'logits', dtype, dims: ['batch_size', 'sequence_length', VOCAB] }],
      valueInfo: [
        { name: '/model/embed_tokens/Gather_output_0', dtype, dims: ['batch_size', 'sequence_length', HIDDEN] },
        { name: '/model/layers.0/self_attn/Attention_output_0', dtype, dims: ['batch_size', 'sequence_length', HIDDEN] },
        { name: '/model/layers.0/mlp/FastGelu_output_0', dtype, dims: ['batch_size', 'sequence_length', FFN] },
      ],
      initializers: [
        w('model.embed_tokens.weight', [VOCAB, HIDDEN], HIDDEN),
        c('model.layers.0.input_layernorm.weight', [HIDDEN], 1, 0.05),
        c('model.layers.0.input_layernorm.bias', [HIDDEN], 0, 0.05),
        w('model.layers.0.self_attn.qkv_proj.weight', [HIDDEN, 3 * HIDDEN], HIDDEN),
        c('model.layers.0.self_attn.qkv_proj.bias', [3 * HIDDEN], 0, 0.02),
        w('model.layers.0.self_attn.o_proj.weight', [HIDDEN, HIDDEN], HIDDEN),
        c('model.layers.0.self_attn.o_proj.bias', [HIDDEN], 0, 0.02),
        c('model.layers.0.post_attention_layernorm.weight', [HIDDEN], 1, 0.05),
        c('model.layers.0.post_attention_layernorm.bias', [HIDDEN], 0, 0.05),
        w('model.layers.0.mlp.fc1.weight', [HIDDEN, FFN], HIDDEN),
        c('model.layers.0.mlp.fc1.bias', [FFN], 0, 0.02),
        w('model.layers.0.mlp.fc2.weight', [FFN, HIDDEN], FFN),
        c('model.norm.weight', [HIDDEN], 1, 0.05),
        c('model.norm.bias', [HIDDEN], 0, 0.05),
        w('lm_head.weight', [HIDDEN, VOCAB], HIDDEN),
      ],
      nodes: [
        {
          opType: 'Gather', name: '/model/embed_tokens/Gather',
          inputs: ['model.embed_tokens.weight', 'input_ids'], outputs: ['/model/embed_tokens/Gather_output_0'],
          attributes: { axis: { i: 0 } },
        },
        {
          opType: 'LayerNormalization', name: '/model/layers.0/input_layernorm/LayerNormalization',
          inputs: ['/model/embed_tokens/Gather_output_0', 'model.layers.0.input_layernorm.weight', 'model.layers.0.input_layernorm.bias'],
          outputs: ['/model/layers.0/input_layernorm/LayerNormalization_output_0'],
          attributes: { axis: { i: -1 }, epsilon: { f: 1e-5 } },
        },
        {
          opType: 'Attention', domain: ms, name: '/model/layers.0/self_attn/Attention',
          inputs: [
            '/model/layers.0/input_layernorm/LayerNormalization_output_0',
            'model.layers.0.self_attn.qkv_proj.weight', 'model.layers.0.self_attn.qkv_proj.bias', 'attention_mask',
          ],
          outputs: ['/model/layers.0/self_attn/Attention_output_0'],
          attributes: { num_heads: { i: HEADS }, unidirectional: { i: 1 } },
        },
        {
          opType: 'MatMul', name: '/model/layers.0/self_attn/o_proj/MatMul',
          inputs: ['/model/layers.0/self_attn/Attention_output_0', 'model.layers.0.self_attn.o_proj.weight'],
          outputs: ['/model/layers.0/self_attn/o_proj/MatMul_output_0'],
        },
        {
          opType: 'SkipLayerNormalization', domain: ms, name: '/model/layers.0/post_attention_layernorm/SkipLayerNorm',
          inputs: [
            '/model/layers.0/self_attn/o_proj/MatMul_output_0', '/model/embed_tokens/Gather_output_0',
            'model.layers.0.post_attention_layernorm.weight', 'model.layers.0.post_attention_layernorm.bias',
            'model.layers.0.self_attn.o_proj.bias',
          ],
          outputs: ['/model/layers.0/post_attention_layernorm/output_0', '', '', '/model/layers.0/residual_0'],
          attributes: { epsilon: { f: 1e-5 } },
        },
        {
          opType: 'MatMul', name: '/model/layers.0/mlp/fc1/MatMul',
          inputs: ['/model/layers.0/post_attention_layernorm/output_0', 'model.layers.0.mlp.fc1.weight'],
          outputs: ['/model/layers.0/mlp/fc1/MatMul_output_0'],
        },
        {
          opType: 'FastGelu', domain: ms, name: '/model/layers.0/mlp/FastGelu',
          inputs: ['/model/layers.0/mlp/fc1/MatMul_output_0', 'model.layers.0.mlp.fc1.bias'],
          outputs: ['/model/layers.0/mlp/FastGelu_output_0'],
        },
        {
          opType: 'MatMul', name: '/model/layers.0/mlp/fc2/MatMul',
          inputs: ['/model/layers.0/mlp/FastGelu_output_0', 'model.layers.0.mlp.fc2.weight'],
          outputs: ['/model/layers.0/mlp/fc2/MatMul_output_0'],
        },
        {
          opType: 'Add', name: '/model/layers.0/Add',
          inputs: ['/model/layers.0/mlp/fc2/MatMul_output_0', '/model/layers.0/residual_0'],
          outputs: ['/model/layers.0/Add_output_0'],
        },
        {
          opType: 'LayerNormalization', name: '/model/norm/LayerNormalization',
          inputs: ['/model/layers.0/Add_output_0', 'model.norm.weight', 'model.norm.bias'],
          outputs: ['/model/norm/LayerNormalization_output_0'],
          attributes: { axis: { i: -1 }, epsilon: { f: 1e-5 } },
        },
        {
          opType: 'MatMul', name: '/lm_head/MatMul',
          inputs: ['/model/norm/LayerNormalization_output_0', 'lm_head.weight'], outputs: ['logits'],
        },
      ],
    },
  };
}

function quantizedFp8(): ModelSpec {
  const random = seededRandom(19);
  const w1 = randomValues(random, 64 * 64, 127).map(Math.round);
  const w1Scale = randomValues(random, 64, 0.001).map((v) => 0.004 + v);
  const w2 = randomValues(random, 64 * 32, 2);
  return {
    irVersion: 9,
    opsets: { 'ai.onnx': 19 },
    ...PRODUCER,
    // fp8 is weight-only (float activations), as fp8 checkpoints usually are.
    docString: 'port-check sample: int8 QDQ layer, then a FLOAT8E4M3FN weight-only layer, logits rounded through bfloat16.',
    graph: {
      name: 'quantized_mlp',
      inputs: [{ name: 'features', dtype: 'FLOAT', dims: ['batch', 64] }],
      outputs: [{ name: 'scores', dtype: 'FLOAT', dims: ['batch', 32] }],
      valueInfo: [{ name: 'logits_bf16', dtype: 'BFLOAT16', dims: ['batch', 32] }],
      initializers: [
        tensorFromFloats('features_scale', [], [0.05]),
        tensorFromInts('features_zero_point', [], [0], 'INT8'),
        tensorFromInts('fc1.weight_quantized', [64, 64], w1, 'INT8'),
        tensorFromFloats('fc1.weight_scale', [64], w1Scale),
        tensorFromInts('fc1.weight_zero_point', [64], new Array<number>(64).fill(0), 'INT8'),
        constantFloats(random, 'fc1.bias', [64], 0, 0.1),
        tensorFromFloats('fc2.weight_fp8', [64, 32], w2, 'FLOAT8E4M3FN'),
        tensorFromFloats('fc2.weight_scale', [], [0.03]),
      ],
      nodes: [
        { opType: 'QuantizeLinear', name: 'features_QuantizeLinear', inputs: ['features', 'features_scale', 'features_zero_point'], outputs: ['features_quantized'] },
        { opType: 'DequantizeLinear', name: 'features_DequantizeLinear', inputs: ['features_quantized', 'features_scale', 'features_zero_point'], outputs: ['features_dequantized'] },
        {
          opType: 'DequantizeLinear', name: 'fc1.weight_DequantizeLinear',
          inputs: ['fc1.weight_quantized', 'fc1.weight_scale', 'fc1.weight_zero_point'], outputs: ['fc1.weight_dequantized'],
          attributes: { axis: { i: 1 } },
        },
        { opType: 'MatMul', name: '/fc1/MatMul', inputs: ['features_dequantized', 'fc1.weight_dequantized'], outputs: ['/fc1/MatMul_output_0'] },
        { opType: 'Add', name: '/fc1/Add', inputs: ['/fc1/MatMul_output_0', 'fc1.bias'], outputs: ['/fc1/Add_output_0'] },
        { opType: 'Relu', name: '/act/Relu', inputs: ['/fc1/Add_output_0'], outputs: ['/act/Relu_output_0'] },
        { opType: 'DequantizeLinear', name: 'fc2.weight_DequantizeLinear', inputs: ['fc2.weight_fp8', 'fc2.weight_scale'], outputs: ['fc2.weight_dequantized'] },
        { opType: 'MatMul', name: '/fc2/MatMul', inputs: ['/act/Relu_output_0', 'fc2.weight_dequantized'], outputs: ['/fc2/MatMul_output_0'] },
        // A bf16 island as autocast leaves it: the logits are rounded to bfloat16 and back.
        { opType: 'Cast', name: '/autocast/Cast_to_bf16', inputs: ['/fc2/MatMul_output_0'], outputs: ['logits_bf16'], attributes: { to: { i: 16 } } },
        { opType: 'Cast', name: '/autocast/Cast_to_fp32', inputs: ['logits_bf16'], outputs: ['logits'], attributes: { to: { i: 1 } } },
        { opType: 'Softmax', name: '/Softmax', inputs: ['logits'], outputs: ['scores'], attributes: { axis: { i: -1 } } },
      ],
    },
  };
}

function controlFlow(): ModelSpec {
  const random = seededRandom(7);
  const fnDomain = 'custom.layers';
  return {
    irVersion: 8,
    opsets: { 'ai.onnx': 17, [fnDomain]: 1 },
    ...PRODUCER,
    docString: 'port-check sample: iterative refinement in a Loop with a data-dependent If, then NonZero.',
    graph: {
      name: 'refine',
      inputs: [{ name: 'scores', dtype: 'FLOAT', dims: ['batch', 8] }],
      outputs: [
        { name: 'refined', dtype: 'FLOAT', dims: ['batch', 8] },
        { name: 'positive_indices', dtype: 'INT64', dims: [2, 'num_positive'] },
      ],
      initializers: [
        tensorFromInts('trip_count', [], [3]),
        tensorFromInts('keep_going', [], [1], 'BOOL'),
        constantFloats(random, 'bias', [8], 0, 0.5),
      ],
      nodes: [
        {
          opType: 'ScaledTanh', domain: fnDomain, name: '/squash/ScaledTanh',
          inputs: ['scores'], outputs: ['/squash/ScaledTanh_output_0'], attributes: { alpha: { f: 2 } },
        },
        {
          opType: 'Loop', name: '/refine/Loop',
          inputs: ['trip_count', 'keep_going', '/squash/ScaledTanh_output_0'], outputs: ['refined'],
          attributes: { body: { g: loopBody() } },
        },
        { opType: 'Add', name: '/Add', inputs: ['refined', 'bias'], outputs: ['/Add_output_0'] },
        { opType: 'NonZero', name: '/NonZero', inputs: ['/Add_output_0'], outputs: ['positive_indices'] },
      ],
    },
    functions: [
      {
        domain: fnDomain, name: 'ScaledTanh', inputs: ['x'], outputs: ['y'], attributes: ['alpha'],
        opsets: { 'ai.onnx': 17 },
        nodes: [
          { opType: 'Constant', inputs: [], outputs: ['alpha_value'], attributes: { value_float: { ref: 'alpha', type: 'FLOAT' } } },
          { opType: 'Tanh', inputs: ['x'], outputs: ['tanh_x'] },
          { opType: 'Mul', inputs: ['tanh_x', 'alpha_value'], outputs: ['y'] },
        ],
      },
    ],
  };
}

/** Loop body: halve the state while its sum is positive, else shift it up by one. */
function loopBody(): GraphSpec {
  const branch = (name: string, opType: string, constant: number): GraphSpec => ({
    name,
    nodes: [
      { opType: 'Constant', inputs: [], outputs: [`${name}_c`], attributes: { value: { t: tensorFromFloats(`${name}_c`, [], [constant]) } } },
      { opType, inputs: ['state_in', `${name}_c`], outputs: [`${name}_out`] },
    ],
    inputs: [],
    outputs: [{ name: `${name}_out`, dtype: 'FLOAT', dims: ['batch', 8] }],
  });
  return {
    name: 'refine_body',
    inputs: [
      { name: 'iteration', dtype: 'INT64', dims: [] },
      { name: 'cond_in', dtype: 'BOOL', dims: [] },
      { name: 'state_in', dtype: 'FLOAT', dims: ['batch', 8] },
    ],
    outputs: [
      { name: 'cond_out', dtype: 'BOOL', dims: [] },
      { name: 'state_out', dtype: 'FLOAT', dims: ['batch', 8] },
    ],
    nodes: [
      { opType: 'Identity', name: '/refine/Loop/body/Identity', inputs: ['cond_in'], outputs: ['cond_out'] },
      { opType: 'ReduceSum', name: '/refine/Loop/body/ReduceSum', inputs: ['state_in'], outputs: ['total'], attributes: { keepdims: { i: 0 } } },
      { opType: 'Constant', name: '/refine/Loop/body/zero', inputs: [], outputs: ['zero'], attributes: { value: { t: tensorFromFloats('zero', [], [0]) } } },
      { opType: 'Greater', name: '/refine/Loop/body/Greater', inputs: ['total', 'zero'], outputs: ['is_positive'] },
      {
        opType: 'If', name: '/refine/Loop/body/If', inputs: ['is_positive'], outputs: ['state_out'],
        attributes: { then_branch: { g: branch('halve', 'Mul', 0.5) }, else_branch: { g: branch('shift', 'Add', 1) } },
      },
    ],
  };
}

function main(): void {
  const dir = join(packageRoot(), 'models');
  mkdirSync(dir, { recursive: true });
  for (const sample of sampleModels()) {
    const bytes = encodeModel(sample.spec);
    writeFileSync(join(dir, sample.file), bytes);
    console.log(`models/${sample.file}  ${(bytes.length / 1024).toFixed(1)} KiB  ${sample.description}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
