/** Hugging Face config.json files of two real architectures, as their model cards publish them. */

/** Llama-3-8B (meta-llama/Meta-Llama-3-8B config.json, the fields the plan reads). */
export const LLAMA_3_8B = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 4096,
  intermediate_size: 14336,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  vocab_size: 128256,
  tie_word_embeddings: false,
  rope_theta: 500000,
  torch_dtype: 'bfloat16',
};

/** DeepSeek-V3 / DeepSeek-R1 (deepseek-ai/DeepSeek-R1 config.json; R1 shares V3's architecture). */
export const DEEPSEEK_V3 = {
  architectures: ['DeepseekV3ForCausalLM'],
  model_type: 'deepseek_v3',
  hidden_size: 7168,
  intermediate_size: 18432,
  moe_intermediate_size: 2048,
  num_hidden_layers: 61,
  num_attention_heads: 128,
  num_key_value_heads: 128,
  n_routed_experts: 256,
  n_shared_experts: 1,
  num_experts_per_tok: 8,
  first_k_dense_replace: 3,
  kv_lora_rank: 512,
  q_lora_rank: 1536,
  qk_rope_head_dim: 64,
  qk_nope_head_dim: 128,
  v_head_dim: 128,
  vocab_size: 129280,
  tie_word_embeddings: false,
  num_nextn_predict_layers: 1,
};
