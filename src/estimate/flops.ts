import { familyOf, type DataTypeName, type PrecisionFamily } from '../onnx/data-types.js';
import type { ModelIR, NodeIR } from '../onnx/ir.js';
import { VIEW_OPS, flopRuleFor, type FlopContext } from './flop-rules.js';
import { elementCount } from './shape-math.js';
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
  const { graph, shapes } = inference;
  const consumed = new Set<string>();
  for (const node of graph.nodes) for (const input of node.inputs) if (input !== '') consumed.add(input);
  for (const o of graph.outputs) consumed.add(o.name);

  const context = new FlopNodeContext(shapes);
  const out: NodeCost[] = [];
  for (const index of inference.order) {
    const node = graph.nodes[index]!;
    const cost: NodeCost = {
      index,
      name: labelOf(node),
      opType: node.opType,
      domain: node.domain,
      costed: false,
      flops: 0,
      family: familyOfNode(node, inference),
      traffic: [],
    };
    out.push(cost);
    const result = costOf(node, context, inference, consumed, model);
    if (typeof result === 'string') cost.reason = result;
    else {
      cost.costed = true;
      cost.flops = result;
      cost.traffic = trafficOf(node, inference, consumed);
    }
  }
  return out;
}

/** A node's FLOPs, or why it cannot be costed. */
function costOf(
  node: NodeIR, context: FlopNodeContext, inference: ShapeInference, consumed: Set<string>, model: ModelIR,
): number | string {
  const { shapes } = inference;
  const rule = flopRuleFor(node);
  if (!rule) return inference.unknown.get(node.index) ?? noRuleReason(node, model);
  const own = inference.unknown.get(node.index);
  if (own !== undefined && own !== UNKNOWN_INPUT) return own;
  for (const name of node.inputs) {
    if (name !== '' && !shapes.get(name)?.dims) return unknownInputReason(name, node, inference);
  }
  for (const name of node.outputs) {
    if (name !== '' && consumed.has(name) && !shapes.get(name)?.dims) {
      return own ?? `the shape of output '${name}' is unknown`;
    }
  }
  let flops: number | string;
  try {
    flops = rule(context.at(node));
  } catch {
    // A malformed node (attributes of the wrong length...) must not take the report down.
    flops = 'the node is malformed';
  }
  if (typeof flops === 'string') return flops;
  return Number.isFinite(flops) && flops >= 0 ? flops : 'the shapes give no finite FLOP count';
}

/**
 * One context reused for every node, so no closures are allocated per node. Its methods are
 * bound (arrow properties) because the rules destructure them.
 */
class FlopNodeContext implements FlopContext {
  node!: NodeIR;

  constructor(private readonly shapes: ShapeInference['shapes']) {}

  at(node: NodeIR): this {
    this.node = node;
    return this;
  }

  readonly inDims = (i: number): number[] | undefined => {
    const name = this.node.inputs[i];
    return name ? this.shapes.get(name)?.dims : undefined;
  };

  readonly outDims = (i: number): number[] | undefined => {
    const name = this.node.outputs[i];
    return name ? this.shapes.get(name)?.dims : undefined;
  };

  readonly inValue = (i: number): number | undefined => {
    const name = this.node.inputs[i];
    return name ? this.shapes.get(name)?.values?.[0] : undefined;
  };
}

function trafficOf(node: NodeIR, inference: ShapeInference, consumed: Set<string>): Traffic[] {
  if (views.has(node.opType)) return [];
  const { shapes, initializers } = inference;
  const out: Traffic[] = [];
  const add = (name: string, scale = 1) => {
    const s = shapes.get(name);
    if (!s?.dims || !s.dtype) return;
    out.push({ dtype: s.dtype, elements: elementCount(s.dims) * scale, weight: initializers.has(name) });
  };
  // Optional outputs nobody reads (LayerNormalization's mean, MaxPool's indices) are not written
  // by the kernels that matter for a deployment.
  const written = node.outputs.filter((o, i) => o !== '' && (i === 0 || consumed.has(o)));
  if (partialReads.has(node.opType)) {
    // The data read is what is written (a gathered row, a slice), not the whole of input 0.
    node.inputs.slice(1).forEach((i) => i !== '' && add(i));
    for (const o of written) add(o, 2);
    return out;
  }
  for (const i of node.inputs) if (i !== '') add(i);
  for (const o of written) if (shapes.has(o)) add(o);
  return out;
}

/** The family of the first float input (the data), else of the first input, else of the output. */
function familyOfNode(node: NodeIR, inference: ShapeInference): PrecisionFamily {
  if (integerOps.has(node.opType)) return 'int8';
  let first: PrecisionFamily | undefined;
  for (const name of [...node.inputs, ...node.outputs]) {
    const dtype = name ? inference.shapes.get(name)?.dtype : undefined;
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
