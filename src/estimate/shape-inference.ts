import type { GraphIR, ModelIR, NodeIR, ValueInfoIR } from '../onnx/ir.js';
import type { ConstantValues } from './constant-values.js';
import { dtypeFromObserved } from './observed-dtype.js';
import { MAX_TRACKED_VALUES, elementCount, validDims, type InferredValue } from './shape-math.js';
import { UNKNOWN_INPUT, type RuleContext, type ShapeRule } from './shape-rule.js';
import { attentionRules } from './shape-rules-attention.js';
import { constantRules } from './shape-rules-constants.js';
import { elementwiseRules } from './shape-rules-elementwise.js';
import { layoutRules } from './shape-rules-layout.js';
import { linearRules } from './shape-rules-linear.js';
import { reduceRules } from './shape-rules-reduce.js';
import { DimResolver, type DimOptions } from './symbolic-dims.js';
import { dataflowOf, type Dataflow } from '../onnx/topological-order.js';

/**
 * Static shape inference over the main graph: one pass over the nodes in topological order, each
 * node's output shapes computed by a rule for its op type from its inputs' shapes, attributes and
 * (for shape computations) small constant values. No rule, or a shape that depends on data,
 * leaves the outputs unknown and says why.
 *
 * Where shapes come from, by priority: observed in a real run (`observedShapes`), then inferred,
 * then the model's own value_info (with its symbolic dims resolved the same way as the inputs').
 */

export interface ObservedShape {
  dtype: string;
  dims: number[];
}

export interface ShapeInferenceOptions extends DimOptions {
  /** Shapes seen when the model ran: value name → dtype and dims. */
  observedShapes?: Record<string, ObservedShape>;
  /** Values of small constant tensors (see readSmallConstants). */
  constants?: ConstantValues;
  /** The main graph's data flow (ModelFacts.dataflows[0]); computed here when not given. */
  dataflow?: Dataflow;
}

export type ShapeSource = 'observed' | 'inferred' | 'value_info' | 'initializer' | 'input';

/** Where each known shape came from, by value name (kept on the shapes themselves: no second map). */
export interface ShapeSources {
  get(name: string): ShapeSource | undefined;
  values(): IterableIterator<ShapeSource>;
}

type StoredShape = InferredValue & { source: ShapeSource };

function sourcesOf(shapes: Map<string, InferredValue>): ShapeSources {
  return {
    get: (name) => (shapes.get(name) as StoredShape | undefined)?.source,
    values: function* () {
      for (const v of shapes.values()) yield (v as StoredShape).source;
    },
  };
}

export interface ShapeInference {
  graph: GraphIR;
  /** Node indices in topological order. */
  order: number[];
  /** The main graph's data flow (order, producers), for the later stages that walk it too. */
  dataflow: Dataflow;
  shapes: Map<string, InferredValue>;
  /**
   * shapes.get() of node `index`'s output or input `slot`, mostly without a lookup by name: in a
   * graph where no value is output twice, the shape of a single-output node's output is kept by
   * node index, and an input it produces is found through the data flow.
   */
  outputShape(index: number, slot: number): InferredValue | undefined;
  inputShape(index: number, slot: number): InferredValue | undefined;
  /** Where each known shape came from. */
  sources: ShapeSources;
  /** Node index → why some of its outputs have no known shape. */
  unknown: Map<number, string>;
  /**
   * Value name → where its unknown shape comes from: the first node upstream that could not be
   * inferred, as "name: reason" (so a long chain of unknowns points at its one root cause).
   */
  causes: Map<string, string>;
  /** Initializer names (weights). */
  initializers: Set<string>;
  /** Values each symbolic or open dim took, in words. */
  dimNotes: string[];
  batch: number;
  seqLen: number;
}

const STANDARD_DOMAINS = new Set(['ai.onnx', 'com.microsoft']);

let cachedRules: Record<string, ShapeRule> | undefined;
function rules(): Record<string, ShapeRule> {
  cachedRules ??= {
    ...elementwiseRules(), ...linearRules(), ...layoutRules(), ...constantRules(), ...reduceRules(), ...attentionRules(),
  };
  return cachedRules;
}

export function shapeRuleFor(node: NodeIR): ShapeRule | undefined {
  if (!STANDARD_DOMAINS.has(node.domain)) return undefined;
  return Object.hasOwn(rules(), node.opType) ? rules()[node.opType] : undefined;
}

export function inferShapes(model: ModelIR, options: ShapeInferenceOptions = {}): ShapeInference {
  const graph = model.graphs[0]!;
  const resolver = new DimResolver(options);
  const constants = options.constants ?? new Map<string, number[]>();
  const observed = options.observedShapes ?? {};
  const shapes = new Map<string, InferredValue>();
  const unknown = new Map<number, string>();
  const causes = new Map<string, string>();
  const initializers = new Set<string>();

  // The shape last stored by set(), for the table of node output shapes.
  let lastStored: StoredShape | undefined;
  // The last shape made without values: a value with the same dims (the same array: rules pass an
  // input's dims on), dtype and source shares it. Stored shapes are not changed once made, and a
  // chain of a million elementwise nodes keeps one shape object, not a million.
  let shared: StoredShape | undefined;
  const set = (name: string, value: InferredValue, source: ShapeSource) => {
    if (!value.dims || !validDims(value.dims)) return false;
    const keep = value.values && value.values.length <= MAX_TRACKED_VALUES && value.values.length === elementCount(value.dims);
    let v: StoredShape;
    if (!keep && shared && shared.dims === value.dims && shared.dtype === (value.dtype || undefined) && shared.source === source) v = shared;
    else {
      v = { dims: value.dims } as StoredShape;
      if (value.dtype) v.dtype = value.dtype;
      if (keep) v.values = value.values;
      v.source = source;
      if (!keep) shared = v;
    }
    shapes.set(name, v);
    lastStored = v;
    return true;
  };
  // A static check has no observed shapes: no lookup per value then.
  const anyObserved = Object.keys(observed).length > 0;
  const setObserved = (name: string): boolean => {
    if (!anyObserved || !Object.hasOwn(observed, name)) return false;
    const o = observed[name]!;
    if (!Array.isArray(o.dims)) return false;
    const dtype = dtypeFromObserved(String(o.dtype));
    const prior = shapes.get(name)?.values;
    return set(name, { ...(dtype ? { dtype } : {}), dims: o.dims, ...(prior ? { values: prior } : {}) }, 'observed');
  };

  for (const t of [...graph.initializers, ...graph.sparseInitializers]) {
    initializers.add(t.name);
    const values = constants.get(t.name);
    set(t.name, { dtype: t.dtype, dims: t.dims, ...(values ? { values } : {}) }, 'initializer');
  }
  for (const input of graph.inputs) {
    if (initializers.has(input.name)) continue;
    if (setObserved(input.name)) continue;
    const dims = resolver.resolve(input.name, input.kind === 'tensor' ? input.dims : undefined);
    if (dims) set(input.name, { ...(input.dtype ? { dtype: input.dtype } : {}), dims }, 'input');
  }

  const valueInfo = new Map<string, ValueInfoIR>();
  for (const v of [...graph.valueInfo, ...graph.outputs]) if (!valueInfo.has(v.name)) valueInfo.set(v.name, v);
  const fromValueInfo = (name: string): boolean => {
    const v = valueInfo.get(name);
    if (!v?.dims || v.kind !== 'tensor') return false;
    const dims: number[] = [];
    for (const d of v.dims) {
      if (typeof d === 'number' && d >= 0) dims.push(d);
      else if (typeof d === 'string' && d !== '') dims.push(resolver.resolveName(d));
      else return false;
    }
    return set(name, { ...(v.dtype ? { dtype: v.dtype } : {}), dims }, 'value_info');
  };

  const dataflow = options.dataflow ?? dataflowOf(graph);
  const { order, cyclic } = dataflow;
  const lookups = new ShapeLookups(graph, dataflow, shapes);
  const context = new NodeContext(graph, lookups, constants);
  for (const index of order) {
    const node = graph.nodes[index]!;
    const rule = shapeRuleFor(node);
    let result: InferredValue[] | string;
    if (cyclic.has(index)) result = 'the node is on a cycle of the graph (the graph is not a DAG)';
    else if (!rule) result = noRuleReason(node, model);
    else {
      try {
        result = rule(context.at(node));
      } catch {
        // A rule must not take the report down on a malformed node: its outputs are just unknown.
        result = 'the node is malformed';
      }
    }
    let missing = false;
    const outputs = node.outputs;
    lastStored = undefined;
    for (let i = 0; i < outputs.length; i++) {
      const name = outputs[i]!;
      if (name === '' || setObserved(name)) continue;
      const inferred = typeof result === 'string' ? undefined : result[i];
      if (inferred && set(name, inferred, 'inferred')) continue;
      if (fromValueInfo(name)) continue;
      missing = true;
    }
    lookups.processed(index, lastStored);
    if (missing) {
      const reason = typeof result === 'string' ? result : 'the inferred output shape is invalid';
      unknown.set(index, reason);
      const unknownInput = node.inputs.find((i) => i !== '' && !shapes.has(i));
      const cause = (reason === UNKNOWN_INPUT && unknownInput !== undefined ? causes.get(unknownInput) : undefined) ??
        `${labelOf(node)}: ${reason}`;
      for (const o of node.outputs) if (o !== '' && !shapes.has(o)) causes.set(o, cause);
    }
  }

  return {
    graph, order, dataflow, shapes, outputShape: lookups.output, inputShape: lookups.input, sources: sourcesOf(shapes), unknown, causes, initializers,
    dimNotes: resolver.notes, batch: resolver.batch, seqLen: resolver.seqLen,
  };
}

/** A node's name, or "#index OpType" when it has none. */
export function labelOf(node: NodeIR): string {
  return node.name !== '' ? node.name : `#${node.index} ${node.opType}`;
}

function noRuleReason(node: NodeIR, model: ModelIR): string {
  if (model.functions.some((f) => f.domain === node.domain && f.name === node.opType)) {
    return `a call to the model-local function ${node.domain}::${node.opType}, whose body is not costed`;
  }
  if (node.opType === 'If' || node.opType === 'Loop' || node.opType === 'Scan') {
    return `control flow (${node.opType}): its subgraphs are not costed`;
  }
  return `no shape rule for ${node.domain}::${node.opType}`;
}

/**
 * The shapes of node inputs and outputs, by node index and slot. A million-node graph would
 * otherwise look each value up by name in a million-entry map once per stage that reads it (shape
 * inference, costs, liveness), a cache miss each: where no value is output twice (as ONNX
 * requires), the shape of a single-output node's output is kept in an array by node index, and an
 * input is found through the node producing it. Anything else goes by name.
 */
class ShapeLookups {
  private readonly byNode: (InferredValue | undefined)[];
  private readonly done: Uint8Array;
  private readonly tabled: boolean;

  constructor(
    private readonly graph: GraphIR,
    private readonly flow: Dataflow,
    private readonly shapes: Map<string, InferredValue>,
  ) {
    this.tabled = flow.singleAssignment;
    this.byNode = this.tabled ? new Array<InferredValue | undefined>(graph.nodes.length).fill(undefined) : [];
    this.done = new Uint8Array(this.tabled ? graph.nodes.length : 0);
  }

  /**
   * Node `index` has been inferred; `stored` is what it stored for its outputs. Nothing stored
   * leaves what was there (a graph input or initializer by the same name: a duplicate, reported
   * by graph-integrity), so that is looked up.
   */
  processed(index: number, stored: InferredValue | undefined): void {
    if (!this.tabled) return;
    const outputs = this.graph.nodes[index]!.outputs;
    if (outputs.length !== 1) return;
    this.byNode[index] = stored ?? (outputs[0] !== '' ? this.shapes.get(outputs[0]!) : undefined);
    this.done[index] = 1;
  }

  readonly output = (index: number, slot: number): InferredValue | undefined => {
    if (this.done[index] === 1 && slot === 0) return this.byNode[index];
    const name = this.graph.nodes[index]!.outputs[slot];
    return name ? this.shapes.get(name) : undefined;
  };

  readonly input = (index: number, slot: number): InferredValue | undefined => {
    const inputs = this.graph.nodes[index]!.inputs;
    if (slot >= inputs.length) return undefined;
    const p = this.tabled ? this.flow.inputProducer[this.flow.inputStart[index]! + slot]! : -1;
    if (p >= 0 && this.done[p] === 1) return this.byNode[p];
    const name = inputs[slot];
    return name ? this.shapes.get(name) : undefined;
  };
}

/**
 * One context reused for every node (a node at a time), so no closures are allocated per node.
 * Its methods are bound (arrow properties), so a rule may pass them around.
 */
class NodeContext implements RuleContext {
  node!: NodeIR;
  opset = 0;

  constructor(
    private readonly graph: GraphIR,
    private readonly lookups: ShapeLookups,
    private readonly constants: ConstantValues,
  ) {}

  at(node: NodeIR): this {
    this.node = node;
    this.opset = this.graph.opsetImports[node.domain] ?? 0;
    return this;
  }

  readonly has = (i: number): boolean => (this.node.inputs[i] ?? '') !== '';

  readonly input = (i: number): InferredValue | undefined => this.lookups.input(this.node.index, i);

  readonly dims = (i: number): number[] | undefined => this.input(i)?.dims;

  readonly values = (i: number): number[] | undefined => this.input(i)?.values;

  readonly constant = (name: string): number[] | undefined => this.constants.get(name);
}
