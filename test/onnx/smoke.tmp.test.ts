import { test } from 'vitest';
import ort from 'onnxruntime-node';
import { encodeModel } from '../../src/onnx/writer.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { sampleModels, attentionBlock } from '../../scripts/make-sample-models.js';

test('smoke', async () => {
  const all = [...sampleModels().map(s => [s.file, s.spec] as const), ['attn32', attentionBlock('FLOAT')] as const];
  for (const [file, spec] of all) {
    const bytes = encodeModel(spec);
    const m = decodeModel(bytes);
    console.log(file, bytes.length, m.warnings, m.graphs.map(g => g.path));
    try {
      const s = await ort.InferenceSession.create(bytes);
      console.log('  OK', s.inputNames, s.outputNames);
      const feeds: Record<string, ort.Tensor> = {};
      if (file.startsWith('resnet')) feeds.image = new ort.Tensor('float32', new Float32Array(2*3*32*32).fill(0.5), [2,3,32,32]);
      if (file.startsWith('quant')) feeds.features = new ort.Tensor('float32', new Float32Array(2*64).fill(0.5), [2,64]);
      if (file.startsWith('control')) feeds.scores = new ort.Tensor('float32', new Float32Array(2*8).map((_, i) => i - 7), [2,8]);
      if ((file.startsWith('attn') || file.startsWith('llm'))) { feeds.input_ids = new ort.Tensor('int64', new BigInt64Array([1n,2n,3n,4n,5n,6n]), [2,3]); feeds.attention_mask = new ort.Tensor('int32', new Int32Array(6).fill(1), [2,3]); }
      const out = await s.run(feeds);
      for (const [k, v] of Object.entries(out)) console.log('  ', k, v.type, v.dims, Array.from(v.data as any).slice(0, 6));
    } catch (e) { console.log('  FAIL', String(e).slice(0, 300)); }
  }
});
