import type { ModelFacts, OpUse } from '../inspect/facts.js';
import {
  functionKey, isContribDomain, isStandardDomain, isTensorRtPluginOp,
} from '../inspect/domains.js';
import { quantSchemeOfOp } from '../inspect/quantization-ops.js';
import type { Profile } from '../profiles/schema.js';
import { resolveOp, type OpVerdict } from './op-verdict.js';

/**
 * Which check reports an op type, so that one node gets one per-op finding: op-support owns the
 * standard ops, except If/Loop/Scan (control-flow) and quantization ops (quantization, which
 * reports a scheme as one work item); contrib-ops owns com.microsoft; tensorrt-plugins owns
 * trt.plugins and *_TRT ops in any domain; custom-domains owns the rest. Calls to model-local
 * functions are no one's: their bodies' ops are inventoried themselves.
 */
export type OpOwner =
  | 'op-support' | 'control-flow' | 'quantization' | 'contrib-ops' | 'tensorrt-plugins'
  | 'custom-domains' | 'local-function';

export const CONTROL_FLOW_OPS: ReadonlySet<string> = new Set(['If', 'Loop', 'Scan']);

export function ownerOf(op: Pick<OpUse, 'domain' | 'opType'>, facts: Pick<ModelFacts, 'localFunctions'>): OpOwner {
  if (facts.localFunctions.has(functionKey(op.domain, op.opType))) return 'local-function';
  if (isTensorRtPluginOp(op.domain, op.opType)) return 'tensorrt-plugins';
  const standard = isStandardDomain(op.domain);
  const contrib = isContribDomain(op.domain);
  const scheme = quantSchemeOfOp(op.opType);
  // GemmFloat8 is an fp8 GEMM kernel, a contrib op first; fp8 tensors are precision's.
  if ((standard || contrib) && scheme !== undefined && scheme !== 'fp8') return 'quantization';
  if (standard) return op.domain === 'ai.onnx' && CONTROL_FLOW_OPS.has(op.opType) ? 'control-flow' : 'op-support';
  if (contrib) return 'contrib-ops';
  return 'custom-domains';
}

/**
 * The target's verdict for an op type, whichever check reports it; undefined for calls to
 * model-local functions. Op coverage and every per-op check go through here, so that they agree.
 */
export function verdictForOp(profile: Profile, op: OpUse, facts: Pick<ModelFacts, 'localFunctions'>): OpVerdict | undefined {
  const owner = ownerOf(op, facts);
  const { domains, limits } = profile;
  switch (owner) {
    case 'local-function':
      return undefined;
    case 'op-support':
      return resolveOp(profile, op.domain, op.opType, op.opset, profile.ops.unlisted);
    case 'control-flow':
      return resolveOp(profile, op.domain, op.opType, op.opset, limits.controlFlow, 'limit');
    case 'quantization':
      return resolveOp(profile, op.domain, op.opType, op.opset, limits.quantization, 'limit');
    case 'contrib-ops':
      return resolveOp(profile, op.domain, op.opType, op.opset, domains['com.microsoft'], 'domain-policy');
    case 'tensorrt-plugins':
      return resolveOp(profile, op.domain, op.opType, op.opset, domains.tensorrt, 'domain-policy');
    case 'custom-domains':
      return resolveOp(profile, op.domain, op.opType, op.opset, domains.custom, 'domain-policy');
  }
}
