import type { OpUse } from '../inspect/facts.js';
import type { Profile, SupportLevel } from '../profiles/schema.js';
import { CUDA_ONLY_CONTRIB_OPS } from './cuda-only-contrib-ops.js';
import { defineCheck, type RawFinding } from './define-check.js';
import { opArgs, opLocation, reasonFor, shortName } from './op-finding.js';
import { ownerOf, verdictForOp } from './op-owner.js';
import { severityFor, type OpVerdict } from './op-verdict.js';
import { featureForOp } from './software-features.js';

type Code = 'contrib-op-counterpart' | 'cuda-only-contrib-op' | 'nccl-contrib-op' | 'unsupported-contrib-op' | 'degraded-contrib-op' | 'unknown-contrib-op';

export default defineCheck({
  id: 'contrib-ops',
  description:
    'ONNX Runtime contrib ops (com.microsoft): the verdict comes from the profile\'s per-op entry, else its com.microsoft domain policy. ' +
    'Names the target\'s counterpart where a software feature lists the op (MultiHeadAttention → npu_fusion_attention, AllReduce → HCCL), ' +
    'and the ops ONNX Runtime implements for CUDA only. Quantized contrib ops (QLinear*, MatMulNBits...) are quantization\'s.',
  messages: {
    'contrib-op-counterpart': {
      text: '{qualifiedOp} ({nodes}) has no kernel on {target}; its counterpart there is {counterpart} (for {feature})',
      severity: 'error',
      description: 'A contrib op the target cannot run as is, but whose job a native target op or library does.',
    },
    'cuda-only-contrib-op': {
      text: '{qualifiedOp} ({nodes}) exists only as a CUDA kernel in ONNX Runtime: on {target} nothing runs it, not even a CPU fallback',
      severity: 'error',
      description: 'ONNX Runtime implements this contrib op for CUDA only.',
    },
    'nccl-contrib-op': {
      text: '{qualifiedOp} ({nodes}) is an NCCL collective of ONNX Runtime\'s CUDA build; {target} has no kernel for it ({collectives} is the collective library there)',
      severity: 'error',
      description: 'A multi-GPU collective op that exists only in ONNX Runtime builds with NCCL.',
    },
    'unsupported-contrib-op': {
      text: '{qualifiedOp} ({nodes}) has no kernel on {target}: {reason}',
      severity: 'error',
      description: 'The target has no kernel or parser for this contrib op; it must be un-fused to standard ONNX or mapped to a target op.',
    },
    'degraded-contrib-op': {
      text: '{qualifiedOp} ({nodes}) runs on {target} at a cost: {reason}',
      severity: 'warning',
      description: 'The contrib op runs on the target, slowly or in reduced precision.',
    },
    'unknown-contrib-op': {
      text: '{qualifiedOp} ({nodes}): no evidence whether {target} runs it',
      severity: 'warning',
      description: 'The profile has no evidence for this contrib op either way.',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    for (const op of facts.ops) {
      if (ownerOf(op, facts) !== 'contrib-ops') continue;
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict) continue;
      const finding = contribFinding(op, verdict, profile);
      if (finding) out.push(finding);
    }
    return out;
  },
});

function contribFinding(op: OpUse, verdict: OpVerdict, profile: Profile): RawFinding<Code> | undefined {
  // Knowledge says a CUDA-only op cannot run off CUDA; a per-op entry in the profile says otherwise if it knows better.
  const cudaOnly = CUDA_ONLY_CONTRIB_OPS.get(op.opType);
  const offCuda = profile.kind !== 'gpu' && verdict.basis !== 'entry';
  const level: SupportLevel = cudaOnly && offCuda ? 'unsupported' : verdict.level;
  if (level === 'supported') return undefined;

  const common = { ...opArgs(op, profile), collectives: profile.software.collectives };
  const args = { ...common, reason: reasonFor({ level, note: verdict.note }, common) };
  const base = {
    ...opLocation(op),
    level,
    severity: severityFor(level),
    effort: verdict.effort,
    source: verdict.source,
    remedy: verdict.remedy ?? profile.domains['com.microsoft'].remedy,
  };

  // A software feature that lists the op knows its remedy better than the blanket domain policy.
  const feature = featureForOp(profile, op);
  const featureBase = feature
    ? {
        ...base,
        remedy: verdict.basis === 'entry' && verdict.remedy ? verdict.remedy : feature.remedy ?? base.remedy,
        effort: feature.effort ?? verdict.effort,
        source: [...new Set([...verdict.source, ...feature.source])],
      }
    : base;
  if (feature && hasCounterpart(feature.counterpart)) {
    return {
      ...featureBase,
      code: 'contrib-op-counterpart',
      args: { ...args, counterpart: shortName(feature.counterpart), counterpartFull: feature.counterpart, feature: shortName(feature.cuda) },
    };
  }
  if (cudaOnly && offCuda) {
    return { ...featureBase, code: cudaOnly === 'nccl' ? 'nccl-contrib-op' : 'cuda-only-contrib-op', args };
  }
  const code: Code = level === 'unsupported' ? 'unsupported-contrib-op' : level === 'degraded' ? 'degraded-contrib-op' : 'unknown-contrib-op';
  return { ...featureBase, code, args };
}

/** Profiles write a missing counterpart as "none" or "none on 910B/910C: ...". */
function hasCounterpart(counterpart: string): boolean {
  return !/^none\b/i.test(counterpart.trim());
}
