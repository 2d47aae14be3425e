import type { OpUse } from '../inspect/facts.js';
import type { Profile, SupportLevel } from '../profiles/schema.js';
import { formatMessage } from './define-check.js';
import type { NodeRef } from './finding.js';
import { plural } from './format-values.js';
import type { OpVerdict } from './op-verdict.js';

/** The finding fields that locate an op: op, domain, opset and its nodes. */
export function opLocation(op: OpUse): {
  op: string;
  domain: string;
  opset?: number;
  nodes: NodeRef[];
  nodeCount: number;
} {
  return {
    op: op.opType,
    domain: op.domain,
    ...(op.opset !== undefined && { opset: op.opset }),
    nodes: op.nodes,
    nodeCount: op.nodeCount,
  };
}

/** Args every per-op message may use: {op} {qualifiedOp} {domain} {opset} {nodes} {target} {compiler}. */
export function opArgs(op: OpUse, profile: Profile): Record<string, string | number> {
  return {
    op: op.opType,
    qualifiedOp: op.domain === 'ai.onnx' ? op.opType : `${op.domain}::${op.opType}`,
    domain: op.domain,
    opset: op.opset ?? 'none',
    nodes: plural(op.nodeCount, 'node'),
    target: profile.name,
    compiler: profile.software.compiler,
  };
}

/** What a verdict's level means, where the profile gives no note of its own. */
const LEVEL_REASONS: Record<SupportLevel, string> = {
  unsupported: '{target} has no kernel for it',
  degraded: '{target} runs it at a cost',
  unknown: 'no evidence whether {target} runs it',
  supported: '{target} runs it',
};

/** The profile's note for a verdict, else the generic meaning of its level. */
export function reasonFor(verdict: Pick<OpVerdict, 'level' | 'note'>, args: Record<string, string | number>): string {
  return verdict.note ?? formatMessage(LEVEL_REASONS[verdict.level], args);
}
