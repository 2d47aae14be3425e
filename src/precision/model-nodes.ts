import type { ModelIR, NodeIR } from '../onnx/ir.js';
import type { NodeAt, PrecisionResult } from './types.js';

/**
 * Names nodes of the folded graph the emulation ran as the user's model names them: a node the
 * model has under the same name, or under the name before the suffix ONNX Runtime adds when it
 * fuses nodes ("MatMul_3/MatMulAddFusion" is the model's "MatMul_3"), gets that node's name, op
 * type and index. Nodes ONNX Runtime made up keep their folded-graph identity.
 */
export function inModelTerms(result: PrecisionResult, model: ModelIR): void {
  const map = modelNodeMapper(model);
  result.outputs = result.outputs.map((o) => (o.node ? { ...o, node: map(o.node) } : o));
  if (result.firstDrift) result.firstDrift = map(result.firstDrift);
  result.overflows = result.overflows.map(map);
  if (result.layerwise) result.layerwise = { ...result.layerwise, worst: result.layerwise.worst.map(map) };
}

export function modelNodeMapper(model: ModelIR): <T extends NodeAt>(at: T) => T {
  const byName = new Map<string, NodeIR>();
  for (const n of model.graphs[0]?.nodes ?? []) if (n.name && !byName.has(n.name)) byName.set(n.name, n);
  return <T extends NodeAt>(at: T): T => {
    if (!at.named) return at;
    const original = lookup(at.node, byName);
    return original ? { ...at, node: original.name, opType: original.opType, index: original.index } : at;
  };
}

function lookup(name: string, byName: ReadonlyMap<string, NodeIR>): NodeIR | undefined {
  let candidate = name;
  for (;;) {
    const found = byName.get(candidate);
    if (found) return found;
    const cut = candidate.lastIndexOf('/');
    if (cut <= 0) return undefined;
    candidate = candidate.slice(0, cut);
  }
}
