import type { OpUse } from '../inspect/facts.js';
import type { NodeRef } from '../findings/finding.js';
import type { Profile } from '../profiles/schema.js';

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

/** Args every per-op message may use: {op} {qualifiedOp} {domain} {opset} {nodeCount} {compiler}. */
export function opArgs(op: OpUse, profile: Profile): Record<string, string | number> {
  return {
    op: op.opType,
    qualifiedOp: op.domain === 'ai.onnx' ? op.opType : `${op.domain}::${op.opType}`,
    domain: op.domain,
    ...(op.opset !== undefined && { opset: op.opset }),
    nodeCount: op.nodeCount,
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

/**
 * The profile's note for a verdict, as a message arg: a supported entry's note cites evidence (the
 * parser file), which is no reason a person needs, so it is left out.
 */
export function noteArg(verdict: { level: string; note?: string | undefined }): { note?: string } {
  return verdict.level !== 'supported' && verdict.note ? { note: verdict.note } : {};
}
