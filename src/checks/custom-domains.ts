import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { noteArg, opArgs, opLocation } from '../assess/op-args.js';
import { ownerOf, verdictForOp } from '../assess/op-owner.js';
import { severityFor } from '../findings/levels.js';

type Code = 'custom-op';

export default defineCheck({
  id: 'custom-domains',
  summary: 'any other custom domain: a custom CUDA kernel to rewrite in Ascend C',
  description:
    'Ops in domains that are neither standard ONNX, ONNX Runtime\'s com.microsoft nor TensorRT plugins, and that are not model-local functions: ' +
    'custom kernels (typically CUDA) the target does not have. Verdict from the profile\'s custom domain policy unless a per-op entry exists.',
  messages: {
    'custom-op': {
      text: '{qualifiedOp} ({nodeCount:count(node)}) is a custom op in domain {domain}[: {note}]',
      severity: 'error',
      description: 'A custom-domain op: its kernel (usually CUDA) has to be rewritten for the target.',
      remedy: 'Rewrite the kernel of {op} for the target (a custom operator for {compiler}), or replace it with standard ONNX ops at export.',
      effort: 'high',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    for (const op of facts.ops) {
      if (ownerOf(op, facts) !== 'custom-domains') continue;
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict || verdict.level === 'supported') continue;
      out.push({
        ...opLocation(op),
        code: 'custom-op',
        level: verdict.level,
        severity: severityFor(verdict.level),
        args: { ...opArgs(op, profile), ...noteArg(verdict) },
        remedy: verdict.remedy ?? profile.domains.custom.remedy,
        effort: verdict.effort,
        source: verdict.source,
      });
    }
    return out;
  },
});
