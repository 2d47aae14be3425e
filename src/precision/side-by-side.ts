import { WireType } from '@bufbuild/protobuf/wire';
import { dataTypeByName, type DataTypeName } from '../onnx/data-types.js';
import type { ModelIR, NodeIR } from '../onnx/ir.js';
import type { NodeSpec } from '../onnx/model-spec.js';
import { GRAPH, MODEL, NODE, ATTRIBUTE, TENSOR, VALUE_INFO } from '../onnx/wire-fields.js';
import {
  Parts, RewriteError, findBytesField, lengthDelimited, message, readFields, stringField, utf8, type Field,
} from '../onnx/wire-splice.js';
import { writeNodeSpec, writeTensorSpec, writeValueSpec } from '../onnx/writer.js';
import type { RoundingPlan } from './emulate-model.js';
import type { RoundingType } from '../profiles/precision-policy.js';
import { RoundingWriter } from './rounding-writer.js';
import { implicitInputs, topologicalOrder as mainGraphOrder } from './topo-order.js';
import { isFloatType } from './value-types.js';

/** A main-graph float value, or a weight stored in fp16 (its range is checked, in the reference only). */
export interface MetricRow {
  value: string;
  /** The node producing it (for a weight: its first reader). */
  node: NodeIR;
  fp16: boolean;
  weight?: true;
  /** Its row in the metrics output; absent when both paths share the value (nothing upstream is rounded). */
  row?: number;
}

export interface SideBySide {
  bytes: Uint8Array;
  /** Every float value of the main graph, in topological order. */
  values: MetricRow[];
  /** Rows of the metrics output. */
  rows: number;
  /** Each graph output's name on the emulated path. */
  emulatedOutputs: Map<string, string>;
  /** The graph outputs holding each row's scalars (ROW, or WEIGHT_ROW for a weight), by row. */
  metricsOutputs: string[];
}

const MAX_DEPTH = 64;

/**
 * One model holding the reference graph and the emulated graph side by side, with every compared
 * value reduced to a row of scalars inside the graph (METRIC_FIELDS), so a single run gives every
 * node's metrics and no intermediate tensor reaches JavaScript; ONNX Runtime frees each value after
 * its last reader, as in any run.
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
  const constants = metricConstants(writer, opset);
  const nodesOut: Uint8Array[] = [];
  const values: MetricRow[] = [];
  const rowNames: string[] = [];
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
  const roundedTypes = (plan as RoundingPlan & { roundedTypes?: Map<string, { dtype: DataTypeName; steps: RoundingType[] }> }).roundedTypes;
  for (const node of mainGraphOrder(model)) {
    const raw = nodeBytes[node.index];
    if (!raw) throw new RewriteError(`node #${node.index} is missing from the graph's bytes`);
    nodesOut.push(raw);
    for (const input of node.inputs) {
      if (!fp16Weights.delete(input)) continue;
      values.push({ value: input, node, fp16: true, weight: true, row: rowNames.length });
      rowNames.push(weightRow(writer, constants, input, initializerType.get(input) ?? 'FLOAT'));
    }
    const constant = node.opType === 'Constant' && node.domain === 'ai.onnx';
    const reads = [...node.inputs, ...(bodyReads.get(node.index) ?? [])];
    const rounds = node.outputs.some((o) => o && plan.rounded.has(o));
    const duplicate = !constant && (rounds || reads.some((i) => i !== '' && emu.has(i)));
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
    nodesOut.push(lengthDelimited(GRAPH.node, duplicateNode(raw.subarray(headerLength(raw)), emuName, outputs, name)).concat());
    for (const out of node.outputs) {
      const dtype = out ? types.get(out) : undefined;
      if (!out || !isFloatType(dtype) || options.skip?.has(out)) continue;
      const fp16 = plan.rounded.get(out)?.includes('FLOAT16') ?? false;
      values.push({ value: out, node, fp16, row: rowNames.length });
      rowNames.push(comparedRow(writer, constants, out, emuName(out), dtype, fp16));
    }
    flush();
  }


  const emulatedOutputs = new Map(main.outputs.map((o) => [o.name, emuName(o.name)]));
  const graph = (payload: Uint8Array): Parts => {
    const out = new Parts();
    for (const f of readFields(payload, 'the main graph')) {
      if (f.no === GRAPH.node && f.wireType === WireType.LengthDelimited) continue;
      out.push(f.raw);
    }
    for (const n of nodesOut) out.push(n);
    for (const t of writer.initializers) out.push(message(GRAPH.initializer, (w) => writeTensorSpec(w, t)));
    for (const [name, e] of emulatedOutputs) if (e !== name) out.push(message(GRAPH.output, (w) => writeValueSpec(w, { name: e })));
    // One output per row rather than one Concat of all rows: ONNX Runtime's allocation planner
    // slows down quadratically with many small values that stay alive until one late node.
    for (const row of rowNames) out.push(message(GRAPH.output, (w) => writeValueSpec(w, { name: row, dtype: 'FLOAT' })));
    return out;
  };
  const out = new Parts();
  for (const f of readFields(bytes, 'the model')) {
    if (f.no === MODEL.graph && f.wireType === WireType.LengthDelimited) out.append(lengthDelimited(MODEL.graph, graph(f.payload)));
    else out.push(f.raw);
  }
  return { bytes: out.concat(), values, rows: rowNames.length, emulatedOutputs, metricsOutputs: rowNames };
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

/** A node's bytes with its inputs read through `input`, its outputs renamed, a new name, and its bodies reading renamed outer values. */
function duplicateNode(payload: Uint8Array, input: (name: string) => string, outputs: ReadonlyMap<string, string>, name: string): Parts {
  const out = new Parts();
  let named = false;
  for (const f of readFields(payload, 'a node')) {
    if (f.wireType !== WireType.LengthDelimited) out.push(f.raw);
    else if (f.no === NODE.input) out.push(renamed(f, NODE.input, input));
    else if (f.no === NODE.output) out.push(renamed(f, NODE.output, (n) => outputs.get(n) ?? n));
    else if (f.no === NODE.name) {
      named = true;
      out.push(stringField(NODE.name, name));
    } else if (f.no === NODE.attribute) out.append(lengthDelimited(f.no, attributeReading(f.payload, input, 1)));
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

function attributeReading(attr: Uint8Array, outer: (name: string) => string, depth: number): Parts {
  const out = new Parts();
  for (const f of readFields(attr, 'an attribute')) {
    if (f.wireType === WireType.LengthDelimited && (f.no === ATTRIBUTE.g || f.no === ATTRIBUTE.graphs)) {
      out.append(lengthDelimited(f.no, bodyReading(f.payload, outer, depth)));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

/** A body whose reads of outer-scope values go through `outer`; names the body defines itself shadow them. */
function bodyReading(graph: Uint8Array, outer: (name: string) => string, depth: number): Parts {
  if (depth > MAX_DEPTH) throw new RewriteError(`subgraphs nested deeper than ${MAX_DEPTH}`);
  const fields = readFields(graph, 'a subgraph');
  const local = new Set<string>();
  for (const f of fields) {
    if (f.wireType !== WireType.LengthDelimited) continue;
    if (f.no === GRAPH.input) local.add(nameOf(f.payload, VALUE_INFO.name));
    else if (f.no === GRAPH.initializer) local.add(nameOf(f.payload, TENSOR.name));
    else if (f.no === GRAPH.node) {
      for (const g of readFields(f.payload, 'a node')) if (g.no === NODE.output && g.wireType === WireType.LengthDelimited) local.add(utf8.decode(g.payload));
    }
  }
  const read = (name: string): string => (local.has(name) ? name : outer(name));
  const out = new Parts();
  for (const f of fields) {
    if (f.wireType === WireType.LengthDelimited && f.no === GRAPH.node) {
      const node = new Parts();
      for (const g of readFields(f.payload, 'a node')) {
        if (g.wireType === WireType.LengthDelimited && g.no === NODE.input) node.push(renamed(g, NODE.input, read));
        else if (g.wireType === WireType.LengthDelimited && g.no === NODE.attribute) node.append(lengthDelimited(g.no, attributeReading(g.payload, read, depth + 1)));
        else node.push(g.raw);
      }
      out.append(lengthDelimited(f.no, node));
    } else if (f.wireType === WireType.LengthDelimited && f.no === GRAPH.output) {
      const vi = new Parts();
      for (const g of readFields(f.payload, 'a value info')) vi.push(g.no === VALUE_INFO.name && g.wireType === WireType.LengthDelimited ? renamed(g, VALUE_INFO.name, read) : g.raw);
      out.append(lengthDelimited(f.no, vi));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

function nameOf(payload: Uint8Array, no: number): string {
  const f = findBytesField(readFields(payload, 'a named message'), no);
  return f ? utf8.decode(f.payload) : '';
}

interface MetricConstants {
  zero: string;
  zeros3: string;
  fp16Max: string;
  flat: string;
  row: string;
  axis1: string;
  yes: string;
  opset: number;
}

function metricConstants(writer: RoundingWriter, opset: number): MetricConstants {
  const add = (name: string, dtype: 'FLOAT' | 'INT64' | 'BOOL', dims: number[], raw: Uint8Array): string => {
    const n = writer.unique(name);
    writer.initializers.push({ name: n, dtype, dims, raw });
    return n;
  };
  return {
    zero: add('__pc_zero', 'FLOAT', [], new Uint8Array(4)),
    zeros3: add('__pc_zeros3', 'FLOAT', [3], new Uint8Array(12)),
    fp16Max: add('__pc_fp16_max', 'FLOAT', [], new Uint8Array(new Float32Array([65504]).buffer)),
    flat: add('__pc_flat', 'INT64', [2], new Uint8Array(new BigInt64Array([1n, -1n]).buffer)),
    row: add('__pc_row', 'INT64', [1], new Uint8Array(new BigInt64Array([-1n]).buffer)),
    axis1: add('__pc_axis1', 'INT64', [1], new Uint8Array(new BigInt64Array([1n]).buffer)),
    yes: add('__pc_true', 'BOOL', [], new Uint8Array([1])),
    opset,
  };
}

/**
 * Where each scalar sits in a compared value's row. M stacks the reference r, the emulated value e
 * and d = e − r as three rows; its Gram matrix M·Mᵀ holds every sum of products the metrics need
 * (one Gemm instead of a reduction each), and per-row reductions of |M| give the maxima, of
 * isNaN(M − M) the non-finite counts, of |M| > 65504 the values beyond fp16's range.
 */
export const ROW = {
  sumRefSquared: 0, sumProduct: 1, sumEmuSquared: 4, sumDiffSquared: 8,
  referenceMaxAbs: 9, maxAbsError: 11, elements: 13, referenceNonFinite: 14, emulatedNonFinite: 15, beyondFp16: 17,
} as const;
export const ROW_LENGTH = 20;
/** A weight's row: only its range matters. */
export const WEIGHT_ROW = { referenceMaxAbs: 0, elements: 1, beyondFp16: 2 } as const;
const WEIGHT_ROW_LENGTH = 3;

/** Adds nodes to `nodes`; each helper returns the name of what it computes. */
class Ops {
  readonly nodes: NodeSpec[] = [];
  constructor(private readonly writer: RoundingWriter, private readonly base: string, private readonly c: MetricConstants) {}
  op(opType: string, inputs: string[], attributes?: NodeSpec['attributes']): string {
    const out = this.writer.unique(`${this.base}__pc_m_${opType}`);
    this.nodes.push({ opType, name: this.writer.unique(`${out}_n`), inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  }
  toFloat(x: string, dtype: DataTypeName): string {
    return dtype === 'FLOAT' ? x : this.op('Cast', [x], { to: { i: dataTypeByName('FLOAT').code } });
  }
  /** A reduction along axis 1 (keepdims 0), or of everything when `all`: the axes input or attribute, as the opset wants. */
  reduce(opType: 'ReduceSum' | 'ReduceMax', x: string, all = false): string {
    const inputFrom = opType === 'ReduceSum' ? 13 : 18;
    if (all) return this.op(opType, [x], { keepdims: { i: 1 } });
    return this.c.opset >= inputFrom
      ? this.op(opType, [x, this.c.axis1], { keepdims: { i: 0 } })
      : this.op(opType, [x], { axes: { ints: [1] }, keepdims: { i: 0 } });
  }
  count(mask: string, all = false): string {
    return this.reduce('ReduceSum', this.op('Cast', [mask], { to: { i: dataTypeByName('FLOAT').code } }), all);
  }
  elements(x: string): string {
    return this.op('Cast', [this.op('Shape', [x])], { to: { i: dataTypeByName('FLOAT').code } });
  }
}

/**
 * The row's nodes inside an If whose condition is always true: ONNX Runtime plans each body on its
 * own, and its allocation planner, which slows down more than linearly with the values of one
 * graph, then sees one value per row in the main graph instead of twenty.
 */
function wrapped(writer: RoundingWriter, c: MetricConstants, o: Ops, row: string, length: number): string {
  const out = writer.unique(`${row}__pc_row`);
  const zeros = writer.unique(`${row}__pc_no_row`);
  writer.nodes.push({
    opType: 'If', name: writer.unique(`${out}_n`), inputs: [c.yes], outputs: [out],
    attributes: {
      then_branch: { g: { name: `${out}_then`, inputs: [], outputs: [{ name: row, dtype: 'FLOAT', dims: [length] }], nodes: o.nodes } },
      else_branch: {
        g: {
          name: `${out}_else`, inputs: [], outputs: [{ name: zeros, dtype: 'FLOAT', dims: [length] }],
          nodes: [{ opType: 'Constant', name: writer.unique(`${zeros}_n`), inputs: [], outputs: [zeros], attributes: { value: { t: { name: '', dtype: 'FLOAT', dims: [length], raw: new Uint8Array(4 * length) } } } }],
        },
      },
    },
  });
  return out;
}

function comparedRow(writer: RoundingWriter, c: MetricConstants, ref: string, emu: string, dtype: DataTypeName, fp16: boolean): string {
  const o = new Ops(writer, ref, c);
  const r = o.op('Reshape', [o.toFloat(ref, dtype), c.flat]);
  const e = o.op('Reshape', [o.toFloat(emu, dtype), c.flat]);
  const m = o.op('Concat', [r, e, o.op('Sub', [e, r])], { axis: { i: 0 } });
  const gram = o.op('Reshape', [o.op('Gemm', [m, m, c.zero], { transB: { i: 1 } }), c.row]);
  const abs = o.op('Abs', [m]);
  const beyond = fp16 ? o.count(o.op('Greater', [abs, c.fp16Max])) : c.zeros3;
  const row = o.op('Concat', [gram, o.reduce('ReduceMax', abs), o.elements(m), o.count(o.op('IsNaN', [o.op('Sub', [m, m])])), beyond], { axis: { i: 0 } });
  return wrapped(writer, c, o, row, ROW_LENGTH);
}

/** A weight the emulated path stores in fp16: only its reference values are looked at (range). */
function weightRow(writer: RoundingWriter, c: MetricConstants, weight: string, dtype: DataTypeName): string {
  const o = new Ops(writer, weight, c);
  const w = o.op('Reshape', [o.toFloat(weight, dtype), c.row]);
  const abs = o.op('Abs', [w]);
  const row = o.op('Concat', [o.reduce('ReduceMax', abs, true), o.elements(w), o.count(o.op('Greater', [abs, c.fp16Max]), true)], { axis: { i: 0 } });
  return wrapped(writer, c, o, row, WEIGHT_ROW_LENGTH);
}
