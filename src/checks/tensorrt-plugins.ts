import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { noteArg, opArgs, opLocation } from '../assess/op-args.js';
import { ownerOf, verdictForOp } from '../assess/op-owner.js';
import { severityFor } from '../findings/levels.js';

type Code = 'tensorrt-plugin';

export default defineCheck({
  id: 'tensorrt-plugins',
  summary: '`trt.plugins` and `*_TRT` ops: rewrite as an ATC parser plugin + Ascend C kernel',
  description:
    'TensorRT plugin ops: the trt.plugins domain, and op types ending in _TRT in any domain (EfficientNMS_TRT...). ' +
    'They run only inside a TensorRT engine; the verdict comes from the profile\'s tensorrt domain policy unless a per-op entry exists.',
  messages: {
    'tensorrt-plugin': {
      text: '{qualifiedOp} ({nodeCount:count(node)}) is a TensorRT plugin[: {note}]',
      severity: 'error',
      description: 'A TensorRT plugin op has no implementation outside TensorRT; on another target it must be rewritten.',
      remedy: 'Rewrite {op} as a parser plugin and kernel for {compiler}, or replace it with standard ONNX ops at export.',
      effort: 'high',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    for (const op of facts.ops) {
      if (ownerOf(op, facts) !== 'tensorrt-plugins') continue;
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict || verdict.level === 'supported') continue;
      out.push({
        ...opLocation(op),
        code: 'tensorrt-plugin',
        level: verdict.level,
        severity: severityFor(verdict.level),
        args: { ...opArgs(op, profile), ...noteArg(verdict) },
        remedy: verdict.remedy ?? profile.domains.tensorrt.remedy,
        effort: verdict.effort,
        source: verdict.source,
      });
    }
    return out;
  },
});
