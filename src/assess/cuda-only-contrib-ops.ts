/**
 * com.microsoft ops that ONNX Runtime implements for CUDA only (no CPU kernel), so on a target
 * without CUDA nothing runs them, not even a host fallback. The NCCL ones exist only in builds with
 * ORT_USE_NCCL. Derived from shared/knowledge/ort_cuda_contrib_ops.txt (OperatorKernels.md and
 * cuda_contrib_kernels.cc, onnxruntime @735e69a39); a profile entry with its own note wins.
 */
export const CUDA_ONLY_CONTRIB_OPS: ReadonlyMap<string, 'cuda' | 'nccl'> = new Map([
  ...[
    'BiasAdd', 'BiasDropout', 'BiasSoftmax', 'BiasSplitGelu', 'BitmaskBiasDropout', 'BitmaskDropout',
    'ComplexMul', 'ComplexMulConj', 'DecoderAttention', 'DecoderMaskedSelfAttention',
    'DequantizeWithOrder', 'GatedRelativePositionBias', 'GemmFloat8', 'GemmaRotaryEmbedding', 'GroupNorm',
    'Irfft', 'LongformerAttention', 'NhwcConv', 'PackedAttention', 'PackedMultiHeadAttention',
    'PagedAttention', 'QOrderedAttention', 'QOrderedGelu', 'QOrderedLayerNormalization',
    'QOrderedLongformerAttention', 'QOrderedMatMul', 'QuantizeWithOrder', 'RelativePositionBias',
    'RemovePadding', 'RestorePadding', 'Rfft', 'SkipGroupNorm',
  ].map((op) => [op, 'cuda'] as const),
  ...[
    'AllReduce', 'AllGather', 'AllToAll', 'ShardedMoE', 'DistributedMatMul', 'DistributedSlice',
    'DistributedReshape', 'DistributedExpand', 'DistributedReduceSum', 'DistributedReduceMax',
    'DistributedReduceMean', 'DistributedUnsqueeze', 'DistributedSqueeze',
  ].map((op) => [op, 'nccl'] as const),
]);
