import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportSchema, servingReportSchema } from '../../src/report/report-schema.js';
import { MAX_CONFIG_BYTES } from '../../src/serve/index.js';
import { fileIn, saveModel } from '../saved-models.js';
import { DEEPSEEK_V3, LLAMA_3_8B } from '../serve/configs.js';
import { decoderGraph } from '../helpers/decoder-graph.js';
import { runCli } from './run-cli.js';

const llama = fileIn('llama-config.json', JSON.stringify(LLAMA_3_8B));
const deepseek = fileIn('deepseek-config.json', JSON.stringify(DEEPSEEK_V3));
const targets = ['--target', 'h20,ascend-910b,ascend-910c'];

describe('port-check --llm-config FILE --serve ... (no model)', () => {
  it('prints a plan per target in the terminal', async () => {
    const r = await runCli(['--llm-config', deepseek, '--serve', 'batch=15360,context=4096,output=1024,precision=int8,chips=160', '--tpot-ms', '50', ...targets]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('LLM serving plan · DeepseekV3ForCausalLM');
    expect(r.stdout).toContain('671.0 G parameters, 36.6 G active per token');
    expect(r.stdout).toContain('ascend-910c · Huawei Ascend 910C · int8 weights, bf16 KV cache');
    expect(r.stdout).toContain('layout: 160 chips (expert-parallel: EP 160)');
    expect(r.stdout).toMatch(/decode at batch 15360: TPOT 16\.34 ms \(memory-bound;/);
    expect(r.stdout).toContain('5.9 k tokens/s per chip');
    expect(r.stdout).toContain('over Unified Bus (UB), CloudMatrix384 supernode (392 GB/s each way, 384 chips per domain');
    expect(r.stdout).toContain('over HCCS');
    expect(r.stdout).toContain('over NVLink 4.0');
    expect(r.stdout).toMatch(/TPOT ≤ 50\.00 ms: \d+ chips per instance/);
  });

  it('writes JSON that the report schema accepts', async () => {
    const r = await runCli(['--llm-config', llama, '--serve', 'batch=32,context=2048,output=256,throughput=100000', ...targets, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(servingReportSchema.safeParse(json).success).toBe(true);
    expect(json.serving.targets.map((t: { target: string }) => t.target)).toEqual(['h20', 'ascend-910b', 'ascend-910c']);
    expect(json.serving.targets[0].decode.tokensPerSecondPerChip).toBeCloseTo(5082.0, 0);
    expect(json.serving.targets[0].forThroughput).toEqual({ tokensPerSecond: 100000, instances: 20, chips: 20 });
  });

  it('writes HTML with a TPOT-against-batch chart per target, and markdown', async () => {
    const html = await runCli(['--llm-config', llama, '--serve', 'batch=64', ...targets, '--format', 'html']);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<h2>Serving the LLM (plan)</h2>');
    expect(html.stdout).toContain('aria-label="Time per output token against batch, per target"');
    expect((html.stdout.match(/<path d="M/g) ?? []).length).toBe(3);
    const markdown = await runCli(['--llm-config', llama, '--serve', 'batch=64', ...targets, '--format', 'markdown']);
    expect(markdown.stdout).toContain('### LLM serving plan: LlamaForCausalLM');
    expect(markdown.stdout).toMatch(/\| TPOT \| [\d.]+ ms at batch 64 \(memory\)/);
  });

  it('takes serve, tpotMs and llmConfig from the config file', async () => {
    const dir = fileIn('serve-project.placeholder', '').replace(/serve-project\.placeholder$/, '');
    writeFileSync(`${dir}port-check.config.yaml`, `targets: [ascend-910b]\nserve: batch=8,context=1024,output=128\ntpotMs: 20\nllmConfig: llama-config.json\n`);
    const r = await runCli([], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('ascend-910b · Huawei Ascend 910B');
    expect(r.stdout).toContain('TPOT ≤ 20.00 ms');
    expect(r.stdout).toContain('decode at batch 8');
  });

  it('refuses formats without a place for a plan', async () => {
    const r = await runCli(['--llm-config', llama, '--format', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('choose one of text, json, markdown, html');
  });
});

describe('a hostile or broken config.json: one line, exit 2', () => {
  const cases: [string, string | Uint8Array, string][] = [
    ['not JSON', '{"num_hidden_layers": 32,', 'not valid JSON'],
    ['deeply nested', '['.repeat(100_000) + ']'.repeat(100_000), 'expected object'],
    ['nested past the parser', '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000), '--llm-config'],
    ['a field missing', JSON.stringify({ ...LLAMA_3_8B, hidden_size: undefined }), 'hidden_size'],
    ['a huge layer count', JSON.stringify({ ...LLAMA_3_8B, num_hidden_layers: 1e12 }), 'num_hidden_layers'],
    ['negative heads', JSON.stringify({ ...LLAMA_3_8B, num_attention_heads: -4 }), 'num_attention_heads'],
    ['a string for a number', JSON.stringify({ ...LLAMA_3_8B, vocab_size: '128256' }), 'vocab_size'],
    ['KV heads that do not divide', JSON.stringify({ ...LLAMA_3_8B, num_key_value_heads: 7 }), 'must divide'],
    ['more experts per token than experts', JSON.stringify({ ...DEEPSEEK_V3, num_experts_per_tok: 300 }), 'num_experts_per_tok'],
    ['larger than the limit', ' '.repeat(MAX_CONFIG_BYTES + 1) + '{}', 'too large for a config.json'],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      const file = fileIn(`hostile-${name.replace(/\W+/g, '-')}.json`, content);
      const started = Date.now();
      const r = await runCli(['--llm-config', file, '--serve', 'batch=1']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(message);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  }

  it('a missing file', async () => {
    const r = await runCli(['--llm-config', 'no-such-config.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-config.json: file not found');
  });

  it('a bad --serve or --tpot-ms', async () => {
    expect((await runCli(['--llm-config', llama, '--serve', 'batch=-1'])).stderr).toContain('--serve batch takes a whole number from 1');
    expect((await runCli(['--llm-config', llama, '--tpot-ms', 'soon'])).stderr).toContain("--tpot-ms takes a positive number of milliseconds, got 'soon'");
  });
});

describe('port-check MODEL.onnx --serve: the plan of a decoder found in the graph', () => {
  const model = saveModel('tiny-decoder', decoderGraph({ layers: 2, hidden: 64, heads: 4, intermediate: 128, vocab: 1000 }));

  it('adds the serving plan to the report in every format', async () => {
    const json = await runCli([model.path, '--serve', 'batch=4,context=128,output=32', ...targets, '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report.serving.llm).toMatchObject({ source: 'onnx-graph', layers: 2, hidden: 64, heads: 4, vocab: 1000 });
    expect(report.serving.targets).toHaveLength(3);
    const text = await runCli([model.path, '--serve', 'batch=4,context=128,output=32', '--target', 'ascend-910c']);
    expect(text.stdout).toContain('LLM serving plan · tiny-decoder.onnx');
    expect(text.stdout).toContain("past key/value input(s) like 'past_key_values.0.key'");
    const html = await runCli([model.path, '--serve', 'batch=4,context=128,output=32', ...targets, '--format', 'html']);
    expect(html.stdout).toContain('<h2>Serving the LLM (plan)</h2>');
    expect(html.stdout).toContain('aria-label="Time per output token against batch, per target"');
    const markdown = await runCli([model.path, '--serve', 'batch=4,context=128,output=32', ...targets, '--format', 'markdown']);
    expect(markdown.stdout).toContain('### LLM serving plan: tiny\\-decoder\\.onnx');
  });

  it('--llm-config with a model plans the config, not the graph', async () => {
    const r = await runCli([model.path, '--llm-config', llama, '--serve', 'batch=4', '--target', 'h20', '--format', 'json']);
    expect(JSON.parse(r.stdout).serving.llm).toMatchObject({ source: 'hf-config', name: 'LlamaForCausalLM' });
  });

  it('a graph that is not an LLM gets no plan, and a note says so', async () => {
    const plain = saveModel('not-an-llm', { opsets: { 'ai.onnx': 17 }, graph: { nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }], inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 4] }], outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 4] }], initializers: [] } });
    const r = await runCli([plain.path, '--serve', 'batch=4', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).serving).toBeUndefined();
    expect(r.stderr).toContain('not a decoder LLM');
  });
});

describe('the largest config the schema admits', () => {
  it('plans (or says it cannot) in bounded time', async () => {
    const huge = fileIn('huge-config.json', JSON.stringify({
      num_hidden_layers: 4096, hidden_size: 1 << 20, num_attention_heads: 1 << 16, num_key_value_heads: 1 << 16,
      intermediate_size: 1 << 24, vocab_size: 1 << 24, n_routed_experts: 1 << 16, num_experts_per_tok: 1024, moe_intermediate_size: 1 << 24,
    }));
    const started = Date.now();
    const r = await runCli(['--llm-config', huge, '--serve', `batch=${1 << 20},context=${1 << 24},output=${1 << 24}`, '--tpot-ms', '0.001', ...targets, '--format', 'json']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.serving.skipped.map((s: { target: string }) => s.target)).toEqual(['h20', 'ascend-910b', 'ascend-910c']);
    expect(json.serving.skipped[0].reason).toContain('does not fit 65536 NVIDIA H20 chips');
  });
});
