import type { ModelIR, NodeIR } from '../onnx/ir.js';

/**
 * The main graph's nodes in topological order, as close to file order as the data flow allows.
 * ONNX asks for topologically sorted nodes but exporters do not always comply, and "the first node
 * that drifts" must mean first in the data flow. A node holding subgraphs depends on the outer
 * values its bodies read. Iterative (no recursion a deep graph could overflow); nodes on a cycle,
 * which a valid model has none of, keep their file position.
 */
export function topologicalOrder(model: ModelIR): NodeIR[] {
  const main = model.graphs[0];
  if (!main) return [];
  const producer = new Map<string, number>();
  main.nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  const implicit = implicitInputs(model);

  const deps = (i: number): number[] => {
    const node = main.nodes[i]!;
    const out: number[] = [];
    for (const name of [...node.inputs, ...(implicit.get(i) ?? [])]) {
      const p = name ? producer.get(name) : undefined;
      if (p !== undefined && p !== i) out.push(p);
    }
    return out;
  };

  const state = new Uint8Array(main.nodes.length); // 0 new, 1 on the stack, 2 placed
  const order: NodeIR[] = [];
  for (let root = 0; root < main.nodes.length; root++) {
    if (state[root] !== 0) continue;
    const stack: { node: number; deps: number[]; next: number }[] = [{ node: root, deps: deps(root), next: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.deps.length) {
        const d = top.deps[top.next++]!;
        if (state[d] === 0) {
          state[d] = 1;
          stack.push({ node: d, deps: deps(d), next: 0 });
        }
        continue;
      }
      stack.pop();
      state[top.node] = 2;
      order.push(main.nodes[top.node]!);
    }
  }
  return order;
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
