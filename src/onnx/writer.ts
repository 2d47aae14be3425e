import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { dataTypeByName, type DataTypeName } from './data-types.js';
import type {
  AttributeValue, FunctionSpec, GraphSpec, ModelSpec, NodeSpec, SparseTensorSpec, TensorSpec, ValueSpec,
} from './model-spec.js';
import {
  ATTRIBUTE, ATTRIBUTE_TYPE_CODES, DATA_LOCATION_EXTERNAL, DIMENSION, FUNCTION, GRAPH, MODEL, NODE,
  OPERATOR_SET_ID, SHAPE, SPARSE_TENSOR, STRING_STRING_ENTRY, TENSOR, TENSOR_TYPE, TYPE, VALUE_INFO,
} from './wire-fields.js';

/**
 * ModelSpec → ONNX ModelProto bytes, fields in field-number order like onnx's own serializer, so
 * the same spec always gives the same bytes. Tests and scripts/make-sample-models.ts use it.
 *
 * The default domain is written '' (both in opset imports and on nodes), as onnx and PyTorch write
 * it; a spec may say 'ai.onnx' or leave it out.
 */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const w = new BinaryWriter();
  w.tag(MODEL.irVersion, WireType.Varint).int64(spec.irVersion ?? 10);
  if (spec.producerName !== undefined) w.tag(MODEL.producerName, WireType.LengthDelimited).string(spec.producerName);
  if (spec.producerVersion !== undefined) {
    w.tag(MODEL.producerVersion, WireType.LengthDelimited).string(spec.producerVersion);
  }
  if (spec.docString !== undefined) w.tag(MODEL.docString, WireType.LengthDelimited).string(spec.docString);
  w.tag(MODEL.graph, WireType.LengthDelimited).fork();
  writeGraph(w, spec.graph);
  w.join();
  writeOpsetImports(w, MODEL.opsetImport, spec.opsets);
  for (const [key, value] of Object.entries(spec.metadata ?? {})) {
    w.tag(MODEL.metadataProps, WireType.LengthDelimited).fork();
    w.tag(STRING_STRING_ENTRY.key, WireType.LengthDelimited).string(key);
    w.tag(STRING_STRING_ENTRY.value, WireType.LengthDelimited).string(value);
    w.join();
  }
  for (const fn of spec.functions ?? []) {
    w.tag(MODEL.functions, WireType.LengthDelimited).fork();
    writeFunction(w, fn);
    w.join();
  }
  return w.finish();
}

function defaultDomainAsEmpty(domain: string | undefined): string {
  return domain === undefined || domain === 'ai.onnx' ? '' : domain;
}

/** One OperatorSetIdProto per domain, each as field `fieldNo` (ModelProto and FunctionProto differ). */
export function writeOpsetImports(w: BinaryWriter, fieldNo: number, opsets: Record<string, number>): void {
  for (const [domain, version] of Object.entries(opsets)) {
    w.tag(fieldNo, WireType.LengthDelimited).fork();
    w.tag(OPERATOR_SET_ID.domain, WireType.LengthDelimited).string(defaultDomainAsEmpty(domain));
    w.tag(OPERATOR_SET_ID.version, WireType.Varint).int64(version);
    w.join();
  }
}

function writeGraph(w: BinaryWriter, g: GraphSpec): void {
  for (const node of g.nodes) {
    w.tag(GRAPH.node, WireType.LengthDelimited).fork();
    writeNodeSpec(w, node);
    w.join();
  }
  w.tag(GRAPH.name, WireType.LengthDelimited).string(g.name ?? 'graph');
  for (const t of g.initializers ?? []) {
    w.tag(GRAPH.initializer, WireType.LengthDelimited).fork();
    writeTensorSpec(w, t);
    w.join();
  }
  for (const [fieldNo, values] of [
    [GRAPH.input, g.inputs],
    [GRAPH.output, g.outputs],
    [GRAPH.valueInfo, g.valueInfo ?? []],
  ] as const) {
    for (const v of values) {
      w.tag(fieldNo, WireType.LengthDelimited).fork();
      writeValueSpec(w, v);
      w.join();
    }
  }
  for (const s of g.sparseInitializers ?? []) {
    w.tag(GRAPH.sparseInitializer, WireType.LengthDelimited).fork();
    writeSparseTensor(w, s);
    w.join();
  }
}

/** The fields of a NodeProto (the caller writes the tag around them, as for the writers below). */
export function writeNodeSpec(w: BinaryWriter, n: NodeSpec): void {
  for (const input of n.inputs) w.tag(NODE.input, WireType.LengthDelimited).string(input);
  for (const output of n.outputs) w.tag(NODE.output, WireType.LengthDelimited).string(output);
  if (n.name !== undefined) w.tag(NODE.name, WireType.LengthDelimited).string(n.name);
  w.tag(NODE.opType, WireType.LengthDelimited).string(n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {})) {
    w.tag(NODE.attribute, WireType.LengthDelimited).fork();
    writeAttribute(w, name, value);
    w.join();
  }
  const domain = defaultDomainAsEmpty(n.domain);
  if (domain !== '') w.tag(NODE.domain, WireType.LengthDelimited).string(domain);
}

/** Fields in number order: name(1) f(2) i(3) s(4) t(5) g(6) floats(7) ints(8) strings(9) graphs(11) type(20) ref(21). */
function writeAttribute(w: BinaryWriter, name: string, v: AttributeValue): void {
  w.tag(ATTRIBUTE.name, WireType.LengthDelimited).string(name);
  let type: keyof typeof ATTRIBUTE_TYPE_CODES;
  if ('ref' in v) {
    type = v.type;
  } else if ('f' in v) {
    w.tag(ATTRIBUTE.f, WireType.Bit32).float(v.f);
    type = 'FLOAT';
  } else if ('i' in v) {
    w.tag(ATTRIBUTE.i, WireType.Varint).int64(v.i);
    type = 'INT';
  } else if ('s' in v) {
    w.tag(ATTRIBUTE.s, WireType.LengthDelimited).string(v.s);
    type = 'STRING';
  } else if ('t' in v) {
    w.tag(ATTRIBUTE.t, WireType.LengthDelimited).fork();
    writeTensorSpec(w, v.t);
    w.join();
    type = 'TENSOR';
  } else if ('g' in v) {
    w.tag(ATTRIBUTE.g, WireType.LengthDelimited).fork();
    writeGraph(w, v.g);
    w.join();
    type = 'GRAPH';
  } else if ('floats' in v) {
    for (const f of v.floats) w.tag(ATTRIBUTE.floats, WireType.Bit32).float(f);
    type = 'FLOATS';
  } else if ('ints' in v) {
    for (const i of v.ints) w.tag(ATTRIBUTE.ints, WireType.Varint).int64(i);
    type = 'INTS';
  } else if ('strings' in v) {
    for (const s of v.strings) w.tag(ATTRIBUTE.strings, WireType.LengthDelimited).string(s);
    type = 'STRINGS';
  } else {
    for (const g of v.graphs) {
      w.tag(ATTRIBUTE.graphs, WireType.LengthDelimited).fork();
      writeGraph(w, g);
      w.join();
    }
    type = 'GRAPHS';
  }
  w.tag(ATTRIBUTE.type, WireType.Varint).int32(ATTRIBUTE_TYPE_CODES[type]);
  if ('ref' in v) w.tag(ATTRIBUTE.refAttrName, WireType.LengthDelimited).string(v.ref);
}

/** float_data, int32_data and int64_data are `[packed = true]` in onnx.proto; dims are not. */
export function writeTensorSpec(w: BinaryWriter, t: TensorSpec): void {
  for (const d of t.dims) w.tag(TENSOR.dims, WireType.Varint).int64(d);
  w.tag(TENSOR.dataType, WireType.Varint).int32(dataTypeByName(t.dtype).code);
  if (t.floats) {
    w.tag(TENSOR.floatData, WireType.LengthDelimited).fork();
    for (const f of t.floats) w.float(f);
    w.join();
  }
  if (t.int32s) {
    w.tag(TENSOR.int32Data, WireType.LengthDelimited).fork();
    for (const i of t.int32s) w.int32(i);
    w.join();
  }
  if (t.int64s) {
    w.tag(TENSOR.int64Data, WireType.LengthDelimited).fork();
    for (const i of t.int64s) w.int64(i);
    w.join();
  }
  w.tag(TENSOR.name, WireType.LengthDelimited).string(t.name);
  if (t.raw) w.tag(TENSOR.rawData, WireType.LengthDelimited).bytes(t.raw);
  if (t.external) {
    const entries: [string, string][] = [['location', t.external.location]];
    if (t.external.offset !== undefined) entries.push(['offset', String(t.external.offset)]);
    if (t.external.length !== undefined) entries.push(['length', String(t.external.length)]);
    for (const [key, value] of entries) {
      w.tag(TENSOR.externalData, WireType.LengthDelimited).fork();
      w.tag(STRING_STRING_ENTRY.key, WireType.LengthDelimited).string(key);
      w.tag(STRING_STRING_ENTRY.value, WireType.LengthDelimited).string(value);
      w.join();
    }
    w.tag(TENSOR.dataLocation, WireType.Varint).int32(DATA_LOCATION_EXTERNAL);
  }
}

function writeSparseTensor(w: BinaryWriter, s: SparseTensorSpec): void {
  w.tag(SPARSE_TENSOR.values, WireType.LengthDelimited).fork();
  writeTensorSpec(w, s.values);
  w.join();
  w.tag(SPARSE_TENSOR.indices, WireType.LengthDelimited).fork();
  writeTensorSpec(w, s.indices);
  w.join();
  for (const d of s.dims) w.tag(SPARSE_TENSOR.dims, WireType.Varint).int64(d);
}

/**
 * Without a dtype only the name is written: the rewriter adds graph outputs that way and lets ONNX
 * Runtime infer their type.
 */
export function writeValueSpec(w: BinaryWriter, v: Omit<ValueSpec, 'dtype'> & { dtype?: DataTypeName }): void {
  w.tag(VALUE_INFO.name, WireType.LengthDelimited).string(v.name);
  if (v.dtype === undefined) return;
  w.tag(VALUE_INFO.type, WireType.LengthDelimited).fork();
  w.tag(TYPE.tensorType, WireType.LengthDelimited).fork();
  w.tag(TENSOR_TYPE.elemType, WireType.Varint).int32(dataTypeByName(v.dtype).code);
  if (v.dims) {
    // An empty shape (a scalar) is still written: no shape at all means unknown rank.
    w.tag(TENSOR_TYPE.shape, WireType.LengthDelimited).fork();
    for (const d of v.dims) {
      w.tag(SHAPE.dim, WireType.LengthDelimited).fork();
      if (typeof d === 'number') w.tag(DIMENSION.dimValue, WireType.Varint).int64(d);
      else if (typeof d === 'string') w.tag(DIMENSION.dimParam, WireType.LengthDelimited).string(d);
      w.join();
    }
    w.join();
  }
  w.join();
  w.join();
}

function writeFunction(w: BinaryWriter, fn: FunctionSpec): void {
  w.tag(FUNCTION.name, WireType.LengthDelimited).string(fn.name);
  for (const i of fn.inputs) w.tag(FUNCTION.input, WireType.LengthDelimited).string(i);
  for (const o of fn.outputs) w.tag(FUNCTION.output, WireType.LengthDelimited).string(o);
  for (const a of fn.attributes ?? []) w.tag(FUNCTION.attribute, WireType.LengthDelimited).string(a);
  for (const node of fn.nodes) {
    w.tag(FUNCTION.node, WireType.LengthDelimited).fork();
    writeNodeSpec(w, node);
    w.join();
  }
  writeOpsetImports(w, FUNCTION.opsetImport, fn.opsets);
  w.tag(FUNCTION.domain, WireType.LengthDelimited).string(fn.domain);
}
