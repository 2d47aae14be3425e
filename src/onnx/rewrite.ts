import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { dataTypeByName, type DataTypeName } from './data-types.js';
import { bf16BitsToFloat, halfBitsToFloat } from './float-bits.js';
import type { Dim } from './ir.js';
import type { NodeSpec, TensorSpec } from './model-spec.js';
import {
  ATTRIBUTE, DATA_LOCATION_EXTERNAL, ELEM_TYPE, FUNCTION, GRAPH, MAP_TYPE, MODEL, NODE, OPERATOR_SET_ID,
  SPARSE_TENSOR, TENSOR, TENSOR_TYPE, TYPE, VALUE_INFO,
} from './wire-fields.js';
import {
  type Field, Parts, RewriteError, findBytesField, lengthDelimited, message, readFields, stringField, utf8,
} from './wire-splice.js';
import { writeNodeSpec, writeOpsetImports, writeTensorSpec, writeValueSpec } from './writer.js';

export { RewriteError };

/**
 * A byte-level rewriter for ONNX models: it walks the protobuf wire format and copies every field it
 * does not change as the original bytes, so weights are never decoded (a 1 GB model costs one output
 * buffer, not a parse tree). Edits apply to the main graph only: ONNX lets only the main graph expose
 * outputs, and the run stage only ever needs to tap or patch main-graph values.
 */
export interface RewriteEdits {
  /**
   * Main-graph values to expose as extra graph outputs. A bare name writes a ValueInfoProto with only
   * the name (ONNX Runtime infers the type); give dtype/dims when inference cannot.
   */
  addOutputs?: (string | OutputSpec)[];
  /** Main-graph outputs to drop, by name. */
  removeOutputs?: string[];
  /**
   * Renames values where a main-graph node produces them (old name → new name). Consumers keep
   * reading the old name, so appended nodes can produce it again: the hook for inserting a Cast pair
   * or a quantize/dequantize pair after a node.
   */
  renameNodeOutputs?: Record<string, string>;
  /** Nodes appended to the main graph. ONNX Runtime sorts the graph itself, so order is free. */
  appendNodes?: NodeSpec[];
  /** Initializers appended to the main graph (inline data only). */
  appendInitializers?: TensorSpec[];
  /** Opset imports to add for domains the model does not import yet ('ai.onnx' = the default domain). */
  addOpsetImports?: Record<string, number>;
  /**
   * Change one element type to FLOAT everywhere (every graph and function): initializer and
   * Constant data converted, graph I/O and value_info retyped, Cast targets and dtype attributes
   * followed. Exact: every BFLOAT16 and FLOAT16 value is representable in FLOAT. Used for a CPU
   * reference run of a model whose element type has no CPU kernel.
   */
  retype?: { from: 'BFLOAT16' | 'FLOAT16'; to: 'FLOAT' };
}

export interface OutputSpec {
  name: string;
  dtype?: DataTypeName;
  dims?: Dim[];
}

/** Ops whose attribute holds an element type code that must follow a retype. */
const DTYPE_ATTRIBUTES: Record<string, string> = {
  Cast: 'to', EyeLike: 'dtype', RandomNormal: 'dtype', RandomUniform: 'dtype',
  RandomNormalLike: 'dtype', RandomUniformLike: 'dtype', Bernoulli: 'dtype', Multinomial: 'dtype',
};

/** Bounds the recursion through nested subgraphs and types, which a hostile file can make deep. */
const MAX_DEPTH = 64;

/**
 * Rewrites an ONNX model's bytes. Throws RewriteError when the bytes are not a model it can walk or
 * an edit cannot be applied (e.g. retyping an initializer whose data lives in an external file).
 */
export function rewriteModel(bytes: Uint8Array, edits: RewriteEdits): Uint8Array {
  const fields = readFields(bytes, 'the model');
  const retype = edits.retype ? retypeCodes(edits.retype) : undefined;
  const out = rewriteModelFields(
    fields,
    (graph) => rewriteMainGraph(graph, edits, retype),
    retype && ((fn) => retypeFunction(fn, retype)),
  );
  out.push(missingOpsetImports(fields, edits.addOpsetImports ?? {}));
  return out.concat();
}

/**
 * Renames main-graph initializers (and the graph inputs that declare them, in models from before
 * IR 4), so that a Cast pair can produce the original name from the renamed weight and every
 * consumer, subgraphs included, reads the rounded weight. Returns the same bytes when there is
 * nothing to rename.
 */
export function renameInitializers(bytes: Uint8Array, renames: ReadonlyMap<string, string>): Uint8Array {
  if (renames.size === 0) return bytes;
  return rewriteModelFields(readFields(bytes, 'the model'), (graph) => renameInGraph(graph, renames)).concat();
}

/** The model with its one main graph (and, given `rewriteFunction`, each function) rewritten; other fields as they were. */
function rewriteModelFields(
  fields: Field[], rewriteGraph: (graph: Uint8Array) => Parts, rewriteFunction?: (fn: Uint8Array) => Parts,
): Parts {
  const isGraph = (f: Field): boolean => f.no === MODEL.graph && f.wireType === WireType.LengthDelimited;
  const graphs = fields.filter(isGraph).length;
  if (graphs !== 1) throw new RewriteError(`expected one main graph in the model, found ${graphs}`);
  const out = new Parts();
  for (const f of fields) {
    if (isGraph(f)) {
      out.append(lengthDelimited(MODEL.graph, rewriteGraph(f.payload)));
    } else if (f.no === MODEL.functions && f.wireType === WireType.LengthDelimited && rewriteFunction) {
      out.append(lengthDelimited(MODEL.functions, rewriteFunction(f.payload)));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

interface RetypeCodes {
  from: number;
  to: number;
  convert: (raw: Uint8Array) => Uint8Array;
  convertBits: (bits: number) => number;
}

function retypeCodes(r: NonNullable<RewriteEdits['retype']>): RetypeCodes {
  const from = dataTypeByName(r.from).code;
  const to = dataTypeByName(r.to).code;
  const convertBits = r.from === 'BFLOAT16' ? bf16BitsToFloat : halfBitsToFloat;
  return {
    from,
    to,
    convertBits,
    convert: (raw) => {
      if (raw.length % 2 !== 0) throw new RewriteError(`${r.from} data of odd byte length ${raw.length}`);
      const n = raw.length / 2;
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const outBuf = new Uint8Array(n * 4);
      const outView = new DataView(outBuf.buffer);
      for (let k = 0; k < n; k++) outView.setFloat32(k * 4, convertBits(view.getUint16(k * 2, true)), true);
      return outBuf;
    },
  };
}

function rewriteMainGraph(graph: Uint8Array, edits: RewriteEdits, retype: RetypeCodes | undefined): Parts {
  const renames = new Map(Object.entries(edits.renameNodeOutputs ?? {}));
  const removed = new Set(edits.removeOutputs ?? []);
  const fields = readFields(graph, 'the main graph');
  const out = new Parts();
  for (const f of fields) {
    if (f.wireType !== WireType.LengthDelimited) {
      out.push(f.raw);
    } else if (f.no === GRAPH.node && (renames.size > 0 || retype)) {
      out.append(lengthDelimited(GRAPH.node, rewriteNode(f.payload, renames, retype, 0)));
    } else if (f.no === GRAPH.output && removed.size > 0 && removed.has(valueInfoName(f.payload))) {
      // dropped
    } else if (retype) {
      out.append(retypeGraphField(f, retype, 0));
    } else {
      out.push(f.raw);
    }
  }
  for (const node of edits.appendNodes ?? []) {
    refuseUnappendable(node);
    out.push(message(GRAPH.node, (w) => writeNodeSpec(w, node)));
  }
  for (const t of edits.appendInitializers ?? []) {
    refuseExternal(t);
    out.push(message(GRAPH.initializer, (w) => writeTensorSpec(w, t)));
  }
  for (const o of edits.addOutputs ?? []) {
    const spec = typeof o === 'string' ? { name: o } : o;
    out.push(message(GRAPH.output, (w) => writeValueSpec(w, spec)));
  }
  return out;
}

/** Appended pieces stay inside the model and the main graph: no external data, no subgraphs. */
function refuseUnappendable(node: NodeSpec): void {
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    if ('g' in value || 'graphs' in value) {
      throw new RewriteError(`attribute '${name}': graph attributes cannot be appended by the rewriter`);
    }
    if ('t' in value) refuseExternal(value.t);
  }
}

function refuseExternal(t: TensorSpec): void {
  if (t.external) throw new RewriteError(`tensor '${t.name}': external data cannot be appended by the rewriter`);
}

function valueInfoName(payload: Uint8Array): string {
  const name = findBytesField(readFields(payload, 'a value info'), VALUE_INFO.name);
  return name ? utf8.decode(name.payload) : '';
}

function renameInGraph(graph: Uint8Array, renames: ReadonlyMap<string, string>): Parts {
  const out = new Parts();
  for (const f of readFields(graph, 'the main graph')) {
    if (f.wireType === WireType.LengthDelimited && f.no === GRAPH.initializer) {
      out.append(lengthDelimited(f.no, renameField(f.payload, TENSOR.name, renames, 'an initializer')));
    } else if (f.wireType === WireType.LengthDelimited && f.no === GRAPH.input) {
      out.append(lengthDelimited(f.no, renameField(f.payload, VALUE_INFO.name, renames, 'a graph input')));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

/** The message with its string field `no` renamed when the map names it; other fields as they were. */
function renameField(message: Uint8Array, no: number, renames: ReadonlyMap<string, string>, what: string): Parts {
  const fields = readFields(message, what);
  const nameField = findBytesField(fields, no);
  const renamed = nameField ? renames.get(utf8.decode(nameField.payload)) : undefined;
  if (renamed === undefined) return new Parts().push(message);
  const out = new Parts();
  for (const f of fields) out.push(f === nameField ? stringField(no, renamed) : f.raw);
  return out;
}

/** A field of a graph other than a node, under retype. */
function retypeGraphField(f: Field, retype: RetypeCodes, depth: number): Parts {
  switch (f.no) {
    case GRAPH.node:
      return lengthDelimited(f.no, rewriteNode(f.payload, new Map(), retype, depth));
    case GRAPH.initializer:
      return lengthDelimited(f.no, retypeTensor(f.payload, retype));
    case GRAPH.sparseInitializer:
      return lengthDelimited(f.no, retypeSparseTensor(f.payload, retype));
    case GRAPH.input:
    case GRAPH.output:
    case GRAPH.valueInfo:
      return lengthDelimited(f.no, retypeValueInfo(f.payload, retype, depth));
    default:
      return new Parts().push(f.raw);
  }
}

function retypeSubgraph(graph: Uint8Array, retype: RetypeCodes, depth: number): Parts {
  if (depth > MAX_DEPTH) throw new RewriteError(`subgraphs nested deeper than ${MAX_DEPTH}`);
  const out = new Parts();
  for (const f of readFields(graph, 'a subgraph')) {
    out.append(f.wireType === WireType.LengthDelimited ? retypeGraphField(f, retype, depth) : new Parts().push(f.raw));
  }
  return out;
}

function retypeFunction(fn: Uint8Array, retype: RetypeCodes): Parts {
  const out = new Parts();
  for (const f of readFields(fn, 'a function')) {
    if (f.no === FUNCTION.node && f.wireType === WireType.LengthDelimited) {
      out.append(lengthDelimited(f.no, rewriteNode(f.payload, new Map(), retype, 1)));
    } else if (f.no === FUNCTION.valueInfo && f.wireType === WireType.LengthDelimited) {
      out.append(lengthDelimited(f.no, retypeValueInfo(f.payload, retype, 1)));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

function rewriteNode(
  node: Uint8Array, renames: Map<string, string>, retype: RetypeCodes | undefined, depth: number,
): Parts {
  const fields = readFields(node, 'a node');
  const opTypeField = findBytesField(fields, NODE.opType);
  const opType = opTypeField ? utf8.decode(opTypeField.payload) : '';
  const out = new Parts();
  for (const f of fields) {
    if (f.no === NODE.output && f.wireType === WireType.LengthDelimited && renames.size > 0) {
      const renamed = renames.get(utf8.decode(f.payload));
      out.push(renamed === undefined ? f.raw : stringField(NODE.output, renamed));
    } else if (f.no === NODE.attribute && f.wireType === WireType.LengthDelimited && retype) {
      out.append(lengthDelimited(f.no, retypeAttribute(f.payload, opType, retype, depth)));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

function retypeAttribute(attr: Uint8Array, opType: string, retype: RetypeCodes, depth: number): Parts {
  const fields = readFields(attr, 'an attribute');
  const nameField = findBytesField(fields, ATTRIBUTE.name);
  const name = nameField ? utf8.decode(nameField.payload) : '';
  const isDtypeAttr = DTYPE_ATTRIBUTES[opType] === name;
  const out = new Parts();
  for (const f of fields) {
    if (f.no === ATTRIBUTE.i && f.wireType === WireType.Varint && isDtypeAttr && f.varint === retype.from) {
      out.push(new BinaryWriter().tag(ATTRIBUTE.i, WireType.Varint).int64(retype.to).finish());
    } else if (f.wireType !== WireType.LengthDelimited) {
      out.push(f.raw);
    } else if (f.no === ATTRIBUTE.t || f.no === ATTRIBUTE.tensors) {
      out.append(lengthDelimited(f.no, retypeTensor(f.payload, retype)));
    } else if (f.no === ATTRIBUTE.sparseTensor || f.no === ATTRIBUTE.sparseTensors) {
      out.append(lengthDelimited(f.no, retypeSparseTensor(f.payload, retype)));
    } else if (f.no === ATTRIBUTE.g || f.no === ATTRIBUTE.graphs) {
      out.append(lengthDelimited(f.no, retypeSubgraph(f.payload, retype, depth + 1)));
    } else if (f.no === ATTRIBUTE.tp || f.no === ATTRIBUTE.typeProtos) {
      out.append(lengthDelimited(f.no, retypeType(f.payload, retype, depth + 1)));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

function retypeSparseTensor(sparse: Uint8Array, retype: RetypeCodes): Parts {
  const out = new Parts();
  for (const f of readFields(sparse, 'a sparse tensor')) {
    // The indices are integers and stay.
    if (f.no === SPARSE_TENSOR.values && f.wireType === WireType.LengthDelimited) {
      out.append(lengthDelimited(f.no, retypeTensor(f.payload, retype)));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

function retypeTensor(tensor: Uint8Array, retype: RetypeCodes): Parts {
  const fields = readFields(tensor, 'a tensor');
  const dataType = fields.find((f) => f.no === TENSOR.dataType && f.wireType === WireType.Varint);
  if (!dataType || dataType.varint !== retype.from) return new Parts().push(tensor);
  const nameField = findBytesField(fields, TENSOR.name);
  const name = nameField ? utf8.decode(nameField.payload) : '(unnamed)';
  const external = fields.some((f) => f.no === TENSOR.dataLocation && f.wireType === WireType.Varint && f.varint === DATA_LOCATION_EXTERNAL);
  if (external) {
    throw new RewriteError(`tensor '${name}' keeps its data in an external file, which the rewrite does not read`);
  }
  const out = new Parts();
  const bits: number[] = [];
  for (const f of fields) {
    if (f.no === TENSOR.dataType) {
      out.push(new BinaryWriter().tag(TENSOR.dataType, WireType.Varint).int32(retype.to).finish());
    } else if (f.no === TENSOR.rawData && f.wireType === WireType.LengthDelimited) {
      out.append(lengthDelimited(TENSOR.rawData, new Parts().push(retype.convert(f.payload))));
    } else if (f.no === TENSOR.int32Data) {
      // 16-bit types keep one value per int32_data entry; FLOAT keeps them in float_data.
      if (f.wireType === WireType.Varint) bits.push(f.varint);
      else if (f.wireType === WireType.LengthDelimited) {
        const r = new BinaryReader(f.payload);
        while (r.pos < r.len) bits.push(r.int32());
      }
    } else {
      out.push(f.raw);
    }
  }
  if (bits.length > 0) {
    const floats = new Float32Array(bits.map((b) => retype.convertBits(b)));
    out.append(lengthDelimited(TENSOR.floatData, new Parts().push(new Uint8Array(floats.buffer))));
  }
  return out;
}

function retypeValueInfo(vi: Uint8Array, retype: RetypeCodes, depth: number): Parts {
  const out = new Parts();
  for (const f of readFields(vi, 'a value info')) {
    if (f.no === VALUE_INFO.type && f.wireType === WireType.LengthDelimited) out.append(lengthDelimited(f.no, retypeType(f.payload, retype, depth + 1)));
    else out.push(f.raw);
  }
  return out;
}

function retypeType(type: Uint8Array, retype: RetypeCodes, depth: number): Parts {
  if (depth > MAX_DEPTH) throw new RewriteError(`types nested deeper than ${MAX_DEPTH}`);
  const out = new Parts();
  for (const f of readFields(type, 'a type')) {
    if (f.wireType !== WireType.LengthDelimited) {
      out.push(f.raw);
    } else if (f.no === TYPE.tensorType || f.no === TYPE.sparseTensorType) {
      out.append(lengthDelimited(f.no, retypeElemType(f.payload, retype)));
    } else if (f.no === TYPE.sequenceType || f.no === TYPE.optionalType || f.no === TYPE.mapType) {
      // Their element (sequence/optional: field 1; map value: field 2) is itself a TypeProto.
      const inner = new Parts();
      const nested = f.no === TYPE.mapType ? MAP_TYPE.valueType : ELEM_TYPE.elemType;
      for (const g of readFields(f.payload, 'a type')) {
        if (g.no === nested && g.wireType === WireType.LengthDelimited) inner.append(lengthDelimited(g.no, retypeType(g.payload, retype, depth + 1)));
        else inner.push(g.raw);
      }
      out.append(lengthDelimited(f.no, inner));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

/** TypeProto.Tensor / SparseTensor: elem_type is field 1. */
function retypeElemType(t: Uint8Array, retype: RetypeCodes): Parts {
  const out = new Parts();
  for (const f of readFields(t, 'a tensor type')) {
    if (f.no === TENSOR_TYPE.elemType && f.wireType === WireType.Varint && f.varint === retype.from) {
      out.push(new BinaryWriter().tag(f.no, WireType.Varint).int32(retype.to).finish());
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

/** The opset import fields for the wanted domains the model does not import yet. */
function missingOpsetImports(modelFields: Field[], wanted: Record<string, number>): Uint8Array {
  const have = new Set<string>();
  for (const f of modelFields) {
    if (f.no !== MODEL.opsetImport || f.wireType !== WireType.LengthDelimited) continue;
    const d = findBytesField(readFields(f.payload, 'an opset import'), OPERATOR_SET_ID.domain);
    have.add(normaliseDomain(d ? utf8.decode(d.payload) : ''));
  }
  const w = new BinaryWriter();
  for (const [domain, version] of Object.entries(wanted)) {
    if (!have.has(normaliseDomain(domain))) writeOpsetImports(w, MODEL.opsetImport, { [domain]: version });
  }
  return w.finish();
}

function normaliseDomain(d: string): string {
  return d === '' ? 'ai.onnx' : d;
}
