import type { ModelIR } from '../onnx/ir.js';
import { defineCheck, type RawFinding } from './define-check.js';
import { opArgs, opLocation, reasonFor } from './op-finding.js';
import { ownerOf, verdictForOp } from './op-owner.js';
import { opsetInWindow, severityFor } from './op-verdict.js';

type Code = 'control-flow-op';

export default defineCheck({
  id: 'control-flow',
  description:
    'If, Loop and Scan: the verdict per op type from the profile\'s entries (else its control-flow limit), with the control-flow remedy ' +
    'and how deep subgraphs nest. Reported even where supported (as info), since data-dependent control flow shapes the port: ' +
    'it blocks static shapes and whole-graph compilation. These ops are not reported by op-support.',
  messages: {
    'control-flow-op': {
      text: '{op} ({nodes}) on {target}: {reason}; subgraphs nest {depth} deep',
      severity: 'warning',
      description: 'A control-flow op; severity follows the target\'s verdict (error when unsupported, info when supported).',
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
      const args = { ...opArgs(op, profile), depth };
      out.push({
        ...opLocation(op),
        code: 'control-flow-op',
        level: verdict.level,
        severity: severityFor(verdict.level),
        args: { ...args, reason: reasonFor(verdict, args) },
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
