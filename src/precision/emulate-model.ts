import { familyOf, type DataTypeName } from '../onnx/data-types.js';
import type { ModelIR, NodeIR } from '../onnx/ir.js';
import { renameInitializers, rewriteModel } from '../onnx/rewrite.js';
import { isKept, roundingSteps, type RoundingType, type TargetPrecision } from '../profiles/precision-policy.js';
import { listNames, plural } from '../findings/format-values.js';
import { BF16_CAST_OPSET, canRound, RoundingWriter } from './rounding-writer.js';
import { TYPE_LABEL } from './type-labels.js';
import type { EmulatedPolicy } from './types.js';
import { isFloatType } from './value-types.js';
import { append } from '../arrays.js';
import { nameRecord } from '../own-keys.js';
import { TensorDtypes } from '../inspect/tensor-dtypes.js';

/** What a precision policy rounds in a model, and how that is said; written out by buildEmulatedModel or the side-by-side pass. */
export interface RoundingPlan {
  emulated: string[];
  notEmulated: string[];
  /** Main-graph node outputs whose value the emulated copy rounds, with the types it rounds through. */
  rounded: Map<string, RoundingType[]>;
  /** Main-graph initializers the emulated copy rounds, likewise. */
  roundedWeights: Map<string, RoundingType[]>;
  /** Graph inputs (not initializers) to round before they are fed to the emulated copy. */
  inputRounding: Map<string, RoundingType[]>;
  /**
   * Per subgraph (If/Loop/Scan body, by graph id): the node outputs and the initializers its
   * emulated copy rounds. Only the side-by-side pass writes them; absent when not planned.
   */
  bodyRounding?: Map<number, BodyRounding>;
}

export interface BodyRounding {
  outputs: Map<string, { dtype: DataTypeName; steps: RoundingType[] }>;
  weights: Map<string, { dtype: DataTypeName; steps: RoundingType[] }>;
}

export interface EmulatedModel extends RoundingPlan {
  bytes: Uint8Array;
}

/** The emulated copy written in place: rounded weights and node outputs keep their names, so the copy has the model's interface. */
export function buildEmulatedModel(
  bytes: Uint8Array, model: ModelIR, types: ReadonlyMap<string, DataTypeName>, policy: TargetPrecision,
): EmulatedModel {
  const plan = planRounding(model, types, policy);
  const writer = new RoundingWriter(model);
  const renames = new Map<string, string>();
  const dtypeOf = new Map(model.graphs[0]!.initializers.map((t) => [t.name, t.dtype]));
  for (const [name, steps] of plan.roundedWeights) {
    const source = writer.unique(`${name}__pc_src`);
    writer.chain(source, name, dtypeOf.get(name)!, steps);
    renames.set(name, source);
  }
  const renameOutputs = nameRecord<string>();
  for (const [name, { dtype, steps }] of plan.roundedTypes) {
    const raw = writer.unique(`${name}__pc_raw`);
    writer.chain(raw, name, dtype, steps);
    renameOutputs[name] = raw;
  }
  let out = renameInitializers(bytes, renames);
  if (writer.nodes.length > 0) {
    out = rewriteModel(out, { renameNodeOutputs: renameOutputs, appendNodes: writer.nodes, appendInitializers: writer.initializers });
  }
  return { ...plan, bytes: out };
}


/**
 * Builds the emulated copy of a model: what the target's precision policy does to it, written as
 * ONNX that ONNX Runtime's CPU provider runs at the model's own types.
 * - A float initializer W the policy converts is renamed W__pc_src, and Cast(to fp16) → Cast(back)
 *   nodes produce W: every consumer, subgraphs included, sees the fp16-rounded weight at fp32 type.
 * - A float output X of a main-graph node is renamed X__pc_raw and rounded back into X the same
 *   way, unless the policy keeps the node's op type (or the node) in its own precision. A weight
 *   read only by kept nodes keeps its precision with them.
 * - fp8 / fp4 weights on a target without such compute: the float values dequantized from them are
 *   rounded to bf16 first (how such weights are stored there), then as any other value.
 * - fp64 values on a target without fp64 are downcast to fp32 (and on to the compute type).
 * Appended nodes go at the end of the graph: ONNX Runtime sorts the graph when it loads it.
 * Only the main graph is rewritten; what stays as it was is listed in `notEmulated`.
 */
export function planRounding(
  model: ModelIR, types: ReadonlyMap<string, DataTypeName>, policy: TargetPrecision, options: { bodies?: boolean } = {},
): RoundingPlan & { roundedTypes: Map<string, { dtype: DataTypeName; steps: RoundingType[] }> } {
  const main = model.graphs[0]!;
  const opset = model.opsetImports['ai.onnx'] ?? 1;
  const roundedTypes = new Map<string, { dtype: DataTypeName; steps: RoundingType[] }>();
  const rounded = new Map<string, RoundingType[]>();
  const counts = new Counts();
  const notEmulated: string[] = [];
  const initializerDtype = new Map(main.initializers.map((t) => [t.name, t.dtype]));

  // A weight read only by kept nodes keeps its precision with them.
  const readers = new Map<string, NodeIR[]>();
  for (const n of main.nodes) {
    for (const i of n.inputs) {
      if (!i) continue;
      const list = readers.get(i);
      if (list) list.push(n);
      else readers.set(i, [n]);
    }
  }
  const keptWeight = (name: string): boolean => {
    const r = readers.get(name);
    return r !== undefined && r.every((n) => isKept(policy, n.opType, n.name));
  };
  let keptWeights = 0;

  // Weights held as initializers.
  const roundedWeights = new Map<string, RoundingType[]>();
  for (const t of main.initializers) {
    const steps = roundingSteps(policy, t.dtype);
    if (steps.length === 0) continue;
    if (keptWeight(t.name)) {
      keptWeights++;
      continue;
    }
    if (!canRound(opset, t.dtype, steps)) {
      counts.add('unroundable', t.dtype, steps);
      continue;
    }
    roundedWeights.set(t.name, steps);
    counts.add('initializer', t.dtype, steps);
  }

  // Node outputs: activations, and weights held by Constant nodes.
  const kept = new Map<string, number>();
  const inputDtype = new Map(main.inputs.map((i) => [i.name, i.dtype]));
  let unknown = 0;
  let fromIntegers = 0;
  for (const node of main.nodes) {
    const lowBit = lowBitStep(node, initializerDtype, types, policy);
    if (node.opType === 'Cast' && castsFromInteger(node, types, initializerDtype, inputDtype)) {
      fromIntegers++;
      continue;
    }
    for (const out of node.outputs) {
      if (!out) continue;
      const dtype = types.get(out);
      if (dtype === undefined || dtype === 'UNDEFINED') {
        unknown++;
        continue;
      }
      if (!isFloatType(dtype)) continue;
      const steps = [...(lowBit ? [lowBit.step] : []), ...roundingSteps(policy, dtype)].filter(
        (s, i, all) => s !== dtype && s !== all[i - 1],
      );
      if (steps.length === 0) continue;
      if (isKept(policy, node.opType, node.name)) {
        kept.set(node.opType, (kept.get(node.opType) ?? 0) + 1);
        continue;
      }
      if (node.opType === 'Constant' && keptWeight(out)) {
        keptWeights++;
        continue;
      }
      if (!canRound(opset, dtype, steps)) {
        counts.add('unroundable', dtype, steps);
        continue;
      }
      rounded.set(out, steps);
      roundedTypes.set(out, { dtype, steps });
      counts.add(node.opType === 'Constant' ? 'constant' : 'output', dtype, steps);
      if (lowBit) {
        const key = `${lowBit.family}>${lowBit.step}`;
        counts.lowBit.set(key, (counts.lowBit.get(key) ?? 0) + 1);
      }
    }
  }

  // Graph inputs are rounded where they are fed: renaming an input would change the model's interface.
  const inputRounding = new Map<string, RoundingType[]>();
  for (const input of main.inputs) {
    if (initializerDtype.has(input.name) || !input.dtype) continue;
    const steps = roundingSteps(policy, input.dtype);
    if (steps.length > 0) inputRounding.set(input.name, steps);
  }

  if (kept.size > 0) {
    const total = [...kept.values()].reduce((a, b) => a + b, 0);
    notEmulated.push(
      `${plural(total, 'output')} of ops the policy keeps in their own precision (${listNames([...kept].map(([op, n]) => `${op} ×${n}`))}) are not rounded`,
    );
  }
  if (fromIntegers > 0) {
    notEmulated.push(
      `${plural(fromIntegers, 'Cast')} from an integer type to float ${fromIntegers === 1 ? 'is' : 'are'} not rounded: ` +
        'an integer accumulator cast to float is dequantised by the scale that follows, which the target fuses with it (AscendDequant)',
    );
  }
  if (keptWeights > 0) {
    notEmulated.push(`${plural(keptWeights, 'weight')} read only by kept ops ${keptWeights === 1 ? 'keeps its' : 'keep their'} precision`);
  }
  if (unknown > 0) notEmulated.push(`${plural(unknown, 'node output')} of unknown element type left as they are`);
  const bodyRounding = options.bodies ? planBodies(model, types, policy) : undefined;
  append(notEmulated, outsideMainGraph(model, bodyRounding));
  append(notEmulated, integerTensors(model));
  if (rounded.size > 0 || roundedWeights.size > 0) {
    notEmulated.push(
      'rounding inside a node is not emulated: each node computes in fp32 on rounded inputs and its output is rounded, ' +
        'as when fp16 matmuls and convolutions accumulate in fp32',
    );
  }
  if (counts.unroundable.size > 0) {
    notEmulated.push(`${plural(counts.total('unroundable'), 'value')} could not be rounded (bf16 rounding of fp16 values needs opset ${BF16_CAST_OPSET})`);
  }

  const emulated = counts.describe(policy);
  for (const [key, n] of counts.lowBit) {
    const [family, step] = key.split('>');
    const to = TYPE_LABEL[step!] ?? step;
    emulated.push(
      `${plural(n, 'value')} dequantized from ${family} weights rounded to ${to} first: the target has no ${family} compute, so ${family} weights are dequantized to ${to} there`,
    );
  }
  const usedSplit = opset < BF16_CAST_OPSET && [...roundedTypes.values(), ...[...roundedWeights.values()].map((steps) => ({ steps }))].some((r) => r.steps.includes('BFLOAT16'));
  if (usedSplit) {
    emulated.push(`bf16 rounding written as an exact split (Mul, Sub, Sub): Cast to bfloat16 needs opset ${BF16_CAST_OPSET}, the model imports ${opset}`);
  }
  if (bodyRounding && (bodyRounding.outputs > 0 || bodyRounding.weights > 0)) {
    emulated.push(
      `inside If/Loop/Scan bodies: ${[
        ...(bodyRounding.weights > 0 ? [plural(bodyRounding.weights, 'float weight')] : []),
        ...(bodyRounding.outputs > 0 ? [plural(bodyRounding.outputs, 'node output')] : []),
      ].join(' and ')} rounded as in the main graph (${policy.name})`,
    );
  }
  return {
    emulated, notEmulated, rounded, roundedWeights, inputRounding, roundedTypes,
    ...(bodyRounding ? { bodyRounding: bodyRounding.byGraph } : {}),
  };
}

/** Ops whose (first) output has the element type of their first input. */
const SAME_TYPE = new Set([
  'Abs', 'Add', 'AveragePool', 'BatchNormalization', 'Ceil', 'Clip', 'Concat', 'Conv', 'ConvTranspose', 'Cos', 'CumSum', 'Div', 'Einsum',
  'Elu', 'Erf', 'Exp', 'Expand', 'Flatten', 'Floor', 'Gather', 'GatherElements', 'GatherND', 'Gelu', 'Gemm', 'GlobalAveragePool',
  'HardSigmoid', 'HardSwish', 'Identity', 'InstanceNormalization', 'LayerNormalization', 'LeakyRelu', 'Log', 'LogSoftmax', 'MatMul',
  'Max', 'MaxPool', 'Mean', 'Min', 'Mul', 'Neg', 'Pad', 'Pow', 'PRelu', 'Reciprocal', 'ReduceL2', 'ReduceMax', 'ReduceMean', 'ReduceMin',
  'ReduceProd', 'ReduceSum', 'ReduceSumSquare', 'Relu', 'Reshape', 'Resize', 'Round', 'Selu', 'Sigmoid', 'Sign', 'Sin', 'Slice',
  'Softmax', 'Softplus', 'Sqrt', 'Squeeze', 'Sub', 'Sum', 'Tanh', 'Tile', 'Transpose', 'Unsqueeze',
]);

const BOOLEAN = new Set(['And', 'Equal', 'Greater', 'GreaterOrEqual', 'IsInf', 'IsNaN', 'Less', 'LessOrEqual', 'Not', 'Or', 'Xor']);
/** Ops all of whose outputs have the element type of their first input. */
const ALL_SAME_TYPE = new Set(['GRU', 'LSTM', 'RNN', 'Split']);

/** A body node's k-th output type, when the op says it without shape inference. */
function inferredType(model: ModelIR, node: NodeIR, k: number, typeOf: (name: string) => DataTypeName | undefined): DataTypeName | undefined {
  if (BOOLEAN.has(node.opType)) return k === 0 ? 'BOOL' : undefined;
  if (ALL_SAME_TYPE.has(node.opType) || (k === 0 && SAME_TYPE.has(node.opType))) return typeOf(node.inputs[0] ?? '');
  // A control-flow node's outputs are its body's (a Loop's body first outputs its condition).
  const body = (attribute: string): number | undefined => node.attributes.find((a) => a.name === attribute)?.graphIds?.[0];
  const stated = (graphId: number | undefined, at: number): DataTypeName | undefined => {
    const t = graphId === undefined ? undefined : model.graphs[graphId]?.outputs[at]?.dtype;
    return t === 'UNDEFINED' ? undefined : t;
  };
  if (node.opType === 'If') return stated(body('then_branch'), k) ?? stated(body('else_branch'), k);
  if (node.opType === 'Loop') return stated(body('body'), k + 1);
  if (node.opType === 'Scan') return stated(body('body'), k);
  return undefined;
}

/**
 * What the emulated copy rounds inside subgraph bodies, as the main graph's values: each body
 * value whose element type is known (from the file: value_info, body I/O, initializers, Constant
 * and Cast; or an op whose output has its first input's type) and that the policy converts. The
 * bodies of a kept control-flow node, and kept body nodes, stay as they are.
 */
function planBodies(
  model: ModelIR, mainTypes: ReadonlyMap<string, DataTypeName>, policy: TargetPrecision,
): { byGraph: Map<number, BodyRounding>; outputs: number; weights: number; unknown: number } {
  const stated = new TensorDtypes(model);
  const opset = model.opsetImports['ai.onnx'] ?? 1;
  const inferred = new Map<number, Map<string, DataTypeName>>();
  const byGraph = new Map<number, BodyRounding>();
  let outputs = 0;
  let weights = 0;
  let unknown = 0;
  const typeOf = (graphId: number, name: string): DataTypeName | undefined => {
    if (name === '') return undefined;
    const found = stated.lookup(graphId, name);
    if (found) return found;
    // Bounded by the number of graphs, so a parent chain that loops cannot hang us.
    let g = model.graphs[graphId];
    for (let hops = 0; g && hops <= model.graphs.length; hops++) {
      const t = g.id === 0 ? mainTypes.get(name) : inferred.get(g.id)?.get(name);
      if (t !== undefined && t !== 'UNDEFINED') return t;
      g = g.parent ? model.graphs[g.parent.graphId] : undefined;
    }
    return undefined;
  };
  const keptHolder = (graphId: number): boolean => {
    let g = model.graphs[graphId];
    for (let hops = 0; g?.parent && hops <= model.graphs.length; hops++) {
      const holder = model.graphs[g.parent.graphId]?.nodes[g.parent.nodeIndex];
      if (holder && isKept(policy, holder.opType, holder.name)) return true;
      g = model.graphs[g.parent.graphId];
    }
    return false;
  };
  // Graphs are numbered parents first, so an outer body's types are known when its inner bodies are planned.
  for (const g of model.graphs) {
    if (g.kind !== 'subgraph') continue;
    const local = new Map<string, DataTypeName>();
    inferred.set(g.id, local);
    for (const n of g.nodes) {
      if (n.domain !== 'ai.onnx') continue;
      for (let k = 0; k < n.outputs.length; k++) {
        const out = n.outputs[k]!;
        if (!out || stated.lookup(g.id, out) !== undefined) continue;
        const t = inferredType(model, n, k, (name) => typeOf(g.id, name));
        if (t) local.set(out, t);
      }
    }
    if (keptHolder(g.id)) continue;
    const plan: BodyRounding = { outputs: new Map(), weights: new Map() };
    const stepsFor = (dtype: DataTypeName): RoundingType[] | undefined => {
      const steps = roundingSteps(policy, dtype);
      return steps.length > 0 && canRound(opset, dtype, steps) ? steps : undefined;
    };
    for (const t of g.initializers) {
      const steps = isFloatType(t.dtype) ? stepsFor(t.dtype) : undefined;
      if (steps) plan.weights.set(t.name, { dtype: t.dtype, steps });
    }
    for (const n of g.nodes) {
      if (n.opType === 'Cast' && INTEGER_FAMILIES.has(familyOf(typeOf(g.id, n.inputs[0] ?? '') ?? 'UNDEFINED'))) continue;
      for (const out of n.outputs) {
        if (!out) continue;
        const dtype = typeOf(g.id, out);
        if (dtype === undefined) {
          unknown++;
          continue;
        }
        const steps = isFloatType(dtype) && !isKept(policy, n.opType, n.name) ? stepsFor(dtype) : undefined;
        if (steps) plan.outputs.set(out, { dtype, steps });
      }
    }
    if (plan.outputs.size > 0 || plan.weights.size > 0) byGraph.set(g.id, plan);
    outputs += plan.outputs.size;
    weights += plan.weights.size;
  }
  return { byGraph, outputs, weights, unknown };
}

type CountKind = 'initializer' | 'constant' | 'output' | 'unroundable';

/** How many values of each kind were rounded from which type through which steps. */
class Counts {
  private readonly byKind = new Map<CountKind, Map<string, number>>();
  readonly lowBit = new Map<string, number>();

  get unroundable(): Map<string, number> {
    return this.byKind.get('unroundable') ?? new Map();
  }

  add(kind: CountKind, dtype: DataTypeName, steps: RoundingType[]): void {
    let m = this.byKind.get(kind);
    if (!m) this.byKind.set(kind, (m = new Map()));
    const key = [dtype, ...steps].join('>');
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  total(kind: CountKind): number {
    return [...(this.byKind.get(kind)?.values() ?? [])].reduce((a, b) => a + b, 0);
  }

  describe(policy: EmulatedPolicy): string[] {
    const out: string[] = [];
    const what: Record<Exclude<CountKind, 'unroundable'>, [one: string, many: string, verb: string]> = {
      initializer: ['weight (initializer)', 'weights (initializers)', 'converted to'],
      constant: ['weight held by a Constant node', 'weights held by Constant nodes', 'converted to'],
      output: ['node output', 'node outputs', 'rounded at the node boundary to'],
    };
    for (const kind of ['initializer', 'constant', 'output'] as const) {
      for (const [key, n] of this.byKind.get(kind) ?? []) {
        const [from, ...steps] = key.split('>');
        const fromLabel = TYPE_LABEL[from!] ?? from!;
        const path = steps.map((s) => TYPE_LABEL[s] ?? s).join(' then ');
        const [one, many, verb] = what[kind];
        out.push(`${n} ${fromLabel} ${n === 1 ? one : many} ${verb} ${path} and back to ${fromLabel} (${policy.name})`);
      }
    }
    return out;
  }
}

/** An fp8/fp4 tensor among a node's inputs, on a target that cannot compute it: the step it takes. */
function lowBitStep(
  node: NodeIR, initializers: ReadonlyMap<string, DataTypeName>, types: ReadonlyMap<string, DataTypeName>, policy: TargetPrecision,
): { family: 'fp8' | 'fp4'; step: RoundingType } | undefined {
  for (const input of node.inputs) {
    const dtype = initializers.get(input) ?? types.get(input);
    if (!dtype) continue;
    const family = familyOf(dtype);
    if (family !== 'fp8' && family !== 'fp4') continue;
    const step = policy.lowBitFallback[family];
    return step ? { family, step } : undefined;
  }
  return undefined;
}

function castsFromInteger(
  node: NodeIR, types: ReadonlyMap<string, DataTypeName>, initializers: ReadonlyMap<string, DataTypeName>,
  inputs: ReadonlyMap<string, DataTypeName | undefined>,
): boolean {
  const source = node.inputs[0];
  if (!source) return false;
  const dtype = types.get(source) ?? initializers.get(source) ?? inputs.get(source);
  return dtype !== undefined && INTEGER_FAMILIES.has(familyOf(dtype));
}

const INTEGER_FAMILIES = new Set(['int64', 'int32', 'int16', 'int8', 'int4', 'int2']);

/** What lies outside the main graph's own values, which the emulation cannot reach. */
function outsideMainGraph(model: ModelIR, planned?: { unknown: number }): string[] {
  const out: string[] = [];
  const main = model.graphs[0]!;
  const holders = main.nodes.filter((n) => n.attributes.some((a) => a.graphIds && a.graphIds.length > 0));
  const bodies = model.graphs.filter((g) => g.kind === 'subgraph');
  if (bodies.length > 0 && planned) {
    out.push(
      `values computed inside ${bodies.length === 1 ? '1 subgraph body' : `${bodies.length} subgraph bodies`} (of ${listNames(holders.map(describeNode))}) ` +
        'are rounded as main-graph values are' +
        (planned.unknown > 0 ? `, except ${plural(planned.unknown, 'body value')} of unknown element type, left as they are` : '') +
        '; only main-graph values are exposed and compared node by node',
    );
  } else if (bodies.length > 0) {
    const weights = bodies.reduce((s, g) => s + g.initializers.filter((t) => isFloatType(t.dtype)).length, 0);
    out.push(
      `values computed inside ${bodies.length === 1 ? '1 subgraph body' : `${bodies.length} subgraph bodies`} (of ${listNames(holders.map(describeNode))}) ` +
        'keep their precision: only the outputs of the control-flow nodes are rounded, and only main-graph values ' +
        `can be exposed and compared${weights > 0 ? `; ${plural(weights, 'float weight')} inside those bodies are not converted` : ''}`,
    );
  }
  if (model.functions.length > 0) {
    out.push(`the bodies of ${plural(model.functions.length, 'model-local function')} keep their precision: only the outputs of the nodes calling them are rounded`);
  }
  const sparse = main.sparseInitializers.filter((t) => isFloatType(t.dtype)).length;
  if (sparse > 0) out.push(`${plural(sparse, 'sparse float initializer')} not converted`);
  return out;
}

function integerTensors(model: ModelIR): string[] {
  const families = new Set<string>();
  for (const g of model.graphs) for (const t of g.initializers) families.add(familyOf(t.dtype));
  const quantized = ['int8', 'int4', 'int2'].filter((f) => families.has(f));
  if (quantized.length === 0) return [];
  return [
    `${quantized.join(' and ')} weights are integers and stay exact; the float values dequantized from them are rounded like any other node output`,
  ];
}

function describeNode(node: NodeIR): string {
  return node.name ? `${node.opType} '${node.name}'` : `${node.opType} #${node.index}`;
}

