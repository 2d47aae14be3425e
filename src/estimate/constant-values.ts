import { dataTypeOf } from '../onnx/data-types.js';
import type { GraphIR } from '../onnx/ir.js';
import { ATTRIBUTE, GRAPH, MODEL, NODE, TENSOR } from '../onnx/wire-fields.js';
import { BinaryReader, WireType, readFloats, readInt64s } from '../onnx/wire-reader.js';

/**
 * The values of small constant tensors of the main graph (initializers and Constant nodes' `value`
 * tensor), read from the model's bytes. The loader keeps initializers as metadata only; shape
 * inference needs a few values back: Reshape's target shape, Slice's starts, Resize's scales...
 *
 * Only tensors of at most MAX_CONSTANT_BYTES are decoded, and only integer and float types, so the
 * cost is bounded by the number of such tensors, never by the size of the weights. Damaged bytes
 * end the walk quietly: what was read so far is kept (the loader has reported the damage already).
 */
export const MAX_CONSTANT_BYTES = 1024;

/**
 * Tensor name (initializer) or Constant output name → its values, in row-major order; and, under
 * `constantOfShapeKey(output)`, the fill value of a ConstantOfShape node.
 */
export type ConstantValues = Map<string, number[]>;

/** The key of a ConstantOfShape node's fill value (its `value` attribute) in ConstantValues. */
export function constantOfShapeKey(output: string): string {
  return `${output}\u0000ConstantOfShape.value`;
}

const readableTypes = new Set<string>(['INT64', 'INT32', 'INT16', 'INT8', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'BOOL', 'FLOAT', 'DOUBLE']);

/**
 * `mainGraph`, the IR of the same bytes, says which nodes are Constants and which initializers
 * are small, so that only those are parsed (the others are skipped by their length); without it
 * every node is looked at.
 */
export function readSmallConstants(modelBytes: Uint8Array, mainGraph?: GraphIR): ConstantValues {
  const out: ConstantValues = new Map();
  try {
    const graph = findField(modelBytes, MODEL.graph);
    if (graph) readGraph(graph, out, mainGraph ? wantedOf(mainGraph) : undefined);
  } catch {
    // A damaged file: keep what was read.
  }
  return out;
}

interface Wanted {
  nodes: Set<number>;
  initializers: Set<number>;
}

function wantedOf(graph: GraphIR): Wanted {
  const nodes = new Set<number>();
  graph.nodes.forEach((n, i) => {
    if ((n.opType === 'Constant' || n.opType === 'ConstantOfShape') && n.domain === 'ai.onnx') nodes.add(i);
  });
  const initializers = new Set<number>();
  graph.initializers.forEach((t, i) => {
    if (t.location === 'inline' && t.byteSize <= MAX_CONSTANT_BYTES && readableTypes.has(t.dtype)) initializers.add(i);
  });
  return { nodes, initializers };
}

function findField(bytes: Uint8Array, fieldNo: number): Uint8Array | undefined {
  const r = new BinaryReader(bytes);
  let found: Uint8Array | undefined;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === fieldNo && wt === WireType.LengthDelimited) found = r.bytes();
    else r.skip(wt, no);
  }
  return found;
}

function readGraph(bytes: Uint8Array, out: ConstantValues, wanted: Wanted | undefined): void {
  const r = new BinaryReader(bytes);
  let nodeIndex = 0;
  let initializerIndex = 0;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (wt !== WireType.LengthDelimited) {
      r.skip(wt, no);
    } else if (no === GRAPH.initializer) {
      const field = r.bytes();
      if (wanted && !wanted.initializers.has(initializerIndex++)) continue;
      const t = readTensor(field);
      if (t) out.set(t.name, t.values);
    } else if (no === GRAPH.node) {
      const field = r.bytes();
      if (wanted && !wanted.nodes.has(nodeIndex++)) continue;
      readConstantNode(field, out);
    } else {
      r.skip(wt, no);
    }
  }
}

const CONSTANT = new TextEncoder().encode('Constant');
const CONSTANT_OF_SHAPE = new TextEncoder().encode('ConstantOfShape');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function readConstantNode(bytes: Uint8Array, out: ConstantValues): void {
  const r = new BinaryReader(bytes);
  let opType: Uint8Array | undefined;
  let domain = '';
  let output: Uint8Array | undefined;
  const attributes: Uint8Array[] = [];
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (wt !== WireType.LengthDelimited) {
      r.skip(wt, no);
      continue;
    }
    // Views only: nothing is decoded until the node is known to be a constant.
    const field = r.bytes();
    if (no === NODE.opType) opType = field;
    else if (no === NODE.domain) domain = decodeShort(field);
    else if (no === NODE.output && output === undefined) output = field;
    else if (no === NODE.attribute) attributes.push(field);
  }
  if (!opType || output === undefined || (domain !== '' && domain !== 'ai.onnx')) return;
  const isConstant = sameBytes(opType, CONSTANT);
  if (!isConstant && !sameBytes(opType, CONSTANT_OF_SHAPE)) return;
  const name = decodeShort(output);
  for (const a of attributes) {
    const t = readValueAttribute(a);
    if (t) out.set(isConstant ? name : constantOfShapeKey(name), t);
  }
}

/** The `value` attribute's tensor; other forms (value_ints...) are in the IR already. */
function readValueAttribute(bytes: Uint8Array): number[] | undefined {
  const r = new BinaryReader(bytes);
  let name = '';
  let tensor: Uint8Array | undefined;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === ATTRIBUTE.name && wt === WireType.LengthDelimited) name = decodeShort(r.bytes());
    else if (no === ATTRIBUTE.t && wt === WireType.LengthDelimited) tensor = r.bytes();
    else r.skip(wt, no);
  }
  if (name !== 'value' || !tensor) return undefined;
  return readTensor(tensor)?.values;
}

function readTensor(bytes: Uint8Array): { name: string; values: number[] } | undefined {
  // Quick size check before any decoding: a weight tensor is skipped as one length-delimited field.
  if (bytes.length > MAX_CONSTANT_BYTES * 2 + 4096) return undefined;
  const r = new BinaryReader(bytes);
  let name = '';
  let code = 0;
  let count = 1;
  let external = false;
  let raw: Uint8Array | undefined;
  const typed: number[] = [];
  let tooMany = false;
  const push = (v: number) => {
    if (typed.length >= MAX_CONSTANT_BYTES) tooMany = true;
    else typed.push(v);
  };
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    switch (no) {
      case TENSOR.dims:
        readInt64s(r, wt, 'dims', (d) => {
          count *= Math.max(0, d);
        });
        break;
      case TENSOR.dataType:
        if (wt === WireType.Varint) code = r.int32();
        else r.skip(wt, no);
        break;
      case TENSOR.name:
        if (wt === WireType.LengthDelimited) name = decodeShort(r.bytes());
        else r.skip(wt, no);
        break;
      case TENSOR.rawData:
        if (wt === WireType.LengthDelimited) raw = r.bytes();
        else r.skip(wt, no);
        break;
      case TENSOR.int64Data:
      case TENSOR.int32Data:
      case TENSOR.uint64Data:
        readInt64s(r, wt, 'data', push);
        break;
      case TENSOR.floatData:
        readFloats(r, wt, 'float_data', push);
        break;
      case TENSOR.dataLocation:
        if (wt === WireType.Varint) external = r.int32() === 1;
        else r.skip(wt, no);
        break;
      default:
        r.skip(wt, no);
    }
  }
  const type = dataTypeOf(code);
  if (external || tooMany || !type || !readableTypes.has(type.name) || !Number.isFinite(count)) return undefined;
  if (count * (type.bits / 8) > MAX_CONSTANT_BYTES) return undefined;
  if (raw) {
    const values = decodeRaw(raw, type.name, count);
    return values ? { name, values } : undefined;
  }
  if (typed.length !== count) return undefined;
  // uint64_data / int64_data of unsigned types were read as signed: small values are the same.
  return { name, values: type.name === 'BOOL' ? typed.map((v) => (v ? 1 : 0)) : typed };
}

function decodeRaw(raw: Uint8Array, type: string, count: number): number[] | undefined {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = { INT64: 8, UINT64: 8, DOUBLE: 8, INT32: 4, UINT32: 4, FLOAT: 4, INT16: 2, UINT16: 2, INT8: 1, UINT8: 1, BOOL: 1 }[type];
  if (size === undefined || raw.byteLength !== count * size) return undefined;
  const out: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    switch (type) {
      case 'INT64': out[i] = Number(view.getBigInt64(o, true)); break;
      case 'UINT64': out[i] = Number(view.getBigUint64(o, true)); break;
      case 'DOUBLE': out[i] = view.getFloat64(o, true); break;
      case 'INT32': out[i] = view.getInt32(o, true); break;
      case 'UINT32': out[i] = view.getUint32(o, true); break;
      case 'FLOAT': out[i] = view.getFloat32(o, true); break;
      case 'INT16': out[i] = view.getInt16(o, true); break;
      case 'UINT16': out[i] = view.getUint16(o, true); break;
      case 'INT8': out[i] = view.getInt8(o); break;
      default: out[i] = view.getUint8(o); break;
    }
  }
  return out;
}

const utf8 = new TextDecoder();

/** Names past 4 KiB are cut by the loader too; the same cut keeps the lookups consistent. */
function decodeShort(bytes: Uint8Array): string {
  return utf8.decode(bytes.length > 4096 ? bytes.subarray(0, 4096) : bytes);
}
