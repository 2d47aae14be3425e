import type { ModelIR } from '../onnx/ir.js';
import type { ObservedShape, ObservedShapes, ProviderName } from './types.js';

export const DEFAULT_MAX_OBSERVED_VALUES = 5000;

/**
 * The shape and dtype of every value a main-graph node (other than Constant) produces, as the one
 * profiled run recorded them: ONNX Runtime's profiler logs each node's output types and shapes, so
 * no extra run and no rewritten copy is needed. Values the profile cannot tell (a node name shared
 * by several graphs, an omitted optional output) are listed in `missing`.
 */
export function observeShapes(
  model: ModelIR, provider: ProviderName, profiledShapes: Map<string, { dtype: string; dims: number[] }[]>, maxValues = DEFAULT_MAX_OBSERVED_VALUES,
): ObservedShapes {
  const main = model.graphs[0]!;
  const inputs = new Set(main.inputs.map((i) => i.name));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const node of main.nodes) {
    // A Constant's shape is in the model already.
    if (node.opType === 'Constant' && node.domain === 'ai.onnx') continue;
    for (const out of node.outputs) {
      if (out && !seen.has(out) && !inputs.has(out)) {
        seen.add(out);
        names.push(out);
      }
    }
  }
  const kept = new Set(names.slice(0, maxValues));
  const fromProfile = profiledValues(model, profiledShapes, kept);
  const values: Record<string, ObservedShape> = {};
  for (const [name, shape] of fromProfile) values[name] = shape;
  const missing = [...kept].filter((n) => !fromProfile.has(n));
  return { provider, values, requested: names.length, missing, fromProfile: fromProfile.size, chunks: 0 };
}

/**
 * Values whose shapes the profiled run recorded. A profiled node is matched to the model's node by
 * name (or the "#<index> <OpType>" stand-in of an unnamed main-graph node); a name that appears in
 * more than one graph is ambiguous and left out, as is a node with an omitted optional output,
 * whose outputs the profiler lists without the gaps.
 */
function profiledValues(
  model: ModelIR, shapes: Map<string, { dtype: string; dims: number[] }[]> | undefined, kept: Set<string>,
): Map<string, ObservedShape> {
  const out = new Map<string, ObservedShape>();
  if (!shapes) return out;
  const nameCount = new Map<string, number>();
  for (const g of model.graphs) for (const n of g.nodes) if (n.name) nameCount.set(n.name, (nameCount.get(n.name) ?? 0) + 1);
  for (const node of model.graphs[0]!.nodes) {
    if (node.name && nameCount.get(node.name) !== 1) continue;
    const recorded = shapes.get(node.name || `#${node.index} ${node.opType}`);
    if (!recorded || recorded.length !== node.outputs.length || node.outputs.some((o) => !o)) continue;
    node.outputs.forEach((o, i) => {
      if (kept.has(o)) out.set(o, { dtype: recorded[i]!.dtype, dims: [...recorded[i]!.dims] });
    });
  }
  return out;
}
