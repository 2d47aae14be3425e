import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { specFromShape, type LlmSpec } from './llm-spec.js';

/**
 * A Hugging Face config.json (`--llm-config FILE`): untrusted input. The file is read only up to
 * MAX_CONFIG_BYTES (a real config is 1-10 KB), parsed as JSON, and the fields the plan uses are
 * validated with bounds that no real model exceeds, so a hostile file cannot make the planner
 * allocate or loop without bound. Anything wrong is one UsageError line (exit 2).
 */
export const MAX_CONFIG_BYTES = 1 << 20;

const count = (max: number) => z.number().int().positive().max(max);
const optionalCount = (max: number) => z.number().int().nonnegative().max(max).nullish();

/** The keys Llama, Qwen2/3, Mistral, Mixtral and DeepSeek-V2/V3 configs use; others are ignored. */
const hfConfig = z.object({
  model_type: z.string().max(200).optional(),
  architectures: z.array(z.string().max(200)).max(16).optional(),
  num_hidden_layers: count(4096),
  hidden_size: count(1 << 20),
  num_attention_heads: count(1 << 16),
  num_key_value_heads: optionalCount(1 << 16),
  head_dim: optionalCount(1 << 16),
  intermediate_size: count(1 << 24),
  vocab_size: count(1 << 24),
  tie_word_embeddings: z.boolean().optional(),
  // Mixture of experts: Mixtral/Qwen-MoE (num_local_experts / num_experts), DeepSeek (n_routed_experts).
  num_local_experts: optionalCount(1 << 16),
  num_experts: optionalCount(1 << 16),
  n_routed_experts: optionalCount(1 << 16),
  num_experts_per_tok: optionalCount(1 << 10),
  n_shared_experts: optionalCount(1 << 10),
  moe_intermediate_size: optionalCount(1 << 24),
  first_k_dense_replace: optionalCount(4096),
  // Multi-head latent attention (DeepSeek-V2/V3).
  kv_lora_rank: optionalCount(1 << 16),
  q_lora_rank: optionalCount(1 << 16),
  qk_rope_head_dim: optionalCount(1 << 16),
  qk_nope_head_dim: optionalCount(1 << 16),
  v_head_dim: optionalCount(1 << 16),
});

export function readLlmConfig(file: string, displayName = file): LlmSpec {
  return llmSpecFromConfigText(readBounded(file, displayName), displayName);
}

export function llmSpecFromConfigText(text: string, displayName: string): LlmSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--llm-config ${displayName}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  // Multimodal configs (Llama 4, Qwen-VL...) nest the language model's config.
  const nested = isRecord(raw) && isRecord(raw.text_config) && raw.num_hidden_layers === undefined ? raw.text_config : raw;
  const parsed = hfConfig.safeParse(nested);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new UsageError(`--llm-config ${displayName}: ${where}: ${issue.message} (a Hugging Face config.json of a decoder LLM is expected)`);
  }
  const c = parsed.data;
  const heads = c.num_attention_heads;
  // 0 and null mean "not given" in the configs in the wild, as absence does.
  const kvHeads = c.num_key_value_heads || heads;
  const headDim = c.head_dim || Math.floor(c.hidden_size / heads);
  if (headDim < 1) throw new UsageError(`--llm-config ${displayName}: hidden_size (${c.hidden_size}) is smaller than num_attention_heads (${heads})`);
  if (kvHeads > heads || heads % kvHeads !== 0) {
    throw new UsageError(`--llm-config ${displayName}: num_key_value_heads (${kvHeads}) must divide num_attention_heads (${heads})`);
  }
  const experts = c.n_routed_experts ?? c.num_local_experts ?? c.num_experts ?? 0;
  const perToken = c.num_experts_per_tok ?? 0;
  if (experts > 0 && (perToken < 1 || perToken > experts)) {
    throw new UsageError(`--llm-config ${displayName}: num_experts_per_tok must be between 1 and the ${experts} experts`);
  }
  const mla = c.kv_lora_rank
    ? {
        kvLoraRank: c.kv_lora_rank,
        qLoraRank: c.q_lora_rank || undefined,
        ropeDim: c.qk_rope_head_dim ?? 0,
        nopeDim: c.qk_nope_head_dim || headDim,
        vHeadDim: c.v_head_dim || headDim,
      }
    : undefined;
  const name = c.architectures?.[0] ?? c.model_type ?? 'LLM';
  const what = [
    `${c.num_hidden_layers} layers`, `hidden ${c.hidden_size}`, `${heads} heads / ${kvHeads} KV heads`,
    ...(experts > 0 ? [`${experts} experts, ${perToken} per token`] : []), ...(mla ? [`MLA, KV LoRA rank ${mla.kvLoraRank}`] : []),
  ].join(', ');
  return specFromShape(
    {
      name,
      layers: c.num_hidden_layers,
      hidden: c.hidden_size,
      heads,
      kvHeads,
      headDim,
      intermediate: c.intermediate_size,
      vocab: c.vocab_size,
      tiedEmbeddings: c.tie_word_embeddings ?? false,
      ...(experts > 0 && {
        moe: {
          experts, perToken, sharedExperts: c.n_shared_experts ?? 0,
          intermediate: c.moe_intermediate_size || c.intermediate_size,
          moeLayers: c.num_hidden_layers - (c.first_k_dense_replace ?? 0),
        },
      }),
      ...(mla && { mla }),
    },
    'hf-config',
    `Hugging Face config ${displayName} (${what})`,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads at most MAX_CONFIG_BYTES; a larger file is refused without reading the rest. */
function readBounded(file: string, displayName: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--llm-config ${displayName}: ${code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(err)})`}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`--llm-config ${displayName}: not a regular file`);
    if (stat.size > MAX_CONFIG_BYTES) {
      throw new UsageError(`--llm-config ${displayName}: ${stat.size} bytes is too large for a config.json (limit ${MAX_CONFIG_BYTES} bytes)`);
    }
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_CONFIG_BYTES) + 1);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    if (read > MAX_CONFIG_BYTES) throw new UsageError(`--llm-config ${displayName}: larger than ${MAX_CONFIG_BYTES} bytes`);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
