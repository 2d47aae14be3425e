import type { ModelIR, NodeIR } from '../onnx/ir.js';
import { topologicalOrder as sortedIndices } from '../onnx/topological-order.js';

/**
 * The main graph's nodes in topological order (the project's one order, onnx/topological-order),
 * a node holding subgraphs after the outer values its bodies read. ONNX asks for sorted nodes but
 * exporters do not always comply, and "the first node that drifts" must mean first in the data flow.
 */
export function topologicalOrder(model: ModelIR): NodeIR[] {
  const main = model.graphs[0];
  if (!main) return [];
  return sortedIndices(main, implicitInputs(model)).order.map((i) => main.nodes[i]!);
}

/** For each main-graph node holding subgraphs: the names its bodies (at any depth) read. */
export function implicitInputs(model: ModelIR): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const g of model.graphs) {
    if (g.kind !== 'subgraph') continue;
    const top = mainAncestor(model, g.id);
    if (top === undefined) continue;
    let names = out.get(top);
    if (!names) out.set(top, (names = new Set()));
    for (const n of g.nodes) for (const i of n.inputs) if (i) names.add(i);
  }
  return out;
}

/** The index of the main-graph node a subgraph hangs under, at whatever depth. */
export function mainAncestor(model: ModelIR, graphId: number): number | undefined {
  let g = model.graphs[graphId];
  for (let hops = 0; g?.parent && hops <= model.graphs.length; hops++) {
    if (g.parent.graphId === 0) return g.parent.nodeIndex;
    g = model.graphs[g.parent.graphId];
  }
  return undefined;
}
