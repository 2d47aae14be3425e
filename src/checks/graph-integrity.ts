import { defineCheck, perModel, type RawFinding } from '../assess/define-check.js';
import type { NodeRef } from '../findings/finding.js';
import { MAX_NODE_REFS } from '../findings/finding.js';
import { nodeRef } from '../inspect/node-ref.js';
import type { GraphIR, ModelIR } from '../onnx/ir.js';
import { topologicalOrder, type Dataflow } from '../onnx/topological-order.js';
import { append } from '../arrays.js';

type Code = 'cyclic-graph' | 'undefined-input' | 'duplicate-output' | 'missing-graph-output';

const REMEDY =
  'Re-export the model; onnx.checker.check_model(model, full_check=True) names the first problem. ONNX Runtime refuses to load the model as it is.';
const MALFORMED = { severity: 'error', level: 'unsupported', remedy: REMEDY, effort: 'medium' } as const;

export default defineCheck({
  id: 'graph-integrity',
  summary: 'cycles, nodes reading undefined values, values assigned twice (graph inputs included), graph outputs nothing produces',
  description:
    'Structural faults that make ONNX Runtime refuse the model on any target: a cycle among a graph\'s nodes, ' +
    'a node reading a value nothing defines (in its graph or the graphs around it), a value assigned twice, ' +
    'a graph output nothing produces. One finding per graph and fault.',
  messages: {
    'cyclic-graph': {
      text: 'The model is malformed: graph {graph} has a cycle ({nodeCount:count(node)} in or behind it: {names:list(5,nodeCount)})',
      ...MALFORMED,
      description: 'The nodes of a graph depend on each other in a loop, so no execution order exists.',
    },
    'undefined-input': {
      text: 'The model is malformed: in graph {graph}, node inputs name values nothing defines: {names:list(5,nameCount)} (read by {nodeCount:count(node)})',
      ...MALFORMED,
      description: 'A node input names a value that is no graph input, initializer or node output.',
    },
    'duplicate-output': {
      text: 'The model is malformed: in graph {graph}, values are assigned more than once: {names:list(5,nameCount)}',
      ...MALFORMED,
      description: 'A value is produced by two nodes, by a node and also a graph input or initializer, or declared twice as a graph input or initializer (ONNX graphs are single-assignment).',
    },
    'missing-graph-output': {
      text: 'The model is malformed: graph {graph} declares outputs nothing produces: {names}',
      ...MALFORMED,
      description: 'A graph output is neither produced by a node nor a graph input or initializer.',
    },
  },
  run({ model, facts }) {
    return faultsOf(model, facts.dataflows);
  },
});

const faultsOf = perModel((model: ModelIR, dataflows: readonly Dataflow[]): RawFinding<Code>[] => {
  const scopes = new Scopes(model, dataflows);
  const out: RawFinding<Code>[] = [];
  for (const graph of model.graphs) append(out, graphFaults(graph, scopes));
  return out;
});

/** Names each graph defines (inputs, initializers, node outputs), looked up through the enclosing graphs. */
class Scopes {
  readonly declared: Set<string>[] = [];
  /** Each name a node outputs, with the index of the first node that does. */
  readonly produced: Map<string, number>[] = [];
  private readonly parentOf: (number | undefined)[] = [];

  constructor(private readonly model: ModelIR, readonly dataflows: readonly Dataflow[]) {
    const functionInputs = new Map(model.functions.map((f) => [f.graphId, f.inputs]));
    for (const g of model.graphs) {
      const declared = new Set<string>();
      for (const v of g.inputs) declared.add(v.name);
      for (const name of functionInputs.get(g.id) ?? []) declared.add(name);
      for (const t of g.initializers) declared.add(t.name);
      for (const t of g.sparseInitializers) declared.add(t.name);
      this.declared[g.id] = declared;
      // The data flow's first producers: the same map shape inference and the partitions use.
      this.produced[g.id] = dataflows[g.id]!.producer;
      this.parentOf[g.id] = g.parent?.graphId;
    }
  }

  /** Defined in an enclosing graph (a subgraph may read its parents' values; a function body may not). */
  definedOutside(graphId: number, name: string): boolean {
    let id = this.parentOf[graphId];
    for (let steps = 0; id !== undefined && steps <= this.model.graphs.length; steps++) {
      if (this.declared[id]?.has(name) || this.produced[id]?.has(name)) return true;
      id = this.parentOf[id];
    }
    return false;
  }
}

function graphFaults(graph: GraphIR, scopes: Scopes): RawFinding<Code>[] {
  const declared = scopes.declared[graph.id] ?? new Set<string>();
  const produced = scopes.produced[graph.id] ?? new Map<string, number>();
  const isDefined = (name: string): boolean =>
    declared.has(name) || produced.has(name) || scopes.definedOutside(graph.id, name);

  const undefinedReaders = new Collected();
  const duplicates = new Collected();
  const flow = scopes.dataflows[graph.id]!;
  // The producer of each value for the cycle search: the first node that outputs it, unless it is
  // also a graph input or initializer (then it is a duplicate, and the declared value is the one read).
  let producerOf = produced;
  const { inputStart, inputProducer, singleAssignment } = flow;
  for (let position = 0; position < graph.nodes.length; position++) {
    const node = graph.nodes[position]!;
    const inputs = node.inputs;
    for (let k = inputStart[position]!; k < inputStart[position + 1]!; k++) {
      if (inputProducer[k]! >= 0) continue;
      const input = inputs[k - inputStart[position]!]!;
      if (input !== '' && !declared.has(input) && !scopes.definedOutside(graph.id, input)) {
        undefinedReaders.add(input, nodeRef(node, graph));
      }
    }
    const outputs = node.outputs;
    for (let slot = 0; slot < outputs.length; slot++) {
      const output = outputs[slot]!;
      if (output === '') continue;
      // Single assignment (the common case): each output's first producer is this node.
      const again = !singleAssignment && (produced.get(output) !== position || (slot > 0 && outputs.indexOf(output) < slot));
      if (again || declared.has(output)) duplicates.add(output, nodeRef(node, graph));
      if (!again && declared.has(output)) {
        if (producerOf === produced) producerOf = new Map(produced);
        producerOf.delete(output);
      }
    }
  }
  // Graph inputs (or initializers) declared twice: ONNX Runtime refuses them ("Duplicate definition-site").
  // An input that repeats an initializer is fine (IR < 4 lists weights as inputs too).
  for (const names of [graph.inputs.map((v) => v.name), graph.initializers.map((t) => t.name)]) {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) duplicates.addName(name);
      seen.add(name);
    }
  }
  const missing = graph.outputs.map((o) => o.name).filter((name) => name !== '' && !isDefined(name));
  // Every input produced before its reader (as ONNX requires): no cycle. Otherwise the data flow
  // has placed the nodes already, unless a duplicate changed which producer is read.
  const cycle = flow.sorted ? { count: 0, refs: [] } : nodesInCycles(graph, producerOf === produced ? flow.cyclic : topologicalOrder(graph, undefined, producerOf).cyclic);

  const out: RawFinding<Code>[] = [];
  const base = { source: [] };
  const args = { graph: graph.path };
  if (cycle.count > 0) {
    out.push({
      ...base, code: 'cyclic-graph', nodes: cycle.refs, nodeCount: cycle.count,
      args: { ...args, nodeCount: cycle.count, names: cycle.refs.map((r) => r.name) },
    });
  }
  if (undefinedReaders.count > 0) {
    out.push({
      ...base, code: 'undefined-input', nodes: undefinedReaders.refs, nodeCount: undefinedReaders.refs.length,
      args: { ...args, nodeCount: undefinedReaders.refs.length, names: undefinedReaders.names, nameCount: undefinedReaders.nameCount },
    });
  }
  if (duplicates.count > 0) {
    out.push({
      ...base, code: 'duplicate-output', nodes: duplicates.refs, nodeCount: duplicates.refs.length,
      args: { ...args, names: duplicates.names, nameCount: duplicates.nameCount },
    });
  }
  if (missing.length > 0) {
    out.push({ ...base, code: 'missing-graph-output', nodeCount: 0, args: { ...args, names: missing } });
  }
  return out;
}

/** Offending value names and the nodes involved, bounded like every node list. */
class Collected {
  readonly names: string[] = [];
  readonly refs: NodeRef[] = [];
  count = 0;
  nameCount = 0;
  private readonly seenNames = new Set<string>();
  private lastIndex = -1;

  add(name: string, ref: NodeRef): void {
    this.addName(name);
    if (ref.index !== this.lastIndex && this.refs.length < MAX_NODE_REFS) this.refs.push(ref);
    this.lastIndex = ref.index;
  }

  /** An offending name no node is involved in (a graph input declared twice). */
  addName(name: string): void {
    this.count += 1;
    if (!this.seenNames.has(name)) {
      this.seenNames.add(name);
      this.nameCount += 1;
      if (this.names.length < MAX_NODE_REFS) this.names.push(name);
    }
  }
}

/** Nodes never freed by the topological order sit on a cycle or behind one. */
function nodesInCycles(graph: GraphIR, cyclic: Set<number>): { count: number; refs: NodeRef[] } {
  const blocked = [...cyclic];
  return { count: blocked.length, refs: blocked.slice(0, MAX_NODE_REFS).map((i) => nodeRef(graph.nodes[i]!, graph)) };
}
