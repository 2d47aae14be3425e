import { bf16BitsToFloat, halfBitsToFloat } from '../../../src/onnx/float-bits.js';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { dataTypeByName, type DataTypeName } from '../../../src/onnx/data-types.js';
import type { Dim } from '../../../src/onnx/ir.js';
import type { AttributeValue, NodeSpec, TensorSpec } from '../../../src/onnx/model-spec.js';

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

/** The model bytes cannot be rewritten as asked (corrupt, too deep, or an edit that makes no sense). */
export class RewriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RewriteError';
  }
}

// Field numbers from onnx/onnx.proto.
const MODEL = { opsetImport: 8, graph: 7, functions: 25 } as const;
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13, sparseInitializer: 15 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
const FUNCTION = { node: 7, valueInfo: 12 } as const;
const ATTR = {
  name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, floats: 7, ints: 8, strings: 9, tensors: 10, graphs: 11,
  tp: 14, typeProtos: 15, type: 20, refAttrName: 21, sparseTensor: 22, sparseTensors: 23,
} as const;
const TENSOR = {
  dims: 1, dataType: 2, floatData: 4, int32Data: 5, int64Data: 7, name: 8, rawData: 9,
  externalData: 13, dataLocation: 14,
} as const;
const TYPE = { tensor: 1, sequence: 4, map: 5, sparseTensor: 8, optional: 9 } as const;
const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** Ops whose attribute holds an element type code that must follow a retype. */
const DTYPE_ATTRIBUTES: Record<string, string> = {
  Cast: 'to', EyeLike: 'dtype', RandomNormal: 'dtype', RandomUniform: 'dtype',
  RandomNormalLike: 'dtype', RandomUniformLike: 'dtype', Bernoulli: 'dtype', Multinomial: 'dtype',
};

/** Bounds the recursion through nested subgraphs and types, which a hostile file can make deep. */
const MAX_DEPTH = 64;

/** Output under construction: slices of the input plus small new pieces, concatenated once. */
class Parts {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  push(chunk: Uint8Array): this {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
    return this;
  }
  append(other: Parts): this {
    for (const c of other.chunks) this.push(c);
    return this;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

interface Field {
  no: number;
  wireType: WireType;
  /** The whole field: tag, length and payload. */
  raw: Uint8Array;
  /** The payload of a length-delimited field (empty otherwise). */
  payload: Uint8Array;
  /** The value of a varint field (as a number; codes and counts only). */
  varint: number;
}

function readFields(bytes: Uint8Array, what: string): Field[] {
  const reader = new BinaryReader(bytes);
  const fields: Field[] = [];
  try {
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const [no, wireType] = reader.tag();
      let payload = EMPTY;
      let varint = 0;
      if (wireType === WireType.LengthDelimited) {
        const len = reader.uint32();
        const from = reader.pos;
        if (from + len > reader.len) throw new Error('length past the end');
        reader.pos = from + len;
        payload = bytes.subarray(from, from + len);
      } else if (wireType === WireType.Varint) {
        varint = Number(reader.uint64());
      } else {
        reader.skip(wireType, no);
      }
      fields.push({ no, wireType, raw: bytes.subarray(start, reader.pos), payload, varint });
    }
  } catch (e) {
    throw new RewriteError(`cannot parse ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return fields;
}

const EMPTY: Uint8Array = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: false });

function lengthDelimited(no: number, inner: Parts): Parts {
  const head = new BinaryWriter().tag(no, WireType.LengthDelimited).uint32(inner.length).finish();
  return new Parts().push(head).append(inner);
}

function message(no: number, write: (w: BinaryWriter) => void): Uint8Array {
  const w = new BinaryWriter();
  w.tag(no, WireType.LengthDelimited).fork();
  write(w);
  w.join();
  return w.finish();
}

/**
 * Rewrites an ONNX model's bytes. Throws RewriteError when the bytes are not a model it can walk or
 * an edit cannot be applied (e.g. retyping an initializer whose data lives in an external file).
 */
export function rewriteModel(bytes: Uint8Array, edits: RewriteEdits): Uint8Array {
  const fields = readFields(bytes, 'the model');
  const graphs = fields.filter((f) => f.no === MODEL.graph && f.wireType === WireType.LengthDelimited);
  if (graphs.length !== 1) {
    throw new RewriteError(`expected one main graph in the model, found ${graphs.length}`);
  }
  const retype = edits.retype ? retypeCodes(edits.retype) : undefined;
  const out = new Parts();
  for (const f of fields) {
    if (f.no === MODEL.graph && f.wireType === WireType.LengthDelimited) {
      out.append(lengthDelimited(MODEL.graph, rewriteMainGraph(f.payload, edits, retype)));
    } else if (f.no === MODEL.functions && f.wireType === WireType.LengthDelimited && retype) {
      out.append(lengthDelimited(MODEL.functions, retypeFunction(f.payload, retype)));
    } else {
      out.push(f.raw);
    }
  }
  for (const imp of missingOpsetImports(fields, edits.addOpsetImports ?? {})) out.push(imp);
  return out.concat();
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
  for (const node of edits.appendNodes ?? []) out.push(message(GRAPH.node, (w) => writeNode(w, node)));
  for (const t of edits.appendInitializers ?? []) out.push(message(GRAPH.initializer, (w) => writeTensor(w, t)));
  for (const o of edits.addOutputs ?? []) {
    const spec = typeof o === 'string' ? { name: o } : o;
    out.push(message(GRAPH.output, (w) => writeValueInfo(w, spec)));
  }
  return out;
}

function valueInfoName(payload: Uint8Array): string {
  const name = readFields(payload, 'a value info').find((f) => f.no === 1 && f.wireType === WireType.LengthDelimited);
  return name ? utf8.decode(name.payload) : '';
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
  const opTypeField = fields.find((f) => f.no === NODE.opType && f.wireType === WireType.LengthDelimited);
  const opType = opTypeField ? utf8.decode(opTypeField.payload) : '';
  const out = new Parts();
  for (const f of fields) {
    if (f.no === NODE.output && f.wireType === WireType.LengthDelimited && renames.size > 0) {
      const renamed = renames.get(utf8.decode(f.payload));
      out.push(renamed === undefined ? f.raw : new BinaryWriter().tag(NODE.output, WireType.LengthDelimited).string(renamed).finish());
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
  const nameField = fields.find((f) => f.no === ATTR.name && f.wireType === WireType.LengthDelimited);
  const name = nameField ? utf8.decode(nameField.payload) : '';
  const isDtypeAttr = DTYPE_ATTRIBUTES[opType] === name;
  const out = new Parts();
  for (const f of fields) {
    if (f.no === ATTR.i && f.wireType === WireType.Varint && isDtypeAttr && f.varint === retype.from) {
      out.push(new BinaryWriter().tag(ATTR.i, WireType.Varint).int64(retype.to).finish());
    } else if (f.wireType !== WireType.LengthDelimited) {
      out.push(f.raw);
    } else if (f.no === ATTR.t || f.no === ATTR.tensors) {
      out.append(lengthDelimited(f.no, retypeTensor(f.payload, retype)));
    } else if (f.no === ATTR.sparseTensor || f.no === ATTR.sparseTensors) {
      out.append(lengthDelimited(f.no, retypeSparseTensor(f.payload, retype)));
    } else if (f.no === ATTR.g || f.no === ATTR.graphs) {
      out.append(lengthDelimited(f.no, retypeSubgraph(f.payload, retype, depth + 1)));
    } else if (f.no === ATTR.tp || f.no === ATTR.typeProtos) {
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
    // Field 1 holds the values; the indices (field 2) are integers and stay.
    if (f.no === 1 && f.wireType === WireType.LengthDelimited) out.append(lengthDelimited(1, retypeTensor(f.payload, retype)));
    else out.push(f.raw);
  }
  return out;
}

function retypeTensor(tensor: Uint8Array, retype: RetypeCodes): Parts {
  const fields = readFields(tensor, 'a tensor');
  const dataType = fields.find((f) => f.no === TENSOR.dataType && f.wireType === WireType.Varint);
  if (!dataType || dataType.varint !== retype.from) return new Parts().push(tensor);
  const nameField = fields.find((f) => f.no === TENSOR.name && f.wireType === WireType.LengthDelimited);
  const name = nameField ? utf8.decode(nameField.payload) : '(unnamed)';
  const external = fields.some((f) => f.no === TENSOR.dataLocation && f.wireType === WireType.Varint && f.varint === 1);
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
    if (f.no === 2 && f.wireType === WireType.LengthDelimited) out.append(lengthDelimited(2, retypeType(f.payload, retype, depth + 1)));
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
    } else if (f.no === TYPE.tensor || f.no === TYPE.sparseTensor) {
      out.append(lengthDelimited(f.no, retypeElemType(f.payload, retype)));
    } else if (f.no === TYPE.sequence || f.no === TYPE.optional || f.no === TYPE.map) {
      // Their element (sequence/optional: field 1; map value: field 2) is itself a TypeProto.
      const inner = new Parts();
      const nested = f.no === TYPE.map ? 2 : 1;
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
    if (f.no === 1 && f.wireType === WireType.Varint && f.varint === retype.from) {
      out.push(new BinaryWriter().tag(1, WireType.Varint).int32(retype.to).finish());
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

function missingOpsetImports(modelFields: Field[], wanted: Record<string, number>): Uint8Array[] {
  const have = new Set<string>();
  for (const f of modelFields) {
    if (f.no !== MODEL.opsetImport || f.wireType !== WireType.LengthDelimited) continue;
    const d = readFields(f.payload, 'an opset import').find((g) => g.no === 1 && g.wireType === WireType.LengthDelimited);
    have.add(normaliseDomain(d ? utf8.decode(d.payload) : ''));
  }
  const out: Uint8Array[] = [];
  for (const [domain, version] of Object.entries(wanted)) {
    const d = normaliseDomain(domain);
    if (have.has(d)) continue;
    out.push(message(MODEL.opsetImport, (w) => {
      w.tag(1, WireType.LengthDelimited).string(d === 'ai.onnx' ? '' : d);
      w.tag(2, WireType.Varint).int64(version);
    }));
  }
  return out;
}

function normaliseDomain(d: string): string {
  return d === '' ? 'ai.onnx' : d;
}

function writeValueInfo(w: BinaryWriter, spec: OutputSpec): void {
  w.tag(1, WireType.LengthDelimited).string(spec.name);
  if (spec.dtype === undefined) return;
  w.tag(2, WireType.LengthDelimited).fork(); // TypeProto
  w.tag(TYPE.tensor, WireType.LengthDelimited).fork(); // TypeProto.Tensor
  w.tag(1, WireType.Varint).int32(dataTypeByName(spec.dtype).code);
  if (spec.dims) {
    w.tag(2, WireType.LengthDelimited).fork(); // TensorShapeProto
    for (const d of spec.dims) {
      w.tag(1, WireType.LengthDelimited).fork();
      if (typeof d === 'number') w.tag(1, WireType.Varint).int64(d);
      else if (typeof d === 'string') w.tag(2, WireType.LengthDelimited).string(d);
      w.join();
    }
    w.join();
  }
  w.join().join();
}

function writeNode(w: BinaryWriter, node: NodeSpec): void {
  for (const i of node.inputs) w.tag(NODE.input, WireType.LengthDelimited).string(i);
  for (const o of node.outputs) w.tag(NODE.output, WireType.LengthDelimited).string(o);
  if (node.name) w.tag(NODE.name, WireType.LengthDelimited).string(node.name);
  w.tag(NODE.opType, WireType.LengthDelimited).string(node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.tag(NODE.attribute, WireType.LengthDelimited).fork();
    writeAttribute(w, name, value);
    w.join();
  }
  const domain = node.domain === undefined || node.domain === 'ai.onnx' ? '' : node.domain;
  if (domain) w.tag(NODE.domain, WireType.LengthDelimited).string(domain);
}

function writeAttribute(w: BinaryWriter, name: string, value: AttributeValue): void {
  w.tag(ATTR.name, WireType.LengthDelimited).string(name);
  if ('ref' in value) {
    w.tag(ATTR.refAttrName, WireType.LengthDelimited).string(value.ref);
    w.tag(ATTR.type, WireType.Varint).int32(ATTR_TYPE[value.type]);
  } else if ('i' in value) {
    w.tag(ATTR.i, WireType.Varint).int64(value.i);
    w.tag(ATTR.type, WireType.Varint).int32(ATTR_TYPE.INT);
  } else if ('f' in value) {
    w.tag(ATTR.f, WireType.Bit32).float(value.f);
    w.tag(ATTR.type, WireType.Varint).int32(ATTR_TYPE.FLOAT);
  } else if ('s' in value) {
    w.tag(ATTR.s, WireType.LengthDelimited).string(value.s);
    w.tag(ATTR.type, WireType.Varint).int32(ATTR_TYPE.STRING);
  } else if ('ints' in value) {
    for (const v of value.ints) w.tag(ATTR.ints, WireType.Varint).int64(v);
    w.tag(ATTR.type, WireType.Varint).int32(ATTR_TYPE.INTS);
  } else if ('floats' in value) {
    for (const v of value.floats) w.tag(ATTR.floats, WireType.Bit32).float(v);
    w.tag(ATTR.type, WireType.Varint).int32(ATTR_TYPE.FLOATS);
  } else if ('strings' in value) {
    for (const v of value.strings) w.tag(ATTR.strings, WireType.LengthDelimited).string(v);
    w.tag(ATTR.type, WireType.Varint).int32(ATTR_TYPE.STRINGS);
  } else if ('t' in value) {
    w.tag(ATTR.t, WireType.LengthDelimited).fork();
    writeTensor(w, value.t);
    w.join();
    w.tag(ATTR.type, WireType.Varint).int32(ATTR_TYPE.TENSOR);
  } else {
    throw new RewriteError(`attribute '${name}': graph attributes cannot be appended by the rewriter`);
  }
}

function writeTensor(w: BinaryWriter, t: TensorSpec): void {
  if (t.external) throw new RewriteError(`tensor '${t.name}': external data cannot be appended by the rewriter`);
  for (const d of t.dims) w.tag(TENSOR.dims, WireType.Varint).int64(d);
  w.tag(TENSOR.dataType, WireType.Varint).int32(dataTypeByName(t.dtype).code);
  w.tag(TENSOR.name, WireType.LengthDelimited).string(t.name);
  if (t.raw) w.tag(TENSOR.rawData, WireType.LengthDelimited).bytes(t.raw);
  if (t.floats) {
    w.tag(TENSOR.floatData, WireType.LengthDelimited).fork();
    for (const v of t.floats) w.float(v);
    w.join();
  }
  if (t.int32s) {
    w.tag(TENSOR.int32Data, WireType.LengthDelimited).fork();
    for (const v of t.int32s) w.int32(v);
    w.join();
  }
  if (t.int64s) {
    w.tag(TENSOR.int64Data, WireType.LengthDelimited).fork();
    for (const v of t.int64s) w.int64(v);
    w.join();
  }
}
