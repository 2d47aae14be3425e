import { CUDA_ONLY_CONTRIB_OPS } from '../assess/cuda-only-contrib-ops.js';
import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { noteArg, opArgs, opLocation, shortName } from '../assess/op-args.js';
import { ownerOf, verdictForOp } from '../assess/op-owner.js';
import type { OpVerdict } from '../assess/op-verdict.js';
import { featureForOp } from '../assess/software-features.js';
import { severityFor } from '../findings/levels.js';
import type { OpUse } from '../inspect/facts.js';
import type { Profile, SupportLevel } from '../profiles/schema.js';

type Code = 'contrib-op-counterpart' | 'cuda-only-contrib-op' | 'nccl-contrib-op' | 'unsupported-contrib-op' | 'degraded-contrib-op' | 'unknown-contrib-op';

const UNFUSE = 'Un-fuse {qualifiedOp} into standard ONNX ops at export (disable ONNX Runtime\'s transformer fusions), or map it to a target op.';

export default defineCheck({
  id: 'contrib-ops',
  summary: '`com.microsoft` ops: no CANN kernel or ATC parser for any; names the CUDA-only ones and the Ascend counterpart (Attention → npu_fusion_attention, AllReduce → HCCL)',
  description:
    'ONNX Runtime contrib ops (com.microsoft): the verdict comes from the profile\'s per-op entry, else its com.microsoft domain policy. ' +
    'Names the target\'s counterpart where a software feature lists the op (MultiHeadAttention → npu_fusion_attention, AllReduce → HCCL), ' +
    'and the ops ONNX Runtime implements for CUDA only. Quantized contrib ops (QLinear*, MatMulNBits...) are quantization\'s.',
  messages: {
    'contrib-op-counterpart': {
      text: '{qualifiedOp} ({nodeCount:count(node)}) has no kernel; its counterpart is {counterpart} (for {feature})',
      severity: 'error',
      level: 'unsupported',
      description: 'A contrib op the target cannot run as is, but whose job a native target op or library does.',
      remedy: 'Map {qualifiedOp} to {counterpart}.',
      effort: 'medium',
    },
    'cuda-only-contrib-op': {
      text: '{qualifiedOp} ({nodeCount:count(node)}) exists only as a CUDA kernel in ONNX Runtime: nothing runs it here, not even a CPU fallback',
      severity: 'error',
      level: 'unsupported',
      description: 'ONNX Runtime implements this contrib op for CUDA only.',
      remedy: UNFUSE,
      effort: 'medium',
    },
    'nccl-contrib-op': {
      text: '{qualifiedOp} ({nodeCount:count(node)}) is an NCCL collective of ONNX Runtime\'s CUDA build; no kernel here ({collectives} is the collective library)',
      severity: 'error',
      level: 'unsupported',
      description: 'A multi-GPU collective op that exists only in ONNX Runtime builds with NCCL.',
      remedy: 'Move the collective out of the graph into the serving code, on {collectives}.',
      effort: 'high',
    },
    'unsupported-contrib-op': {
      text: '{qualifiedOp} ({nodeCount:count(node)}) has no kernel[: {note}]',
      severity: 'error',
      level: 'unsupported',
      description: 'The target has no kernel or parser for this contrib op; it must be un-fused to standard ONNX or mapped to a target op.',
      remedy: UNFUSE,
      effort: 'medium',
    },
    'degraded-contrib-op': {
      text: '{qualifiedOp} ({nodeCount:count(node)}) runs at a cost[: {note}]',
      severity: 'warning',
      level: 'degraded',
      description: 'The contrib op runs on the target, slowly or in reduced precision.',
      remedy: 'Profile the model on the target; if {qualifiedOp} dominates, un-fuse it or map it to a faster target op.',
      effort: 'low',
    },
    'unknown-contrib-op': {
      text: '{qualifiedOp} ({nodeCount:count(node)}): no evidence whether the target runs it',
      severity: 'warning',
      level: 'unknown',
      description: 'The profile has no evidence for this contrib op either way.',
      remedy: 'No evidence either way: compile a one-op model containing {qualifiedOp} with {compiler} to find out, or un-fuse it.',
      effort: 'low',
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

  const args = { ...opArgs(op, profile), collectives: profile.software.collectives, ...noteArg({ level, note: verdict.note }) };
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
