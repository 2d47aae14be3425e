import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { noteArg, opArgs, opLocation } from '../assess/op-args.js';
import { ownerOf, verdictForOp } from '../assess/op-owner.js';
import { opsetInWindow } from '../assess/op-verdict.js';
import { severityFor } from '../findings/levels.js';
import type { ModelIR } from '../onnx/ir.js';

type Code = 'control-flow-op';

export default defineCheck({
  id: 'control-flow',
  summary: 'If / Loop / Scan (GE parses If; Loop and Scan have no ATC parser) and how deep subgraphs nest',
  description:
    'If, Loop and Scan: the verdict per op type from the profile\'s entries (else its control-flow limit), with the control-flow remedy ' +
    'and how deep subgraphs nest. Reported even where supported (as info), since data-dependent control flow shapes the port: ' +
    'it blocks static shapes and whole-graph compilation. These ops are not reported by op-support.',
  messages: {
    'control-flow-op': {
      text: '{op} ({nodeCount:count(node)}) is {level}[: {note}]; subgraphs nest {depth} deep',
      severity: 'warning',
      description: 'A control-flow op; severity follows the target\'s verdict (error when unsupported, info when supported).',
      remedy: 'Unroll {op} at export (fixed trip count) or move the loop into host code.',
      effort: 'high',
    },
  },
  run({ model, facts, profile }) {
    const out: RawFinding<Code>[] = [];
    const depth = maxSubgraphDepth(model);
    for (const op of facts.controlFlow) {
      if (ownerOf(op, facts) !== 'control-flow') continue;
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict) continue;
      // A model outside the opset window is opset-window's single finding, not one per op.
      if (verdict.basis === 'opset-out-of-range' && !opsetInWindow(profile, op.domain, op.opset)) continue;
      out.push({
        ...opLocation(op),
        code: 'control-flow-op',
        level: verdict.level,
        severity: severityFor(verdict.level),
        args: { ...opArgs(op, profile), level: verdict.level, depth, ...noteArg(verdict) },
        remedy: verdict.remedy ?? profile.limits.controlFlow.remedy,
        effort: verdict.effort,
        source: [...new Set([...verdict.source, ...profile.limits.controlFlow.source])],
      });
    }
    return out;
  },
});

function maxSubgraphDepth(model: ModelIR): number {
  let depth = 0;
  for (const g of model.graphs) if (g.kind === 'subgraph' && g.depth > depth) depth = g.depth;
  return depth;
}
