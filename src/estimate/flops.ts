import { familyOf, type DataTypeName, type PrecisionFamily } from '../onnx/data-types.js';
import type { ModelIR, NodeIR } from '../onnx/ir.js';
import { VIEW_OPS, flopRuleFor, type FlopContext } from './flop-rules.js';
import { elementCount, type InferredValue } from './shape-math.js';
import { UNKNOWN_INPUT } from './shape-rule.js';
import { labelOf, type ShapeInference } from './shape-inference.js';

/**
 * Per-node cost, independent of any target: FLOPs, the tensors a node reads and writes (by
 * dtype, so that each target can size them in the precision it computes in), and the precision
 * family of its math. A node whose shapes are unknown, or whose op has no cost rule, is not costed
 * and says why.
 */
export interface NodeCost {
  index: number;
  /** The node's name, or "#index OpType" when it has none. */
  name: string;
  opType: string;
  domain: string;
  costed: boolean;
  reason?: string;
  flops: number;
  /** The precision family of the node's math as the model states it (before any target policy). */
  family: PrecisionFamily;
  /** Tensors read and written: element counts by dtype; `weight` marks initializers. */
  traffic: Traffic[];
}

export interface Traffic {
  dtype: DataTypeName;
  elements: number;
  weight: boolean;
}

const views = new Set<string>(VIEW_OPS);
/** Ops that read only the part of input 0 they output (a gathered row, a slice). */
const partialReads = new Set(['Gather', 'GatherElements', 'GatherND', 'Slice']);
/** Integer-math ops: their family is int8 whatever the dtype of their float outputs. */
const integerOps = new Set([
  'ConvInteger', 'MatMulInteger', 'QLinearConv', 'QLinearMatMul', 'MatMulIntegerToFloat', 'DynamicQuantizeMatMul',
  'QLinearAdd', 'QLinearMul', 'QLinearSigmoid', 'QLinearGlobalAveragePool', 'QLinearConcat',
]);

export function costNodes(model: ModelIR, inference: ShapeInference): NodeCost[] {
  const { graph } = inference;
  const consumed = readValues(inference);

  const context = new FlopNodeContext(inference);
  const traffics = new TrafficPool();
  const out: NodeCost[] = [];
  for (const index of inference.order) {
    const node = graph.nodes[index]!;
    context.at(node);
    const cost = new Cost(node, familyOfNode(node, context));
    out.push(cost);
    const result = costOf(node, context, inference, consumed, model);
    if (typeof result === 'string') cost.reason = result;
    else {
      cost.flops = result;
      cost.traffic = trafficOf(node, context, inference, consumed, traffics);
    }
  }
  return out;
}

/** Whether a value is read: by a node of the main graph or as a graph output. */
interface ReadValues {
  has(name: string): boolean;
  /** has() for an output of node `index`. */
  hasOutput(name: string, index: number): boolean;
}

/**
 * The values something reads. A value that is its producer's one output is looked up by that
 * node's index in the data flow (who produces each input is known there already), so a
 * million-node chain builds no set of a million names; other values go by name.
 */
function readValues(inference: ShapeInference): ReadValues {
  const { graph, dataflow } = inference;
  const nodes = graph.nodes;
  const { inputStart, inputProducer, producer } = dataflow;
  const readFrom = new Uint8Array(nodes.length);
  const names = new Set<string>();
  for (let c = 0; c < nodes.length; c++) {
    const inputs = nodes[c]!.inputs;
    for (let k = inputStart[c]!; k < inputStart[c + 1]!; k++) {
      const p = inputProducer[k]!;
      if (p >= 0 && nodes[p]!.outputs.length === 1) readFrom[p] = 1;
      else if (inputs[k - inputStart[c]!] !== '') names.add(inputs[k - inputStart[c]!]!);
    }
  }
  for (const o of graph.outputs) names.add(o.name);
  const byProducer = (name: string, p: number | undefined): boolean =>
    names.has(name) || (p !== undefined && nodes[p]!.outputs.length === 1 && readFrom[p] === 1);
  return {
    has: (name) => byProducer(name, producer.get(name)),
    // Single assignment (the common case): an output's first producer is its node, no lookup.
    hasOutput: dataflow.singleAssignment ? byProducer : (name) => byProducer(name, producer.get(name)),
  };
}

/**
 * A NodeCost as costNodes makes it: a million-node graph has a million of these, so what the node
 * already holds (index, op type, domain, label) is read from it when asked for, a node is costed
 * when it has no reason not to be, and the traffic entries are shared (see TrafficPool).
 */
class Cost implements NodeCost {
  reason?: string;
  flops = 0;
  traffic: Traffic[] = NO_TRAFFIC;

  constructor(private readonly node: NodeIR, readonly family: PrecisionFamily) {}

  get index(): number {
    return this.node.index;
  }

  get opType(): string {
    return this.node.opType;
  }

  get domain(): string {
    return this.node.domain;
  }

  get costed(): boolean {
    return this.reason === undefined;
  }

  get name(): string {
    return labelOf(this.node);
  }
}

const NO_TRAFFIC: Traffic[] = Object.freeze([]) as unknown as Traffic[];
const LIST = Symbol('list');
const MAX_POOLED_LIST = 16;

/**
 * One Traffic object per distinct (dtype, elements, weight), and one traffic list per distinct
 * sequence of them: nodes of one layer move tensors of the same few shapes, and the roofline only
 * reads them (a list per node would be a million arrays on a million-node graph).
 */
class TrafficPool {
  private readonly byDtype = new Map<DataTypeName, Map<number, [Traffic?, Traffic?]>>();
  /** Lists by their entries, one level per entry; a list is kept under the LIST key of its last level. */
  private readonly lists = new Map<Traffic | typeof LIST, unknown>();

  list(entries: readonly Traffic[]): Traffic[] {
    // A node with very many inputs (a Sum of a million) would make a level per entry: its own list.
    if (entries.length > MAX_POOLED_LIST) return entries.slice();
    let level = this.lists;
    for (const t of entries) {
      let next = level.get(t) as typeof level | undefined;
      if (!next) level.set(t, (next = new Map()));
      level = next;
    }
    let list = level.get(LIST) as Traffic[] | undefined;
    if (!list) level.set(LIST, (list = Object.freeze(entries.slice()) as Traffic[]));
    return list;
  }

  get(dtype: DataTypeName, elements: number, weight: boolean): Traffic {
    let bySize = this.byDtype.get(dtype);
    if (!bySize) this.byDtype.set(dtype, (bySize = new Map()));
    let pair = bySize.get(elements);
    if (!pair) bySize.set(elements, (pair = [undefined, undefined]));
    const k = weight ? 1 : 0;
    return (pair[k] ??= Object.freeze({ dtype, elements, weight }));
  }
}

/** A node's FLOPs, or why it cannot be costed. */
function costOf(
  node: NodeIR, context: FlopNodeContext, inference: ShapeInference, consumed: ReadValues, model: ModelIR,
): number | string {
  const rule = flopRuleFor(node);
  if (!rule) return inference.unknown.get(node.index) ?? noRuleReason(node, model);
  const own = inference.unknown.get(node.index);
  if (own !== undefined && own !== UNKNOWN_INPUT) return own;
  const { inputs, outputs } = node;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i] !== '' && !context.input(i)?.dims) return unknownInputReason(inputs[i]!, node, inference);
  }
  for (let i = 0; i < outputs.length; i++) {
    const name = outputs[i]!;
    if (name !== '' && consumed.hasOutput(name, node.index) && !context.output(i)?.dims) {
      return own ?? `the shape of output '${name}' is unknown`;
    }
  }
  let flops: number | string;
  try {
    flops = rule(context);
  } catch {
    // A malformed node (attributes of the wrong length...) must not take the report down.
    flops = 'the node is malformed';
  }
  if (typeof flops === 'string') return flops;
  return Number.isFinite(flops) && flops >= 0 ? flops : 'the shapes give no finite FLOP count';
}

/**
 * One context reused for every node, so no closures are allocated per node. Its methods are
 * bound (arrow properties) because the rules destructure them. The shapes of a node's inputs and
 * outputs are looked up by name once, when it moves to the node: the cost, its traffic and its
 * family all read them (on a million-node graph, each lookup more is a million).
 */
class FlopNodeContext implements FlopContext {
  node!: NodeIR;
  private readonly ins: (InferredValue | undefined)[] = [];
  private readonly outs: (InferredValue | undefined)[] = [];
  /** Scratch for the traffic of the node (pooled into a list of its own by TrafficPool). */
  readonly traffic: Traffic[] = [];

  constructor(private readonly inference: ShapeInference) {}

  at(node: NodeIR): this {
    this.node = node;
    const { inputShape, outputShape } = this.inference;
    for (let i = 0; i < node.inputs.length; i++) this.ins[i] = inputShape(node.index, i);
    for (let i = 0; i < node.outputs.length; i++) this.outs[i] = outputShape(node.index, i);
    return this;
  }

  /** The shape of input i (undefined: none known, an empty name, or no such input). */
  input(i: number): InferredValue | undefined {
    return i < this.node.inputs.length ? this.ins[i] : undefined;
  }

  output(i: number): InferredValue | undefined {
    return i < this.node.outputs.length ? this.outs[i] : undefined;
  }

  readonly inDims = (i: number): number[] | undefined => this.input(i)?.dims;

  readonly outDims = (i: number): number[] | undefined => this.output(i)?.dims;

  readonly inValue = (i: number): number | undefined => this.input(i)?.values?.[0];
}

function trafficOf(
  node: NodeIR, context: FlopNodeContext, inference: ShapeInference, consumed: ReadValues, pool: TrafficPool,
): Traffic[] {
  if (views.has(node.opType)) return NO_TRAFFIC;
  const { initializers } = inference;
  const out = context.traffic;
  out.length = 0;
  const noInitializers = initializers.size === 0;
  const add = (name: string, s: InferredValue | undefined, scale: number) => {
    if (!s?.dims || !s.dtype) return;
    out.push(pool.get(s.dtype, elementCount(s.dims) * scale, !noInitializers && initializers.has(name)));
  };
  const { inputs, outputs } = node;
  // The data read is what is written by a partial read (a gathered row, a slice), not the whole of input 0.
  const partial = partialReads.has(node.opType);
  for (let i = partial ? 1 : 0; i < inputs.length; i++) if (inputs[i] !== '') add(inputs[i]!, context.input(i), 1);
  for (let i = 0; i < outputs.length; i++) {
    // Optional outputs nobody reads (LayerNormalization's mean, MaxPool's indices) are not written
    // by the kernels that matter for a deployment.
    const o = outputs[i]!;
    if (o !== '' && (i === 0 || consumed.hasOutput(o, node.index))) add(o, context.output(i), partial ? 2 : 1);
  }
  return pool.list(out);
}

/** The family of the first float input (the data), else of the first input, else of the output. */
function familyOfNode(node: NodeIR, context: FlopNodeContext): PrecisionFamily {
  if (integerOps.has(node.opType)) return 'int8';
  let first: PrecisionFamily | undefined;
  const count = node.inputs.length + node.outputs.length;
  for (let k = 0; k < count; k++) {
    const dtype = (k < node.inputs.length ? context.input(k) : context.output(k - node.inputs.length))?.dtype;
    if (!dtype) continue;
    const f = familyOf(dtype);
    if (f === 'fp32' || f === 'fp16' || f === 'bf16' || f === 'fp64' || f === 'fp8' || f === 'fp4') return f;
    first ??= f;
  }
  return first ?? 'undefined';
}

function unknownInputReason(name: string, node: NodeIR, inference: ShapeInference): string {
  const cause = inference.causes.get(name);
  if (cause) return `input '${name}' has no known shape (from ${cause})`;
  return inference.unknown.get(node.index) ?? `input '${name}' has no known shape`;
}

function noRuleReason(node: NodeIR, model: ModelIR): string {
  if (model.functions.some((f) => f.domain === node.domain && f.name === node.opType)) {
    return `a call to the model-local function ${node.domain}::${node.opType}, whose body is not costed`;
  }
  if (node.opType === 'If' || node.opType === 'Loop' || node.opType === 'Scan') {
    return `control flow (${node.opType}): its subgraphs are not costed`;
  }
  return `no cost rule for ${node.domain}::${node.opType}`;
}
