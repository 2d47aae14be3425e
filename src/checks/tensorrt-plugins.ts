import { defineCheck, type RawFinding } from './define-check.js';
import { opArgs, opLocation, reasonFor } from './op-finding.js';
import { ownerOf, verdictForOp } from './op-owner.js';
import { severityFor } from './op-verdict.js';

type Code = 'tensorrt-plugin';

export default defineCheck({
  id: 'tensorrt-plugins',
  description:
    'TensorRT plugin ops: the trt.plugins domain, and op types ending in _TRT in any domain (EfficientNMS_TRT...). ' +
    'They run only inside a TensorRT engine; the verdict comes from the profile\'s tensorrt domain policy unless a per-op entry exists.',
  messages: {
    'tensorrt-plugin': {
      text: '{qualifiedOp} ({nodes}) is a TensorRT plugin: {reason}',
      severity: 'error',
      description: 'A TensorRT plugin op has no implementation outside TensorRT; on another target it must be rewritten.',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    for (const op of facts.ops) {
      if (ownerOf(op, facts) !== 'tensorrt-plugins') continue;
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict || verdict.level === 'supported') continue;
      const args = opArgs(op, profile);
      out.push({
        ...opLocation(op),
        code: 'tensorrt-plugin',
        level: verdict.level,
        severity: severityFor(verdict.level),
        args: { ...args, reason: reasonFor(verdict, args) },
        remedy: verdict.remedy ?? profile.domains.tensorrt.remedy,
        effort: verdict.effort,
        source: verdict.source,
      });
    }
    return out;
  },
});
