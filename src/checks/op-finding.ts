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
    compiler: toolchainOf(profile),
  };
}

/**
 * What turns the model into something the target runs: the compiler (ATC), or the runtime where
 * there is none ("none (ONNX Runtime loads the ONNX graph directly)").
 */
export function toolchainOf(profile: Profile): string {
  const { compiler, runtime } = profile.software;
  return /^none\b/i.test(compiler.trim()) ? runtime : compiler;
}

/**
 * The head of a profile's descriptive name, for a message: "FlashAttention (flash_attn, ORT ...)"
 * → "FlashAttention", "supported but slow on AI Core; TopK ..." → "supported but slow on AI Core".
 * The full text stays in the finding's args.
 */
export function shortName(text: string): string {
  const cut = text.search(/\(|: |; /);
  const head = (cut > 0 ? text.slice(0, cut) : text).trim();
  return head === '' ? text : head;
}

/** What a verdict's level means, where the profile gives no note of its own. */
const LEVEL_REASONS: Record<SupportLevel, string> = {
  unsupported: '{target} has no kernel for it',
  degraded: '{target} runs it at a cost',
  unknown: 'no evidence whether {target} runs it',
  supported: '{compiler} supports it',
};

/**
 * The profile's note for a verdict, else the generic meaning of its level. A supported entry's
 * note cites evidence (the parser file), which is no reason a person needs: it gets the generic one.
 */
export function reasonFor(verdict: Pick<OpVerdict, 'level' | 'note'>, args: Record<string, string | number>): string {
  const note = verdict.level === 'supported' ? undefined : verdict.note;
  return note ?? formatMessage(LEVEL_REASONS[verdict.level], args);
}
