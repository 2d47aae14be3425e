import type { EffortClass, SupportLevel } from '../../src/profiles/schema.js';
import type { FeatureRow, Knowledge } from './knowledge.js';

/**
 * How each row of porting_feature_map.tsv reads on each target. The rows hold the evidence
 * (counterpart, porting note, upstream source); this table adds what the TSV leaves to judgement:
 * a stable id, the support level, the remedy, and which ops in a model mean the feature is used.
 * Every row must match exactly one rule, and every rule a row, or the build stops.
 */
export interface FeatureRule {
  id: string;
  /** The row whose cuda_feature column starts with this text. */
  match: string;
  ascend: { level: SupportLevel; effort: EffortClass; remedy: string };
  h20: { level: SupportLevel; counterpart: string; note?: string; remedy?: string; effort?: EffortClass };
  /** Ops (domain::Op, or Op for ai.onnx) whose presence means the model uses the feature. */
  ops?: (row: FeatureRow, ctx: { ncclOps: string[] }) => string[];
}

export const FEATURE_RULES: FeatureRule[] = [
  {
    id: 'cuda-runtime',
    match: 'CUDA runtime',
    ascend: { level: 'supported', effort: 'low', remedy: 'replace the CUDA session with the ACL runtime (an ATC-built .om model) or ONNX Runtime\'s CANN execution provider; torch code moves with torch_npu\'s transfer_to_npu' },
    h20: { level: 'supported', counterpart: 'CUDA runtime (native)' },
  },
  {
    id: 'fp64',
    match: 'float64 tensors',
    ascend: { level: 'unsupported', effort: 'low', remedy: 'downcast float64 tensors to float32, or run the fp64 part on the host' },
    h20: { level: 'degraded', counterpart: 'CUDA fp64 (about 1 TFLOPS dense on H20)', note: 'works, but far slower than fp32', remedy: 'downcast to fp32 where accuracy allows', effort: 'low' },
  },
  {
    id: 'nccl',
    match: 'NCCL',
    ascend: { level: 'unsupported', effort: 'high', remedy: 'ORT has no HCCL-based contrib kernels: remove the in-graph collectives (split the model per device) and run them with HCCL outside the graph (torch.distributed backend \'hccl\')' },
    h20: { level: 'supported', counterpart: 'NCCL', note: 'ORT\'s collective contrib ops exist only in builds with ORT_USE_NCCL' },
    ops: (_row, ctx) => ctx.ncclOps.map((op) => `com.microsoft::${op}`),
  },
  {
    id: 'cuda-graphs',
    match: 'CUDA Graphs',
    ascend: { level: 'supported', effort: 'low', remedy: 'use NPUGraph capture (no stream synchronisation inside the capture) or compile the whole graph with GE (ATC, or the CANN EP\'s graph mode)' },
    h20: { level: 'supported', counterpart: 'CUDA Graphs (native)' },
  },
  {
    id: 'cudnn',
    match: 'cuDNN',
    ascend: { level: 'supported', effort: 'none', remedy: 'none for the common case; watch 1-D convolutions, AveragePool kernels over 255 and reflect Pad, which compile to slower forms' },
    h20: { level: 'supported', counterpart: 'cuDNN (native)' },
  },
  {
    id: 'cublas',
    match: 'cuBLAS / cuBLASLt GEMM',
    ascend: { level: 'degraded', effort: 'low', remedy: 'check accuracy under the default --precision_mode=force_fp16; pass --precision_mode=allow_fp32_to_fp16 or must_keep_origin_dtype to keep fp32/bf16, or enable HF32 for fp32 matmul/conv' },
    h20: { level: 'supported', counterpart: 'cuBLAS / cuBLASLt (native)' },
  },
  {
    id: 'fp8-gemm',
    match: 'cuBLASLt FP8 GEMM',
    ascend: { level: 'unsupported', effort: 'medium', remedy: 're-quantize FP8 weights/activations to int8 (w8a8) or w4a16 with AMCT/msModelSlim, or keep them in bf16' },
    h20: { level: 'supported', counterpart: 'cuBLASLt FP8 on Hopper tensor cores' },
    ops: () => ['com.microsoft::GemmFloat8'],
  },
  {
    id: 'flash-attention',
    match: 'FlashAttention',
    ascend: { level: 'degraded', effort: 'medium', remedy: 'map the fused attention to npu_fusion_attention (FlashAttentionScore) or PromptFlashAttention/IncreFlashAttention, or un-fuse it into MatMul/Softmax so ATC can fuse it again' },
    h20: { level: 'supported', counterpart: 'FlashAttention / ORT fused attention CUDA kernels (native)' },
    ops: () => ['Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'PackedAttention', 'PackedMultiHeadAttention', 'PagedAttention']
      .map((op) => `com.microsoft::${op}`),
  },
  {
    id: 'triton',
    match: 'Triton kernels',
    ascend: { level: 'degraded', effort: 'medium', remedy: 'port the kernels to triton-ascend within its limits (coreDim <= 65535, 192 KB UB, 32-byte alignment, prefer a 1-D grid)' },
    h20: { level: 'supported', counterpart: 'Triton (native)' },
  },
  {
    id: 'custom-cuda-kernels',
    match: 'custom CUDA C++ extensions',
    ascend: { level: 'unsupported', effort: 'high', remedy: 'rewrite each kernel as an Ascend C operator (op_host tiling + op_kernel), or as an AI CPU kernel for control-heavy code' },
    h20: { level: 'supported', counterpart: 'CUDA C++ extensions (native)' },
  },
  {
    id: 'tensorrt',
    match: 'TensorRT engines / plugins',
    ascend: { level: 'unsupported', effort: 'high', remedy: 'rewrite each plugin as an ATC ONNX parser plugin (REGISTER_CUSTOM_OP(...).FrameworkType(ONNX)) + Ascend C kernel; build the engine with ATC (.om) instead' },
    h20: { level: 'supported', counterpart: 'TensorRT (native)', note: 'plugin ops need the plugin library loaded' },
  },
  {
    id: 'ort-contrib-ops',
    match: 'ORT com.microsoft contrib ops',
    ascend: { level: 'unsupported', effort: 'medium', remedy: 'un-fuse com.microsoft ops into standard ONNX (export without ORT\'s transformer optimisations), or into npu::1::NPU* ops that ATC parses' },
    h20: { level: 'supported', counterpart: 'ORT CUDA contrib kernels (native)' },
  },
  {
    id: 'qdq-int8',
    match: 'ONNX QDQ int8',
    ascend: { level: 'unsupported', effort: 'medium', remedy: 're-quantize the fp32 model with AMCT (or msModelSlim) instead of reusing the ORT QDQ model' },
    h20: { level: 'supported', counterpart: 'ORT QDQ int8 (CUDA kernels for QuantizeLinear/DequantizeLinear/MatMulInteger; QLinearConv/QLinearMatMul/ConvInteger/DynamicQuantizeLinear on the CPU provider)' },
    ops: () => ['QuantizeLinear', 'DequantizeLinear', 'QLinearConv', 'QLinearMatMul', 'MatMulInteger', 'ConvInteger', 'DynamicQuantizeLinear'],
  },
  {
    id: 'int64-index-math',
    match: 'int64 index/shape math',
    ascend: { level: 'degraded', effort: 'low', remedy: 'cast int64 indices and shapes to int32 where the values fit (TopK\'s K and indices must be int32)' },
    h20: { level: 'supported', counterpart: 'int64 kernels (native)' },
    ops: () => ['TopK', 'NonZero'],
  },
  {
    id: 'dynamic-shapes',
    match: 'dynamic shapes',
    ascend: { level: 'degraded', effort: 'medium', remedy: 'pin input shapes at conversion (atc --input_shape) or declare gears (--dynamic_batch_size / --dynamic_image_size / --dynamic_dims)' },
    h20: { level: 'supported', counterpart: 'dynamic shapes (native in ORT)' },
    ops: () => ['NonZero', 'Unique'],
  },
];

/** Pairs each feature-map row with its rule; throws on a row without a rule or a rule without a row. */
export function matchFeatureRows(rows: FeatureRow[]): { rule: FeatureRule; row: FeatureRow }[] {
  const out: { rule: FeatureRule; row: FeatureRow }[] = [];
  for (const row of rows) {
    const rules = FEATURE_RULES.filter((r) => row.cuda.startsWith(r.match));
    if (rules.length !== 1) throw new Error(`porting_feature_map.tsv: row '${row.cuda}' matches ${rules.length} rules in features.ts`);
    out.push({ rule: rules[0]!, row });
  }
  for (const rule of FEATURE_RULES) {
    if (!out.some((p) => p.rule === rule)) throw new Error(`features.ts: rule '${rule.id}' matches no row of porting_feature_map.tsv`);
  }
  return out;
}

export const featureSourceKey = (id: string): string => `porting-map:${id}`;

/** ORT's NCCL-only contrib ops: their presence means the model uses in-graph collectives. */
export function ncclOps(k: Knowledge): string[] {
  return k.cudaContribExtras.filter((e) => e.tag === 'NCCL-only').map((e) => e.op);
}
