import type { GraphIR } from './ir.js';

/**
 * Node indices of a graph in an order where every node comes after the producers of its inputs.
 * ONNX requires graphs to be sorted already, so the common case is a check and the identity; a
 * graph that is not (hand-edited, or damaged) gets Kahn's algorithm; nodes on a cycle or behind
 * one, which no order can satisfy, go last in file order and are named in `cyclic` (a node reading
 * its own output is a cycle of one). `implicit` adds, per node index, the names a node's subgraph
 * bodies read from this graph (a control-flow node comes after their producers too). `producer`
 * overrides which node produces a value (default: its first producer).
 *
 * The one topological order of the project: shape inference walks it, the precision emulation
 * compares values in it ("the first node that drifts" is first in the data flow), and
 * graph-integrity reports the nodes it cannot place.
 */
export function topologicalOrder(
  graph: Pick<GraphIR, 'nodes'>, implicit?: ReadonlyMap<number, Iterable<string>>, producer = firstProducers(graph),
): { order: number[]; cyclic: Set<number> } {
  const reads = (i: number): string[] => [...graph.nodes[i]!.inputs, ...(implicit?.get(i) ?? [])];
  if (isSorted(graph, producer, implicit)) return { order: graph.nodes.map((_, i) => i), cyclic: new Set() };

  const waiting = new Array<number>(graph.nodes.length).fill(0);
  const consumers: number[][] = graph.nodes.map(() => []);
  graph.nodes.forEach((node, i) => {
    const own = new Set(node.inputs);
    for (const name of new Set(reads(i))) {
      const p = producer.get(name);
      // A body may name what its own node produces (Loop carries); a direct input may not.
      if (p === undefined || (p === i && !own.has(name))) continue;
      waiting[i]! += 1;
      consumers[p]!.push(i);
    }
  });
  const order: number[] = [];
  const ready = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
  for (let k = 0; k < ready.length; k++) {
    const i = ready[k]!;
    order.push(i);
    for (const c of consumers[i]!) {
      waiting[c]! -= 1;
      if (waiting[c] === 0) ready.push(c);
    }
  }
  const cyclic = new Set<number>();
  if (order.length < graph.nodes.length) {
    const placed = new Set(order);
    graph.nodes.forEach((_, i) => {
      if (placed.has(i)) return;
      order.push(i);
      cyclic.add(i);
    });
  }
  return { order, cyclic };
}

/**
 * The data flow of one graph, computed once per model by inspect (ModelFacts.dataflows, one per
 * graph) and handed to every stage and target that walks it: the topological order, each value's
 * first producer, and for every node input the index of the node producing it (-1: a graph input,
 * an initializer or an empty name), as flat arrays: the producers of node i's inputs are
 * inputProducer[inputStart[i] .. inputStart[i + 1]).
 */
export interface Dataflow {
  order: number[];
  cyclic: Set<number>;
  producer: Map<string, number>;
  inputStart: Int32Array;
  inputProducer: Int32Array;
  /** Every node input is produced before its reader (or by no node): the order is the identity. */
  sorted: boolean;
  /**
   * No value is output twice (by two nodes, or twice by one): the first producer of each output of
   * node i is i, known without a lookup by name.
   */
  singleAssignment: boolean;
}

const NO_OUTPUTS: readonly string[] = [];

/** Computes the data flow (no cache: the analysis computes it once per graph and passes it on). */
export function dataflowOf(graph: Pick<GraphIR, 'nodes'>): Dataflow {
  const nodes = graph.nodes;
  // One map operation per value where no value is output twice (as ONNX requires): the map ends as
  // large as the count of outputs. Otherwise a later producer overwrote a first one: filled again,
  // keeping the first.
  let producer = new Map<string, number>();
  let outputs = 0;
  for (let i = 0; i < nodes.length; i++) {
    for (const o of nodes[i]!.outputs) {
      if (o === '') continue;
      outputs += 1;
      producer.set(o, i);
    }
  }
  if (producer.size !== outputs) {
    producer = new Map();
    for (let i = 0; i < nodes.length; i++) {
      for (const o of nodes[i]!.outputs) if (o !== '' && !producer.has(o)) producer.set(o, i);
    }
  }
  const inputStart = new Int32Array(nodes.length + 1);
  for (let i = 0; i < nodes.length; i++) inputStart[i + 1] = inputStart[i]! + nodes[i]!.inputs.length;
  const inputProducer = new Int32Array(inputStart[nodes.length]!);
  const singleAssignment = producer.size === outputs;
  let sorted = true;
  for (let i = 0, k = 0; i < nodes.length; i++) {
    // Most inputs are written by the node just before (a sequential graph): where no value is output
    // twice, that node is their one producer, found without a lookup in a map of every value.
    const previous = singleAssignment && i > 0 ? nodes[i - 1]!.outputs : NO_OUTPUTS;
    for (const name of nodes[i]!.inputs) {
      const p = name !== '' && previous.includes(name) ? i - 1 : (producer.get(name) ?? -1);
      inputProducer[k++] = p;
      if (p >= i) sorted = false;
    }
  }
  // Sorted (as ONNX requires): the order is the identity, known without a second pass of lookups.
  const ordered = sorted ? { order: nodes.map((_, i) => i), cyclic: new Set<number>() } : topologicalOrder(graph, undefined, producer);
  return { ...ordered, producer, inputStart, inputProducer, sorted, singleAssignment };
}

function firstProducers(graph: Pick<GraphIR, 'nodes'>): Map<string, number> {
  const producer = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    for (const o of node.outputs) if (o !== '' && !producer.has(o)) producer.set(o, i);
  });
  return producer;
}

function isSorted(
  graph: Pick<GraphIR, 'nodes'>, producer: ReadonlyMap<string, number>, implicit: ReadonlyMap<number, Iterable<string>> | undefined,
): boolean {
  const after = (name: string, i: number): boolean => {
    const p = producer.get(name);
    return p !== undefined && p >= i;
  };
  for (let i = 0; i < graph.nodes.length; i++) {
    for (const name of graph.nodes[i]!.inputs) if (after(name, i)) return false;
    const more = implicit?.get(i);
    if (more) for (const name of more) if (after(name, i)) return false;
  }
  return true;
}
