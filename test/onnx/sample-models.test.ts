import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { attentionBlock, sampleModels } from '../../scripts/make-sample-models.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { loadModel } from '../../src/onnx/load.js';
import { packageRoot } from '../../src/package-root.js';

const modelsDir = join(packageRoot(), 'models');
const samples = sampleModels();

describe.each(samples.map((s) => [s.file, s] as const))('models/%s', (file, sample) => {
  test('is committed, up to date with the script (deterministic) and under 200 KB', () => {
    const committed = readFileSync(join(modelsDir, file));
    expect(committed.length).toBeLessThan(200 * 1024);
    // If this fails after changing scripts/make-sample-models.ts: run `npm run build && npm run models`.
    expect(Buffer.from(encodeModel(sample.spec)).equals(committed)).toBe(true);
    expect(Buffer.from(encodeModel(sampleModels().find((s) => s.file === file)!.spec)).equals(committed)).toBe(true);
  });

  test('loads without warnings', async () => {
    const model = await loadModel(join(modelsDir, file));
    expect(model.warnings).toEqual([]);
    expect(model.producerName).toBe('port-check make-sample-models');
  });
});

describe('what each sample is there to show', () => {
  const load = (file: string) => loadModel(join(modelsDir, file));

  test('resnet-block: standard CNN ops at opset 17 in fp32', async () => {
    const model = await load('resnet-block.onnx');
    expect(model.opsetImports).toEqual({ 'ai.onnx': 17 });
    expect(new Set(model.graphs[0]!.nodes.map((n) => n.opType))).toEqual(
      new Set(['Conv', 'BatchNormalization', 'Relu', 'Add', 'GlobalAveragePool', 'Flatten', 'Gemm']),
    );
    expect(model.graphs[0]!.initializers.every((t) => t.dtype === 'FLOAT')).toBe(true);
  });

  test('llm-attention-block: fp16 contrib ops, int64 Gather, dynamic dims', async () => {
    const model = await load('llm-attention-block.onnx');
    const main = model.graphs[0]!;
    expect(model.opsetImports).toEqual({ 'ai.onnx': 17, 'com.microsoft': 1 });
    expect(main.nodes.filter((n) => n.domain === 'com.microsoft').map((n) => n.opType)).toEqual(['Attention', 'SkipLayerNormalization', 'FastGelu']);
    expect(main.initializers.every((t) => t.dtype === 'FLOAT16')).toBe(true);
    expect(main.inputs[0]).toEqual({ name: 'input_ids', kind: 'tensor', dtype: 'INT64', dims: ['batch_size', 'sequence_length'] });
  });

  test('quantized-fp8: QDQ int8, an FLOAT8E4M3FN weight, Casts through bf16, opset 19', async () => {
    const model = await load('quantized-fp8.onnx');
    const main = model.graphs[0]!;
    expect(model.opsetImports).toEqual({ 'ai.onnx': 19 });
    expect(main.nodes.map((n) => n.opType)).toEqual(expect.arrayContaining(['QuantizeLinear', 'DequantizeLinear', 'Cast']));
    expect(main.initializers.map((t) => t.dtype)).toEqual(expect.arrayContaining(['INT8', 'FLOAT8E4M3FN']));
    expect(main.nodes.find((n) => n.name === '/autocast/Cast_to_bf16')!.attributes).toEqual([{ name: 'to', type: 'INT', i: 16 }]);
  });

  test('control-flow: a Loop holding an If, and a model-local function', async () => {
    const model = await load('control-flow.onnx');
    expect(model.graphs.map((g) => g.path)).toEqual([
      'main',
      'main/refine/Loop.body',
      'main/refine/Loop.body/refine/Loop/body/If.then_branch',
      'main/refine/Loop.body/refine/Loop/body/If.else_branch',
      'function:custom.layers::ScaledTanh',
    ]);
    expect(model.functions.map((f) => `${f.domain}::${f.name}`)).toEqual(['custom.layers::ScaledTanh']);
  });
});

describe('the samples run on onnxruntime-node (CPU)', () => {
  const feedsFor: Record<string, () => Record<string, ort.Tensor>> = {
    'resnet-block.onnx': () => ({ image: new ort.Tensor('float32', new Float32Array(2 * 3 * 32 * 32).fill(0.5), [2, 3, 32, 32]) }),
    'llm-attention-block.onnx': () => llmFeeds(),
    'quantized-fp8.onnx': () => ({ features: new ort.Tensor('float32', Float32Array.from({ length: 128 }, (_, i) => Math.sin(i)), [2, 64]) }),
    'control-flow.onnx': () => ({ scores: new ort.Tensor('float32', Float32Array.from({ length: 16 }, (_, i) => i - 7), [2, 8]) }),
  };
  const expectedDims: Record<string, Record<string, number[]>> = {
    'resnet-block.onnx': { logits: [2, 10] },
    'llm-attention-block.onnx': { logits: [2, 3, 256] },
    'quantized-fp8.onnx': { scores: [2, 32] },
    'control-flow.onnx': { refined: [2, 8] },
  };

  function llmFeeds(): Record<string, ort.Tensor> {
    return {
      input_ids: new ort.Tensor('int64', BigInt64Array.from([1n, 20n, 3n, 255n, 0n, 7n]), [2, 3]),
      attention_mask: new ort.Tensor('int32', new Int32Array(6).fill(1), [2, 3]),
    };
  }

  test.each(samples.map((s) => s.file))('%s', async (file) => {
    const session = await ort.InferenceSession.create(join(modelsDir, file));
    const out = await session.run(feedsFor[file]!());
    for (const [name, dims] of Object.entries(expectedDims[file]!)) expect(out[name]!.dims).toEqual(dims);
    await session.release();
  });

  test('the fp16 decoder block agrees with its fp32 twin (so the fp16 weights are right)', async () => {
    const run = async (bytes: Uint8Array) => {
      const session = await ort.InferenceSession.create(bytes);
      const out = (await session.run(llmFeeds())).logits!;
      await session.release();
      return out;
    };
    const fp32 = await run(encodeModel(attentionBlock('FLOAT')));
    const fp16 = await run(readFileSync(join(modelsDir, 'llm-attention-block.onnx')));
    expect(fp16.type).toBe('float16');
    const half = fp16.data as Uint16Array;
    const full = fp32.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < full.length; i++) worst = Math.max(worst, Math.abs(halfToNumber(half[i]!) - full[i]!));
    expect(worst).toBeLessThan(0.05);
  });
});

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
