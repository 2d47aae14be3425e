import type { ModelIR, NodeIR } from '../onnx/ir.js';
import { topologicalOrder } from '../onnx/topological-order.js';

/**
 * The main graph's nodes in topological order, as close to file order as the data flow allows.
 * ONNX asks for topologically sorted nodes but exporters do not always comply, and "the first node
 * that drifts" must mean first in the data flow. A node holding subgraphs depends on the outer
 * values its bodies read. Nodes on a cycle, which a valid model has none of, come last.
 */
export function mainGraphOrder(model: ModelIR): NodeIR[] {
  const main = model.graphs[0];
  if (!main) return [];
  const implicit = implicitInputs(model);
  const { order, blocked } = topologicalOrder(main.nodes, { extraInputs: (i) => implicit.get(i) ?? [] });
  return [...order, ...blocked].map((i) => main.nodes[i]!);
}

/** For each main-graph node holding subgraphs: the names its bodies (at any depth) read. */
function implicitInputs(model: ModelIR): Map<number, Set<string>> {
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
function mainAncestor(model: ModelIR, graphId: number): number | undefined {
  let g = model.graphs[graphId];
  for (let hops = 0; g?.parent && hops <= model.graphs.length; hops++) {
    if (g.parent.graphId === 0) return g.parent.nodeIndex;
    g = model.graphs[g.parent.graphId];
  }
  return undefined;
}
