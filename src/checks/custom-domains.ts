import { defineCheck, type RawFinding } from './define-check.js';
import { opArgs, opLocation, reasonFor } from './op-finding.js';
import { ownerOf, verdictForOp } from './op-owner.js';
import { severityFor } from './op-verdict.js';

type Code = 'custom-op';

export default defineCheck({
  id: 'custom-domains',
  description:
    'Ops in domains that are neither standard ONNX, ONNX Runtime\'s com.microsoft nor TensorRT plugins, and that are not model-local functions: ' +
    'custom kernels (typically CUDA) the target does not have. Verdict from the profile\'s custom domain policy unless a per-op entry exists.',
  messages: {
    'custom-op': {
      text: '{qualifiedOp} ({nodes}) is a custom op in domain {domain}: {reason}',
      severity: 'error',
      description: 'A custom-domain op: its kernel (usually CUDA) has to be rewritten for the target.',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    for (const op of facts.ops) {
      if (ownerOf(op, facts) !== 'custom-domains') continue;
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict || verdict.level === 'supported') continue;
      const args = opArgs(op, profile);
      out.push({
        ...opLocation(op),
        code: 'custom-op',
        level: verdict.level,
        severity: severityFor(verdict.level),
        args: { ...args, reason: reasonFor(verdict, args) },
        remedy: verdict.remedy ?? profile.domains.custom.remedy,
        effort: verdict.effort,
        source: verdict.source,
      });
    }
    return out;
  },
});
