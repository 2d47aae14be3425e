import { describe, expect, it } from 'vitest';
import { convRelu, singleOp } from './models.js';
import { check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const mha = singleOp({ opType: 'MultiHeadAttention', domain: 'com.microsoft', name: 'attn' });
const gemmFp8 = singleOp({ opType: 'GemmFloat8', domain: 'com.microsoft', name: 'g' });

describe('features', () => {
  ruleTable('features', [
    { name: 'plain Conv + Relu', model: convRelu(17), expect: gpuVsAscend([], []) },
    { name: 'MultiHeadAttention (FlashAttention kernels)', model: mha, expect: gpuVsAscend([], ['cuda-feature degraded']) },
    { name: 'GemmFloat8 (cuBLASLt FP8 GEMM)', model: gemmFp8, expect: gpuVsAscend([], ['cuda-feature unsupported']) },
  ]);

  it('names the CUDA feature, the ops that use it and the Ascend counterpart, as info', () => {
    const [finding] = ofRule(check(mha, 'ascend-910c'), 'features');
    expect(finding).toMatchObject({ severity: 'info', op: 'flash-attention', nodeCount: 1 });
    expect(message(finding!)).toBe('The model uses FlashAttention (MultiHeadAttention; 1 node); the counterpart is torch_npu.npu_fusion_attention');
    expect(remedy(finding!)).toContain('npu_fusion_attention');
  });
});
