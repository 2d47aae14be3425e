import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../src/onnx/decode.js';
import { analyseModel } from '../../src/estimate/analyse-model.js';
import { recogniseLlm } from '../../src/serve/index.js';
import { saveModel } from '../saved-models.js';
import { transformer } from '../estimate/transformer.js';
import { decoderGraph } from '../helpers/decoder-graph.js';

function recognise(name: string, spec: Parameters<typeof saveModel>[1]) {
  const saved = saveModel(name, spec);
  return recogniseLlm(saved.model, analyseModel(saved.model, { modelBytes: saved.bytes }), name);
}

describe('recognising a decoder LLM in an ONNX graph', () => {
  // 3 layers, hidden 64, 4 heads of 16, intermediate 128, vocabulary 1000.
  // Parameters: embed + lm head 2 · 1000 · 64 = 128,000; per layer LN 2 · 64 + q/k/v/o 4 · 64² = 16,512
  // and MLP 2 · 64 · 128 = 16,384 → 32,896 · 3 = 98,688; plus the two int64 shape tensors (4 + 3) = 226,695.
  const dense = { layers: 3, hidden: 64, heads: 4, intermediate: 128, vocab: 1000 };

  it('dense, with past_key_values inputs and present outputs (Optimum layout)', () => {
    const llm = recognise('dense-kv', decoderGraph(dense))!;
    expect(llm).toBeDefined();
    expect(llm.source).toBe('onnx-graph');
    expect([llm.layers, llm.hidden, llm.heads, llm.kvHeads, llm.headDim, llm.vocab]).toEqual([3, 64, 4, 4, 16, 1000]);
    expect(llm.moe).toBeUndefined();
    expect(llm.parameters.total).toBe(226_695);
    expect(llm.parameters.activePerToken).toBe(226_695);
    // K and V of 4 heads of 16 per layer: 2 · 3 · 4 · 16 = 384 elements per token.
    expect(llm.kvElementsPerToken).toBe(384);
    expect(llm.detectedBy).toContain("6 past key/value input(s) like 'past_key_values.0.key'");
    expect(llm.detectedBy).toContain('6 present output(s)');
  });

  it('dense, exported without a KV cache: recognised from its logits, planned as if it kept one', () => {
    const llm = recognise('dense-nokv', decoderGraph({ ...dense, kvCache: false }))!;
    expect(llm).toBeDefined();
    expect([llm.layers, llm.hidden, llm.heads, llm.headDim, llm.vocab]).toEqual([3, 64, 4, 16, 1000]);
    expect(llm.detectedBy).toContain('no KV cache inputs');
    expect(llm.kvElementsPerToken).toBe(384);
  });

  it('a mixture of experts: TopK routers over stacked experts', () => {
    // 8 experts, 2 per token, inter 32: experts 2 · 8 · 64 · 32 = 32,768 per layer (98,304 in all);
    // router 64 · 8 = 512 per layer. Total = 128,000 + 3 · (128 + 16,384 + 512 + 32,768) + 7 + 1 + 1 = 277,385.
    // Active: the routed experts count 2/8: 277,385 − 98,304 · 6/8 = 203,657.
    const llm = recognise('moe-kv', decoderGraph({ ...dense, intermediate: 32, moe: { experts: 8, perToken: 2 } }))!;
    expect(llm).toBeDefined();
    expect(llm.moe).toEqual({ experts: 8, perToken: 2, sharedExperts: 0, moeLayers: 3 });
    expect(llm.parameters.routedExperts).toBe(98_304);
    expect(llm.parameters.total).toBe(277_385);
    expect(llm.parameters.activePerToken).toBe(203_657);
    expect(llm.detectedBy).toContain('3 TopK router(s) over 8 experts, k = 2');
  });

  it('a mixture of experts without a KV cache', () => {
    const llm = recognise('moe-nokv', decoderGraph({ ...dense, intermediate: 32, kvCache: false, moe: { experts: 8, perToken: 2 } }))!;
    expect(llm.moe?.experts).toBe(8);
    expect(llm.detectedBy).toContain('no KV cache inputs');
  });

  it('onnx-runtime-genai style: fused GroupQueryAttention with 8 query heads and 2 KV heads', () => {
    const fp16 = (name: string, dims: (number | string)[]) => ({ name, dtype: 'FLOAT16' as const, dims });
    const nodes = [0, 1].map((l) => ({
      opType: 'GroupQueryAttention', domain: 'com.microsoft', name: `gqa${l}`,
      inputs: [l === 0 ? 'q' : 'y0', 'k', 'v', `past_key_values.${l}.key`, `past_key_values.${l}.value`, 'seqlens', 'total'],
      outputs: [`y${l}`, `present.${l}.key`, `present.${l}.value`],
      attributes: { num_heads: { i: 8 }, kv_num_heads: { i: 2 } },
    }));
    const llm = recognise('genai-gqa', {
      opsets: { 'ai.onnx': 17, 'com.microsoft': 1 },
      graph: {
        nodes,
        inputs: [
          fp16('q', ['batch', 'seq', 128]), fp16('k', ['batch', 'seq', 32]), fp16('v', ['batch', 'seq', 32]),
          ...[0, 1].flatMap((l) => [fp16(`past_key_values.${l}.key`, ['batch', 2, 'past_seq', 16]), fp16(`past_key_values.${l}.value`, ['batch', 2, 'past_seq', 16])]),
          { name: 'seqlens', dtype: 'INT32', dims: ['batch'] }, { name: 'total', dtype: 'INT32', dims: [] },
        ],
        outputs: [fp16('y1', ['batch', 'seq', 128]), ...[0, 1].flatMap((l) => [fp16(`present.${l}.key`, ['batch', 2, 'total_seq', 16]), fp16(`present.${l}.value`, ['batch', 2, 'total_seq', 16])])],
        initializers: [],
      },
    })!;
    expect(llm).toBeDefined();
    expect([llm.layers, llm.hidden, llm.heads, llm.kvHeads, llm.headDim]).toEqual([2, 128, 8, 2, 16]);
    // K and V of 2 KV heads of 16, 2 layers: 128 elements per token (a quarter of full multi-head attention's).
    expect(llm.kvElementsPerToken).toBe(128);
    expect(llm.detectedBy).toContain('GroupQueryAttention');
  });

  it('the sample decoder block (models/llm-attention-block.onnx): fused com.microsoft Attention and logits', () => {
    const path = new URL('../../models/llm-attention-block.onnx', import.meta.url);
    const bytes = new Uint8Array(readFileSync(path));
    const model = decodeModel(bytes, { path: path.pathname });
    const llm = recogniseLlm(model, analyseModel(model, { modelBytes: bytes }), 'llm-attention-block.onnx')!;
    expect(llm).toBeDefined();
    // Attention's num_heads 4 over hidden 64: head size 16; vocabulary 256 from the logits.
    expect([llm.layers, llm.hidden, llm.heads, llm.kvHeads, llm.headDim, llm.vocab]).toEqual([1, 64, 4, 4, 16, 256]);
    expect(llm.detectedBy).toContain('1 fused attention node(s) (Attention)');
  });

  it('an encoder (attention, no cache, no logits) is not an LLM to serve', () => {
    expect(recognise('encoder', transformer({ layers: 2, hidden: 64, heads: 4, seq: 16 }).spec)).toBeUndefined();
  });
});
