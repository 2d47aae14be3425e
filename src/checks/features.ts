import { functionKey } from '../inspect/domains.js';
import type { OpUse } from '../inspect/facts.js';
import type { NodeRef } from './finding.js';
import { MAX_NODE_REFS } from './finding.js';
import { defineCheck, formatMessage, type RawFinding } from './define-check.js';
import { listNames, plural } from './format-values.js';
import { defaultEffort } from './op-verdict.js';
import { shortName } from './op-finding.js';
import { featureNamesOp } from './software-features.js';

type Code = 'cuda-feature';

const REMEDY = 'Move to {counterpart} on {target}: the ops that use {feature} have to be mapped or rewritten.';

export default defineCheck({
  id: 'features',
  description:
    'CUDA software-stack features the model relies on (NCCL collectives, FlashAttention kernels, FP8 GEMM...), found from the ops each ' +
    'feature of the profile lists, with the target\'s counterpart and the migration remedy. One finding per feature, as info: it is the ' +
    'stack-level summary behind the per-op findings (contrib-ops, quantization, op-support, slow-ops), which carry the severity.',
  messages: {
    'cuda-feature': {
      text: 'The model uses {feature} ({ops}; {nodes}); on {target} the counterpart is {counterpart}',
      severity: 'info',
      description: 'A CUDA-stack feature the model relies on that the target does differently; the counterpart names what replaces it.',
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
      const args = {
        feature: shortName(feature.cuda),
        featureFull: feature.cuda,
        featureId: feature.id,
        counterpart: shortName(feature.counterpart),
        counterpartFull: feature.counterpart,
        ops: listNames(used.map((op) => op.opType)),
        nodes: plural(nodeCount, 'node'),
        target: profile.name,
      };
      out.push({
        code: 'cuda-feature',
        level: feature.level,
        op: feature.id,
        nodes,
        nodeCount,
        args,
        remedy: feature.remedy ?? formatMessage(REMEDY, args),
        effort: feature.effort ?? defaultEffort(feature.level),
        source: feature.source,
      });
    }
    return out;
  },
});
