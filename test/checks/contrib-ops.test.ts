import { describe, expect, it } from 'vitest';
import { singleOp } from './models.js';
import { ASCEND, check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const mha = singleOp({ opType: 'MultiHeadAttention', domain: 'com.microsoft', name: 'attn' });
const gemmFp8 = singleOp({ opType: 'GemmFloat8', domain: 'com.microsoft', name: 'fp8_gemm' });
const allReduce = singleOp({ opType: 'AllReduce', domain: 'com.microsoft', name: 'ar' });
const fusedConv = singleOp({ opType: 'FusedConv', domain: 'com.microsoft', name: 'fc' });

describe('contrib-ops', () => {
  ruleTable('contrib-ops', [
    { name: 'MultiHeadAttention', model: mha, expect: gpuVsAscend([], ['contrib-op-counterpart unsupported']) },
    { name: 'GemmFloat8', model: gemmFp8, expect: gpuVsAscend([], ['cuda-only-contrib-op unsupported']) },
    // ORT builds with NCCL run it on the GPU; on Ascend the collective moves to HCCL.
    { name: 'AllReduce', model: allReduce, expect: gpuVsAscend([], ['contrib-op-counterpart unsupported']) },
    { name: 'FusedConv', model: fusedConv, expect: gpuVsAscend([], ['unsupported-contrib-op unsupported']) },
  ]);

  it('names npu_fusion_attention as the Ascend counterpart of MultiHeadAttention', () => {
    for (const target of ASCEND) {
      const [finding] = ofRule(check(mha, target), 'contrib-ops');
      expect(finding).toMatchObject({ severity: 'error', op: 'MultiHeadAttention', domain: 'com.microsoft', nodeCount: 1 });
      expect(message(finding!)).toContain('com.microsoft::MultiHeadAttention (1 node) has no kernel; its counterpart is');
      expect(message(finding!)).toContain('npu_fusion_attention');
      expect(remedy(finding!)).toContain('npu_fusion_attention');
    }
  });

  it('calls GemmFloat8 CUDA-only and points at re-quantization', () => {
    const [finding] = ofRule(check(gemmFp8, 'ascend-910b'), 'contrib-ops');
    expect(message(finding!)).toContain('exists only as a CUDA kernel in ONNX Runtime');
    expect(remedy(finding!)).toMatch(/re-quantize|int8/);
  });

  it('maps AllReduce to HCCL', () => {
    const [finding] = ofRule(check(allReduce, 'ascend-910c'), 'contrib-ops');
    expect(message(finding!)).toContain('HCCL');
  });

  it('tells how to un-fuse a contrib op with no counterpart', () => {
    const [finding] = ofRule(check(fusedConv, 'ascend-910b'), 'contrib-ops');
    expect(remedy(finding!)).toContain('un-fuse');
  });
});
