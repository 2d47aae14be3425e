import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { shortName } from '../assess/op-args.js';
import { featureNamesOp } from '../assess/software-features.js';
import type { NodeRef } from '../findings/finding.js';
import { MAX_NODE_REFS } from '../findings/finding.js';
import { functionKey } from '../inspect/domains.js';
import type { OpUse } from '../inspect/facts.js';

type Code = 'cuda-feature';

export default defineCheck({
  id: 'features',
  summary: 'CUDA software-stack features in use (NCCL, FlashAttention, FP8 GEMM, CUDA graphs...) and their counterparts',
  description:
    'CUDA software-stack features the model relies on (NCCL collectives, FlashAttention kernels, FP8 GEMM...), found from the ops each ' +
    'feature of the profile lists, with the target\'s counterpart and the migration remedy. One finding per feature, as info: it is the ' +
    'stack-level summary behind the per-op findings (contrib-ops, quantization, op-support, slow-ops), which carry the severity.',
  messages: {
    'cuda-feature': {
      text: 'The model uses {feature} ({ops}; {nodeCount:count(node)}); the counterpart is {counterpart}',
      severity: 'info',
      description: 'A CUDA-stack feature the model relies on that the target does differently; the counterpart names what replaces it.',
      remedy: 'Move to {counterpart}: the ops that use {feature} have to be mapped or rewritten.',
      effort: 'low',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    for (const feature of profile.software.features) {
      if (feature.level === 'supported' || !feature.ops?.length) continue;
      const used: OpUse[] = facts.ops.filter((op) => !facts.localFunctions.has(functionKey(op.domain, op.opType)) && featureNamesOp(feature, op));
      if (used.length === 0) continue;
      const nodes: NodeRef[] = used.flatMap((op) => op.nodes).slice(0, MAX_NODE_REFS);
      const nodeCount = used.reduce((sum, op) => sum + op.nodeCount, 0);
      out.push({
        code: 'cuda-feature',
        level: feature.level,
        op: feature.id,
        nodes,
        nodeCount,
        args: {
          feature: shortName(feature.cuda),
          featureFull: feature.cuda,
          featureId: feature.id,
          counterpart: shortName(feature.counterpart),
          counterpartFull: feature.counterpart,
          ops: used.map((op) => op.opType),
          nodeCount,
        },
        ...(feature.remedy !== undefined && { remedy: feature.remedy }),
        ...(feature.effort !== undefined && { effort: feature.effort }),
        source: feature.source,
      });
    }
    return out;
  },
});
