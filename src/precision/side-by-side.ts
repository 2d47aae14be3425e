import { WireType } from '@bufbuild/protobuf/wire';
import { append } from '../arrays.js';
import { dataTypeByName, type DataTypeName } from '../onnx/data-types.js';
import type { ModelIR, NodeIR } from '../onnx/ir.js';
import type { NodeSpec, TensorSpec } from '../onnx/model-spec.js';
import { GRAPH, MODEL, NODE, ATTRIBUTE, TENSOR, VALUE_INFO } from '../onnx/wire-fields.js';
import {
  Parts, RewriteError, findBytesField, lengthDelimited, message, readFields, stringField, utf8, type Field,
} from '../onnx/wire-splice.js';
import { writeNodeSpec, writeTensorSpec, writeValueSpec } from '../onnx/writer.js';
import type { BodyRounding, RoundingPlan } from './emulate-model.js';
import type { RoundingType } from '../profiles/precision-policy.js';
import { RoundingWriter } from './rounding-writer.js';
import { implicitInputs, mainAncestor, topologicalOrder as mainGraphOrder } from './topo-order.js';
import { isFloatType } from './value-types.js';

/** A main-graph float value, or a weight stored in fp16 (its range is checked, in the reference only). */
export interface MetricRow {
  value: string;
  /** The node producing it (for a weight: its first reader). */
  node: NodeIR;
  fp16: boolean;
  weight?: true;
  /**
   * Where its metrics are: the index of the metrics output (`metricsOutputs`), and the offsets in it
   * of its always-computed scalars (ROW or WEIGHT_ROW) and its counts (COUNTS or WEIGHT_COUNTS).
   * Absent when both paths share the value (nothing upstream is rounded).
   */
  row?: { output: number; at: number; countsAt: number };
}

export interface SideBySide {
  bytes: Uint8Array;
  /** Every float value of the main graph, in topological order. */
  values: MetricRow[];
  /** Values compared (rows of metrics). */
  rows: number;
  /** Each graph output's name on the emulated path. */
  emulatedOutputs: Map<string, string>;
  /**
   * Under which name ONNX Runtime returns each graph output, on the reference and on the emulated
   * path: the name itself, or an alias (an Identity) for a name no plain object holds as a key.
   */
  fetched: { reference: Map<string, string>; emulated: Map<string, string> };
  /** What the run asks ONNX Runtime for: every name of `fetched` and the metrics outputs. */
  fetches: string[];
  /** The graph outputs holding the rows' scalars, a group of rows each. */
  metricsOutputs: string[];
}

const MAX_DEPTH = 64;

/**
 * One model holding the reference graph and the emulated graph side by side, with every compared
 * value reduced to a row of scalars inside the graph (ROW, COUNTS), so a single run gives every
 * node's metrics and no intermediate tensor reaches JavaScript; the rows are computed in the data
 * flow's order right behind the values (MetricRows), and ONNX Runtime frees each value after its
 * last reader, as in any run.
 *
 * - The reference path is the model's own nodes, untouched (the original bytes).
 * - The emulated path duplicates a node only when what it reads differs from the reference (a
 *   rounded weight, input or upstream value) or its output is rounded; other nodes (shape
 *   arithmetic, integer paths) are shared. Duplicated node bytes are copied as they are with their
 *   inputs and outputs renamed; a control-flow node's bodies are copied with the outer values they
 *   read renamed, so they compute on the emulated values.
 * - Weights are never copied: both paths read the same initializers, and a rounded weight is a Cast
 *   chain computed when the model runs. Constant nodes are shared likewise.
 */
export function buildSideBySide(
  bytes: Uint8Array, model: ModelIR, types: ReadonlyMap<string, DataTypeName>, plan: RoundingPlan,
  options: { skip?: ReadonlySet<string> } = {},
): SideBySide {
  const main = model.graphs[0]!;
  const opset = model.opsetImports['ai.onnx'] ?? 1;
  if (opset < 9) throw new RewriteError(`the model imports opset ${opset}; the in-graph comparison needs Where (opset 9)`);
  const writer = new RoundingWriter(model);
  const emu = new Map<string, string>();
  const emuName = (v: string): string => emu.get(v) ?? v;
  const constants = metricConstants(writer);
  const rows = new MetricRows(writer, constants);
  const nodesOut: Uint8Array[] = [];
  const values: MetricRow[] = [];
  const flush = (): void => {
    for (const n of writer.nodes.splice(0)) nodesOut.push(message(GRAPH.node, (w) => writeNodeSpec(w, n)));
  };

  const initializerType = new Map(main.initializers.map((t) => [t.name, t.dtype]));
  for (const input of main.inputs) {
    const steps = plan.inputRounding.get(input.name);
    if (!steps || !input.dtype) continue;
    const to = writer.unique(`${input.name}__pc_e`);
    writer.chain(input.name, to, input.dtype, steps);
    emu.set(input.name, to);
  }
  const fp16Weights = new Set<string>();
  for (const [name, steps] of plan.roundedWeights) {
    const to = writer.unique(`${name}__pc_e`);
    writer.chain(name, to, initializerType.get(name)!, steps);
    emu.set(name, to);
    if (steps.includes('FLOAT16')) fp16Weights.add(name);
  }
  flush();

  const nodeBytes = nodeFields(bytes);
  const bodyReads = implicitInputs(model);
  const bodies: BodyContext = { model, plans: plan.bodyRounding ?? new Map(), writer };
  // Main-graph nodes with a body (at any depth) that rounds something: their emulated copy differs.
  const roundsInside = new Set<number>();
  for (const id of bodies.plans.keys()) {
    const top = mainAncestor(model, id);
    if (top !== undefined) roundsInside.add(top);
  }
  const roundedTypes = (plan as RoundingPlan & { roundedTypes?: Map<string, { dtype: DataTypeName; steps: RoundingType[] }> }).roundedTypes;
  for (const node of mainGraphOrder(model)) {
    const raw = nodeBytes[node.index];
    if (!raw) throw new RewriteError(`node #${node.index} is missing from the graph's bytes`);
    nodesOut.push(raw);
    for (const input of node.inputs) {
      if (!fp16Weights.delete(input)) continue;
      values.push(rows.add({ value: input, node, fp16: true, weight: true }, input, input, initializerType.get(input) ?? 'FLOAT'));
    }
    const constant = node.opType === 'Constant' && node.domain === 'ai.onnx';
    const reads = [...node.inputs, ...(bodyReads.get(node.index) ?? [])];
    const rounds = node.outputs.some((o) => o && plan.rounded.has(o));
    const duplicate = !constant && (rounds || roundsInside.has(node.index) || reads.some((i) => i !== '' && emu.has(i)));
    if (constant) {
      for (const out of node.outputs) {
        const steps = out ? plan.rounded.get(out) : undefined;
        if (!out || !steps) continue;
        const to = writer.unique(`${out}__pc_e`);
        const dtype = types.get(out) ?? 'FLOAT';
        writer.chain(out, to, dtype, steps);
        emu.set(out, to);
        // A weight held by a Constant node: its range is checked where it is first read, as an initializer's.
        if (steps.includes('FLOAT16')) {
          fp16Weights.add(out);
          initializerType.set(out, dtype);
        }
      }
      flush();
      continue;
    }
    if (!duplicate) {
      for (const out of node.outputs) {
        if (out && isFloatType(types.get(out))) values.push({ value: out, node, fp16: false });
      }
      continue;
    }
    const outputs = new Map<string, string>();
    for (const out of node.outputs) {
      if (!out) continue;
      const steps = plan.rounded.get(out);
      const to = writer.unique(`${out}__pc_e`);
      if (steps) {
        const rawOut = writer.unique(`${out}__pc_er`);
        writer.chain(rawOut, to, roundedTypes?.get(out)?.dtype ?? types.get(out) ?? 'FLOAT', steps);
        outputs.set(out, rawOut);
      } else {
        outputs.set(out, to);
      }
      emu.set(out, to);
    }
    const name = node.name !== '' ? writer.unique(`${node.name}__pc_e`) : '';
    nodesOut.push(lengthDelimited(GRAPH.node, duplicateNode(raw.subarray(headerLength(raw)), emuName, outputs, name, node, bodies)).concat());
    for (const out of node.outputs) {
      const dtype = out ? types.get(out) : undefined;
      if (!out || !isFloatType(dtype) || options.skip?.has(out)) continue;
      const fp16 = plan.rounded.get(out)?.includes('FLOAT16') ?? false;
      values.push(rows.add({ value: out, node, fp16 }, out, emuName(out), dtype));
    }
    flush();
  }
  append(writer.nodes, rows.finish());
  const emulatedOutputs = new Map(main.outputs.map((o) => [o.name, emuName(o.name)]));
  // onnxruntime-node returns results (and takes the names to fetch) in plain objects, where
  // assigning "__proto__" sets the prototype instead of adding a key: such an output is fetched
  // under an alias.
  const aliases: string[] = [];
  const fetchedAs = (value: string, path: string): string => {
    if (plainKey(value)) return value;
    const alias = writer.unique(`__pc_${path}_output`);
    writer.nodes.push({ opType: 'Identity', name: writer.unique(`${alias}__pc_alias`), inputs: [value], outputs: [alias] });
    aliases.push(alias);
    return alias;
  };
  const fetched = {
    reference: new Map(main.outputs.map((o) => [o.name, fetchedAs(o.name, 'reference')])),
    emulated: new Map([...emulatedOutputs].map(([name, e]) => [name, fetchedAs(e, 'emulated')])),
  };
  flush();
  const graph = (payload: Uint8Array): Parts => {
    const out = new Parts();
    for (const f of readFields(payload, 'the main graph')) {
      if (f.no === GRAPH.node && f.wireType === WireType.LengthDelimited) continue;
      // onnxruntime-node would look such an output up in a plain object, find Object.prototype and
      // take it for a tensor to fill: the output is fetched under its alias only.
      if (f.no === GRAPH.output && f.wireType === WireType.LengthDelimited && !plainKey(valueName(f.payload))) continue;
      out.push(f.raw);
    }
    for (const n of nodesOut) out.push(n);
    for (const t of writer.initializers) out.push(message(GRAPH.initializer, (w) => writeTensorSpec(w, t)));
    for (const [name, e] of emulatedOutputs) if (e !== name) out.push(message(GRAPH.output, (w) => writeValueSpec(w, { name: e })));
    // One output per group of rows rather than one Concat of all: ONNX Runtime's allocation planner
    // slows down quadratically with many small values that stay alive until one late node.
    for (const row of rows.outputs) out.push(message(GRAPH.output, (w) => writeValueSpec(w, { name: row, dtype: 'FLOAT' })));
    for (const alias of aliases) out.push(message(GRAPH.output, (w) => writeValueSpec(w, { name: alias })));
    return out;
  };
  const out = new Parts();
  for (const f of readFields(bytes, 'the model')) {
    if (f.no === MODEL.graph && f.wireType === WireType.LengthDelimited) out.append(lengthDelimited(MODEL.graph, graph(f.payload)));
    else out.push(f.raw);
  }
  const fetches = [...new Set([...fetched.reference.values(), ...fetched.emulated.values(), ...rows.outputs])];
  return { bytes: out.concat(), values, rows: rows.count, emulatedOutputs, fetched, fetches, metricsOutputs: rows.outputs };
}

/** A ValueInfoProto's name, read from its bytes. */
function valueName(valueInfo: Uint8Array): string {
  const name = readFields(valueInfo, 'a graph output').find((f) => f.no === VALUE_INFO.name && f.wireType === WireType.LengthDelimited);
  return name ? utf8.decode(name.payload) : '';
}

/** Whether assigning `name` on a plain object adds an own key (not so for "__proto__", an accessor of Object.prototype). */
function plainKey(name: string): boolean {
  const probe: Record<string, unknown> = {};
  probe[name] = true;
  return Object.hasOwn(probe, name);
}

/** The main graph's node fields (tag and payload) in file order: index i is node #i. */
function nodeFields(bytes: Uint8Array): Uint8Array[] {
  const graph = readFields(bytes, 'the model').find((f) => f.no === MODEL.graph && f.wireType === WireType.LengthDelimited);
  if (!graph) throw new RewriteError('the model has no main graph');
  return readFields(graph.payload, 'the main graph').filter((f) => f.no === GRAPH.node && f.wireType === WireType.LengthDelimited).map((f) => f.raw);
}

/** Bytes of a length-delimited field's tag and length (the payload follows). */
function headerLength(raw: Uint8Array): number {
  let at = 0;
  while (raw[at]! & 0x80) at++; // tag
  at++;
  while (raw[at]! & 0x80) at++; // length
  return at + 1;
}

/** What rounding inside bodies needs: the model's subgraphs, the plan for each, and where chain nodes are written. */
interface BodyContext {
  model: ModelIR;
  plans: ReadonlyMap<number, BodyRounding>;
  writer: RoundingWriter;
}

/** The nodes `write` adds to the writer, taken out of it and encoded (the main graph's pending nodes stay). */
function chainNodes(ctx: BodyContext, write: () => void): Uint8Array[] {
  const start = ctx.writer.nodes.length;
  write();
  return ctx.writer.nodes.splice(start).map((n) => message(GRAPH.node, (w) => writeNodeSpec(w, n)));
}

/**
 * The ids of the subgraphs a node's attributes hold, one list per attribute holding any, in file
 * order; a list is given out only when it is this node's (the decoder numbered them so).
 */
function subgraphIds(ctx: BodyContext | undefined, node: NodeIR | undefined): () => number[] | undefined {
  const holders = node && ctx ? node.attributes.filter((a) => a.graphIds && a.graphIds.length > 0) : [];
  let next = 0;
  return () => {
    const ids = holders[next++]?.graphIds;
    const ours = ids?.every((id) => {
      const parent = ctx!.model.graphs[id]?.parent;
      return parent?.graphId === node!.graphId && parent.nodeIndex === node!.index;
    });
    return ours ? ids : undefined;
  };
}

/** A node's bytes with its inputs read through `input`, its outputs renamed, a new name, and its bodies reading renamed outer values. */
function duplicateNode(
  payload: Uint8Array, input: (name: string) => string, outputs: ReadonlyMap<string, string>, name: string,
  node?: NodeIR, ctx?: BodyContext,
): Parts {
  const out = new Parts();
  let named = false;
  const claim = subgraphIds(ctx, node);
  for (const f of readFields(payload, 'a node')) {
    if (f.wireType !== WireType.LengthDelimited) out.push(f.raw);
    else if (f.no === NODE.input) out.push(renamed(f, NODE.input, input));
    else if (f.no === NODE.output) out.push(renamed(f, NODE.output, (n) => outputs.get(n) ?? n));
    else if (f.no === NODE.name) {
      named = true;
      out.push(stringField(NODE.name, name));
    } else if (f.no === NODE.attribute) out.append(lengthDelimited(f.no, attributeReading(f.payload, input, 1, ctx, claim)));
    else out.push(f.raw);
  }
  if (!named && name !== '') out.push(stringField(NODE.name, name));
  return out;
}

function renamed(f: Field, no: number, rename: (name: string) => string): Uint8Array {
  const name = utf8.decode(f.payload);
  const to = name === '' ? name : rename(name);
  return to === name ? f.raw : stringField(no, to);
}

function attributeReading(
  attr: Uint8Array, outer: (name: string) => string, depth: number, ctx: BodyContext | undefined, claim: () => number[] | undefined,
): Parts {
  const out = new Parts();
  let ids: number[] | undefined;
  let claimed = false;
  let k = 0;
  for (const f of readFields(attr, 'an attribute')) {
    if (f.wireType === WireType.LengthDelimited && (f.no === ATTRIBUTE.g || f.no === ATTRIBUTE.graphs)) {
      if (!claimed) {
        ids = claim();
        claimed = true;
      }
      out.append(lengthDelimited(f.no, bodyReading(f.payload, outer, depth, ctx, ids?.[k++])));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

/**
 * A body whose reads of outer-scope values go through `outer`; names the body defines itself shadow
 * them. With a plan for this body (`graphId`), the values and weights it rounds are rounded in
 * place: the producer's output (or the initializer) is renamed and Cast nodes give the original
 * name its rounded value, so every reader and the body's outputs see it rounded.
 */
function bodyReading(graph: Uint8Array, outer: (name: string) => string, depth: number, ctx?: BodyContext, graphId?: number): Parts {
  if (depth > MAX_DEPTH) throw new RewriteError(`subgraphs nested deeper than ${MAX_DEPTH}`);
  const fields = readFields(graph, 'a subgraph');
  const local = new Set<string>();
  let nodeCount = 0;
  for (const f of fields) {
    if (f.wireType !== WireType.LengthDelimited) continue;
    if (f.no === GRAPH.input) local.add(nameOf(f.payload, VALUE_INFO.name));
    else if (f.no === GRAPH.initializer) local.add(nameOf(f.payload, TENSOR.name));
    else if (f.no === GRAPH.node) {
      nodeCount++;
      for (const g of readFields(f.payload, 'a node')) if (g.no === NODE.output && g.wireType === WireType.LengthDelimited) local.add(utf8.decode(g.payload));
    }
  }
  // The graph the decoder made of these bytes, when its nodes line up with them.
  const ir = graphId === undefined ? undefined : ctx?.model.graphs[graphId];
  const body = ir && ir.kind === 'subgraph' && ir.nodes.length === nodeCount ? ir : undefined;
  const plan = body ? ctx!.plans.get(body.id) : undefined;
  const read = (name: string): string => (local.has(name) ? name : outer(name));
  const out = new Parts();
  // Rounded weights: the initializer is renamed, and the chain giving its name the rounded value goes before the first node.
  const weightSources = new Map<string, string>();
  let weightChains: Uint8Array[] = [];
  if (plan && plan.weights.size > 0) {
    weightChains = chainNodes(ctx!, () => {
      for (const [name, { dtype, steps }] of plan.weights) {
        const source = ctx!.writer.unique(`${name}__pc_src`);
        ctx!.writer.chain(source, name, dtype, steps);
        weightSources.set(name, source);
      }
    });
  }
  const placeWeightChains = (): void => {
    for (const n of weightChains) out.push(n);
    weightChains = [];
  };
  let k = 0;
  for (const f of fields) {
    if (f.wireType === WireType.LengthDelimited && f.no === GRAPH.node) {
      placeWeightChains();
      const nodeIR = body?.nodes[k++];
      const claim = subgraphIds(ctx, nodeIR);
      const node = new Parts();
      const after: Uint8Array[] = [];
      for (const g of readFields(f.payload, 'a node')) {
        if (g.wireType === WireType.LengthDelimited && g.no === NODE.input) node.push(renamed(g, NODE.input, read));
        else if (g.wireType === WireType.LengthDelimited && g.no === NODE.output && plan) {
          const name = utf8.decode(g.payload);
          const rounding = name === '' ? undefined : plan.outputs.get(name);
          if (!rounding) {
            node.push(g.raw);
            continue;
          }
          const raw = ctx!.writer.unique(`${name}__pc_er`);
          node.push(stringField(NODE.output, raw));
          for (const c of chainNodes(ctx!, () => ctx!.writer.chain(raw, name, rounding.dtype, rounding.steps))) after.push(c);
        } else if (g.wireType === WireType.LengthDelimited && g.no === NODE.attribute) {
          node.append(lengthDelimited(g.no, attributeReading(g.payload, read, depth + 1, ctx, claim)));
        } else node.push(g.raw);
      }
      out.append(lengthDelimited(f.no, node));
      for (const c of after) out.push(c);
    } else if (f.wireType === WireType.LengthDelimited && f.no === GRAPH.initializer && weightSources.size > 0) {
      const source = weightSources.get(nameOf(f.payload, TENSOR.name));
      if (!source) {
        out.push(f.raw);
        continue;
      }
      const t = new Parts();
      for (const g of readFields(f.payload, 'a tensor')) t.push(g.no === TENSOR.name && g.wireType === WireType.LengthDelimited ? stringField(TENSOR.name, source) : g.raw);
      out.append(lengthDelimited(f.no, t));
    } else if (f.wireType === WireType.LengthDelimited && f.no === GRAPH.output) {
      const vi = new Parts();
      for (const g of readFields(f.payload, 'a value info')) vi.push(g.no === VALUE_INFO.name && g.wireType === WireType.LengthDelimited ? renamed(g, VALUE_INFO.name, read) : g.raw);
      out.append(lengthDelimited(f.no, vi));
    } else {
      out.push(f.raw);
    }
  }
  placeWeightChains();
  return out;
}

function nameOf(payload: Uint8Array, no: number): string {
  const f = findBytesField(readFields(payload, 'a named message'), no);
  return f ? utf8.decode(f.payload) : '';
}

interface MetricConstants {
  /** Shape [-1]: every compared value is flattened (a Reshape aliases its input, nothing is copied). */
  flat: string;
  fp16Max: string;
  zero: string;
  yes: string;
}

function metricConstants(writer: RoundingWriter): MetricConstants {
  const add = (name: string, dtype: 'FLOAT' | 'INT64' | 'BOOL', dims: number[], raw: Uint8Array): string => {
    const n = writer.unique(name);
    writer.initializers.push({ name: n, dtype, dims, raw });
    return n;
  };
  return {
    flat: add('__pc_flat', 'INT64', [1], new Uint8Array(new BigInt64Array([-1n]).buffer)),
    fp16Max: add('__pc_fp16_max', 'FLOAT', [], new Uint8Array(new Float32Array([65504]).buffer)),
    zero: add('__pc_zero', 'FLOAT', [1], new Uint8Array(4)),
    yes: add('__pc_true', 'BOOL', [], new Uint8Array([1])),
  };
}

/**
 * The scalars always computed for a compared value, r the reference, e the emulated value and
 * d = e − r, each flattened. Three sums of squares give every metric: r·e = (r·r + e·e − d·d)/2,
 * and cosine = 1 − (d·d − (|e| − |r|)²) / (2|r||e|) loses nothing to cancellation, unlike a summed
 * product. The maxima of |r| and |d| come from a max and a min each (no |x| tensor is made).
 */
export const ROW = {
  sumRefSquared: 0, sumEmuSquared: 1, sumDiffSquared: 2, referenceMax: 3, referenceMin: 4, diffMax: 5, diffMin: 6, elements: 7,
} as const;
const ROW_LENGTH = 8;
/**
 * Counts that take full passes over a value: computed (for the whole group) only when a sum is not
 * finite or, for a value stored in fp16, its range passes 65504, which a working model rarely does;
 * zeros otherwise, which is then what they are.
 */
export const COUNTS = { referenceNonFinite: 0, emulatedNonFinite: 1, beyondFp16: 2 } as const;
const COUNTS_LENGTH = 3;
/** A weight stored in fp16: only its range matters. */
export const WEIGHT_ROW = { referenceMax: 0, referenceMin: 1, elements: 2 } as const;
const WEIGHT_ROW_LENGTH = 3;
export const WEIGHT_COUNTS = { beyondFp16: 0 } as const;
const WEIGHT_COUNTS_LENGTH = 1;

/**
 * Rows per If. Each If is two subgraphs ONNX Runtime plans and initialises on their own, which
 * dominates the session's creation when every value has one; a group only keeps its few values
 * of both paths alive until its If runs.
 */
const GROUP = 4;

/** Adds nodes to `nodes`; each helper returns the name of what it computes. */
class Ops {
  readonly nodes: NodeSpec[] = [];
  constructor(private readonly writer: RoundingWriter, private readonly base: string, private readonly c: MetricConstants) {}
  op(opType: string, inputs: string[], attributes?: NodeSpec['attributes']): string {
    const out = this.writer.unique(`${this.base}__pc_m_${opType}`);
    this.nodes.push({ opType, name: this.writer.unique(`${out}_n`), inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  }
  flat(x: string, dtype: DataTypeName): string {
    const f = dtype === 'FLOAT' ? x : this.op('Cast', [x], { to: { i: dataTypeByName('FLOAT').code } });
    return this.op('Reshape', [f, this.c.flat]);
  }
  /** A reduction of a flat value to shape [1]. */
  reduce(opType: 'ReduceSum' | 'ReduceSumSquare' | 'ReduceMax' | 'ReduceMin', x: string): string {
    return this.op(opType, [x], { keepdims: { i: 1 } });
  }
  count(mask: string): string {
    return this.reduce('ReduceSum', this.op('Cast', [mask], { to: { i: dataTypeByName('FLOAT').code } }));
  }
  nonFinite(x: string): string {
    return this.count(this.op('IsNaN', [this.op('Sub', [x, x])]));
  }
  beyondFp16(x: string): string {
    return this.count(this.op('Greater', [this.op('Abs', [x]), this.c.fp16Max]));
  }
  concat(parts: string[]): string {
    return parts.length === 1 ? parts[0]! : this.op('Concat', parts, { axis: { i: 0 } });
  }
}

const constant = (writer: RoundingWriter, name: string, t: TensorSpec): NodeSpec =>
  ({ opType: 'Constant', name: writer.unique(`${name}_n`), inputs: [], outputs: [name], attributes: { value: { t } } });

function ifNode(
  writer: RoundingWriter, name: string, cond: string, outputs: string[],
  then: { nodes: NodeSpec[]; outputs: { name: string; dtype: 'FLOAT' | 'BOOL'; dims: number[] }[] },
  otherwise: { nodes: NodeSpec[]; outputs: { name: string; dtype: 'FLOAT' | 'BOOL'; dims: number[] }[] },
): NodeSpec {
  return {
    opType: 'If', name: writer.unique(`${name}_n`), inputs: [cond], outputs,
    attributes: {
      then_branch: { g: { name: `${name}_then`, inputs: [], ...then } },
      else_branch: { g: { name: `${name}_else`, inputs: [], ...otherwise } },
    },
  };
}

const zerosOf = (writer: RoundingWriter, name: string, length: number): NodeSpec =>
  constant(writer, name, { name: '', dtype: 'FLOAT', dims: [length], raw: new Uint8Array(4 * length) });

interface PendingRow {
  row: MetricRow;
  ref: string;
  emu: string;
  dtype: DataTypeName;
}

/**
 * The rows of metrics, a group of values per If, the Ifs in one chain: each takes as its condition
 * the previous one's `done` (always true), in the values' topological order. ONNX Runtime orders
 * execution by a depth-first walk back from the graph's last node, so without the chain it ran the
 * whole emulated path, then the whole reference path, keeping every value of one alive until the
 * other's metrics were computed (1.6 GB on PaddleOCR det 640²); with it, a group's metrics are
 * computed right after its values on both paths, which are then freed as in a plain run. The Ifs
 * go after every node of both paths, so the walk reaches the previous group before this one's values.
 *
 * Inside an If, ONNX Runtime's allocation planner (which slows down more than linearly with the
 * values of one graph) sees one group at a time, and the main graph one value per group.
 */
class MetricRows {
  readonly outputs: string[] = [];
  count = 0;
  private readonly ifs: NodeSpec[] = [];
  private pending: PendingRow[] = [];
  private done: string;

  constructor(private readonly writer: RoundingWriter, private readonly c: MetricConstants) {
    this.done = c.yes;
  }

  /** Queues a value's row (a weight's when `row.weight`); `row.row` is set when its group is written. */
  add(row: MetricRow, ref: string, emu: string, dtype: DataTypeName): MetricRow {
    this.count++;
    this.pending.push({ row, ref, emu, dtype });
    if (this.pending.length >= GROUP) this.flush();
    return row;
  }

  /** The Ifs, once every row is added. */
  finish(): NodeSpec[] {
    this.flush();
    return this.ifs;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const { writer, c } = this;
    const first = this.pending[0]!.ref;
    const o = new Ops(writer, first, c);
    const counted = new Ops(writer, first, c);
    const parts: string[] = [];
    const counts: string[] = [];
    /** Offsets in `parts` of the maxima and minima of values stored in fp16 (whose range is checked). */
    const ranges: bigint[] = [];
    const placed: { row: MetricRow; at: number; countsAt: number }[] = [];
    let countsAt = 0;
    const float = { to: { i: dataTypeByName('FLOAT').code } };
    for (const { row, ref, emu, dtype } of this.pending) {
      const at = parts.length;
      placed.push({ row, at, countsAt });
      if (row.weight) {
        const w = o.flat(ref, dtype);
        parts.push(o.reduce('ReduceMax', w), o.reduce('ReduceMin', w), o.op('Cast', [o.op('Shape', [w])], float));
        ranges.push(BigInt(at + WEIGHT_ROW.referenceMax), BigInt(at + WEIGHT_ROW.referenceMin));
        counts.push(counted.beyondFp16(w));
        countsAt += WEIGHT_COUNTS_LENGTH;
        continue;
      }
      const r = o.flat(ref, dtype);
      const e = o.flat(emu, dtype);
      const d = o.op('Sub', [e, r]);
      parts.push(
        o.reduce('ReduceSumSquare', r), o.reduce('ReduceSumSquare', e), o.reduce('ReduceSumSquare', d),
        o.reduce('ReduceMax', r), o.reduce('ReduceMin', r), o.reduce('ReduceMax', d), o.reduce('ReduceMin', d),
        o.op('Cast', [o.op('Shape', [r])], float),
      );
      if (row.fp16) ranges.push(BigInt(at + ROW.referenceMax), BigInt(at + ROW.referenceMin));
      counts.push(counted.nonFinite(r), counted.nonFinite(e), row.fp16 ? counted.beyondFp16(r) : c.zero);
      countsAt += COUNTS_LENGTH;
    }
    const length = parts.length;
    const scalars = o.concat(parts);
    // Whether to count: Inf − Inf and NaN − NaN are NaN, so the sum of the group's scalars is not
    // finite exactly when one of its values holds a NaN or an Inf (or, harmlessly, past 1e38);
    // and whether a value stored in fp16 reaches past its range.
    const sum = o.reduce('ReduceSum', scalars);
    let doubt = o.op('IsNaN', [o.op('Sub', [sum, sum])]);
    if (ranges.length > 0) {
      const at = writer.unique(`${first}__pc_ranges`);
      writer.initializers.push({ name: at, dtype: 'INT64', dims: [ranges.length], raw: new Uint8Array(BigInt64Array.from(ranges).buffer) });
      const reach = o.reduce('ReduceMax', o.op('Abs', [o.op('Gather', [scalars, at])]));
      doubt = o.op('Or', [doubt, o.op('Greater', [reach, c.fp16Max])]);
    }
    const exact = counted.concat(counts);
    const none = writer.unique(`${first}__pc_no_counts`);
    const countsOut = writer.unique(`${first}__pc_counts`);
    o.nodes.push(ifNode(writer, countsOut, doubt, [countsOut], {
      nodes: counted.nodes, outputs: [{ name: exact, dtype: 'FLOAT', dims: [countsAt] }],
    }, { nodes: [zerosOf(writer, none, countsAt)], outputs: [{ name: none, dtype: 'FLOAT', dims: [countsAt] }] }));
    const values = o.concat([scalars, countsOut]);
    const bodyDone = o.op('Identity', [c.yes]);

    const out = writer.unique(`${first}__pc_rows`);
    const done = writer.unique(`${first}__pc_done`);
    const zeros = writer.unique(`${first}__pc_no_rows`);
    const notDone = writer.unique(`${first}__pc_not_done`);
    this.ifs.push(ifNode(writer, out, this.done, [out, done], {
      nodes: o.nodes, outputs: [{ name: values, dtype: 'FLOAT', dims: [length + countsAt] }, { name: bodyDone, dtype: 'BOOL', dims: [] }],
    }, {
      nodes: [zerosOf(writer, zeros, length + countsAt), constant(writer, notDone, { name: '', dtype: 'BOOL', dims: [], raw: new Uint8Array([1]) })],
      outputs: [{ name: zeros, dtype: 'FLOAT', dims: [length + countsAt] }, { name: notDone, dtype: 'BOOL', dims: [] }],
    }));
    this.done = done;
    const output = this.outputs.length;
    this.outputs.push(out);
    for (const p of placed) p.row.row = { output, at: p.at, countsAt: length + p.countsAt };
    this.pending = [];
  }
}
