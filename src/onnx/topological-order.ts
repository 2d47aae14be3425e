import type { NodeIR } from './ir.js';

export interface TopologicalOrder {
  /** Positions in the node list, each after every node it reads from. */
  order: number[];
  /** Positions never freed: on a cycle or downstream of one (empty for a valid graph). */
  blocked: number[];
}

/**
 * The one topological order of a graph's nodes: Kahn's algorithm taking the lowest file position
 * first, so the order stays as close to file order as the data flow allows (ONNX asks for sorted
 * nodes; exporters do not always comply). Iterative, so a deep graph cannot overflow the stack.
 * `producerOf` maps a value to the node producing it (default: its first producer);
 * `extraInputs` adds what a node reads besides its inputs (the outer values its subgraphs read).
 */
export function topologicalOrder(
  nodes: readonly Pick<NodeIR, 'inputs' | 'outputs'>[],
  options: { producerOf?: ReadonlyMap<string, number>; extraInputs?: (position: number) => Iterable<string> } = {},
): TopologicalOrder {
  const n = nodes.length;
  const producerOf = options.producerOf ?? firstProducers(nodes);
  const indegree = new Int32Array(n);
  const consumers: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const reads = new Set<number>();
    for (const name of nodes[i]!.inputs) addRead(reads, producerOf, name);
    // A body may name what its own node produces (Loop carries); that is no edge.
    for (const name of options.extraInputs?.(i) ?? []) if (producerOf.get(name) !== i) addRead(reads, producerOf, name);
    for (const p of reads) {
      indegree[i]! += 1;
      consumers[p]!.push(i);
    }
  }
  const ready = new MinHeap();
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(next);
    for (const c of consumers[next]!) {
      indegree[c]! -= 1;
      if (indegree[c] === 0) ready.push(c);
    }
  }
  const blocked: number[] = [];
  if (order.length < n) for (let i = 0; i < n; i++) if (indegree[i]! > 0) blocked.push(i);
  return { order, blocked };
}

function firstProducers(nodes: readonly Pick<NodeIR, 'outputs'>[]): Map<string, number> {
  const out = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const o of node.outputs) if (o !== '' && !out.has(o)) out.set(o, i);
  });
  return out;
}

/** A node reading its own output is a cycle of one: it is never freed. */
function addRead(reads: Set<number>, producerOf: ReadonlyMap<string, number>, name: string): void {
  const p = name === '' ? undefined : producerOf.get(name);
  if (p !== undefined) reads.add(p);
}

/** The smallest position first. */
class MinHeap {
  private readonly items: number[] = [];

  push(v: number): void {
    const a = this.items;
    a.push(v);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= a[i]!) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): number | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
