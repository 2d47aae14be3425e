import type { DataTypeName } from './data-types.js';
import type { Dim, ValueInfoIR } from './ir.js';
import { HEAP_COST, type DecodeContext } from './decode-context.js';
import { dtypeName } from './decode-tensor.js';
import { BinaryReader, WireType, expectWireType, readInt64, readMessage } from './wire-reader.js';
import { DIMENSION, ELEM_TYPE, MAP_TYPE, SHAPE, TENSOR_TYPE, TYPE, VALUE_INFO } from './wire-fields.js';

type ValueKind = ValueInfoIR['kind'];

export function decodeValueInfo(bytes: Uint8Array, ctx: DecodeContext): ValueInfoIR {
  const r = new BinaryReader(bytes);
  let name = '';
  let type: Uint8Array | undefined;
  while (r.pos < r.len) {
    const [fieldNo, wt] = r.tag();
    if (fieldNo === VALUE_INFO.name) name = ctx.name(r, wt, 'ValueInfoProto.name');
    else if (fieldNo === VALUE_INFO.type) type = readMessage(r, wt, 'ValueInfoProto.type');
    else r.skip(wt, fieldNo);
  }
  ctx.spend(HEAP_COST.valueInfo);
  if (!type) return { name, kind: 'unknown' };
  return { name, ...decodeType(type, name, ctx) };
}

/**
 * TypeProto → kind of the outer type, plus the element type and shape of the tensor at the bottom
 * (a sequence of maps of optional tensors carries that tensor's dtype). Walked as a loop over
 * ever-smaller byte ranges, so a sequence nested a million deep costs time linear in its bytes
 * and no stack.
 */
export function decodeType(
  bytes: Uint8Array,
  what: string,
  ctx: DecodeContext,
): { kind: ValueKind; dtype?: DataTypeName; dims?: Dim[] } {
  let outerKind: ValueKind | undefined;
  let dtype: DataTypeName | undefined;
  let dims: Dim[] | undefined;
  let current: Uint8Array | undefined = bytes;
  while (current) {
    const r: BinaryReader = new BinaryReader(current);
    let levelKind: ValueKind = 'unknown';
    let next: Uint8Array | undefined;
    while (r.pos < r.len) {
      const [fieldNo, wt] = r.tag();
      switch (fieldNo) {
        case TYPE.tensorType:
        case TYPE.sparseTensorType: {
          levelKind = fieldNo === TYPE.tensorType ? 'tensor' : 'sparse_tensor';
          const leaf = decodeTensorType(readMessage(r, wt, 'TypeProto.tensor_type'), what, ctx);
          dtype = leaf.dtype;
          dims = leaf.dims;
          next = undefined;
          break;
        }
        case TYPE.sequenceType:
        case TYPE.optionalType:
          levelKind = fieldNo === TYPE.sequenceType ? 'sequence' : 'optional';
          next = innerType(readMessage(r, wt, 'TypeProto.sequence_type'), ELEM_TYPE.elemType);
          break;
        case TYPE.mapType:
          levelKind = 'map';
          next = innerType(readMessage(r, wt, 'TypeProto.map_type'), MAP_TYPE.valueType);
          break;
        default:
          r.skip(wt, fieldNo);
      }
    }
    outerKind ??= levelKind;
    current = next;
  }
  return {
    kind: outerKind ?? 'unknown',
    ...(dtype !== undefined ? { dtype } : {}),
    ...(dims !== undefined ? { dims } : {}),
  };
}

/** The nested TypeProto (bytes) inside a Sequence / Optional / Map message, if any. */
function innerType(bytes: Uint8Array, fieldWanted: number): Uint8Array | undefined {
  const r = new BinaryReader(bytes);
  let inner: Uint8Array | undefined;
  while (r.pos < r.len) {
    const [fieldNo, wt] = r.tag();
    if (fieldNo === fieldWanted) inner = readMessage(r, wt, 'TypeProto element type');
    else r.skip(wt, fieldNo);
  }
  return inner;
}

function decodeTensorType(bytes: Uint8Array, what: string, ctx: DecodeContext): { dtype: DataTypeName; dims?: Dim[] } {
  const r = new BinaryReader(bytes);
  let code = 0;
  let dims: Dim[] | undefined;
  while (r.pos < r.len) {
    const [fieldNo, wt] = r.tag();
    if (fieldNo === TENSOR_TYPE.elemType) {
      expectWireType(wt, WireType.Varint, 'TypeProto.Tensor.elem_type');
      code = r.int32();
    } else if (fieldNo === TENSOR_TYPE.shape) {
      dims = decodeShape(readMessage(r, wt, 'TypeProto.Tensor.shape'), ctx);
    } else {
      r.skip(wt, fieldNo);
    }
  }
  return { dtype: dtypeName(code, `value "${what}"`, ctx), ...(dims ? { dims } : {}) };
}

function decodeShape(bytes: Uint8Array, ctx: DecodeContext): Dim[] {
  const r = new BinaryReader(bytes);
  const dims: Dim[] = [];
  while (r.pos < r.len) {
    const [fieldNo, wt] = r.tag();
    if (fieldNo !== SHAPE.dim) {
      r.skip(wt, fieldNo);
      continue;
    }
    ctx.spend(HEAP_COST.number);
    const d = new BinaryReader(readMessage(r, wt, 'TensorShapeProto.dim'));
    let dim: Dim = null;
    while (d.pos < d.len) {
      const [f, w] = d.tag();
      if (f === DIMENSION.dimValue) {
        expectWireType(w, WireType.Varint, 'Dimension.dim_value');
        dim = readInt64(d);
      } else if (f === DIMENSION.dimParam) {
        dim = ctx.name(d, w, 'Dimension.dim_param');
      } else {
        d.skip(w, f);
      }
    }
    dims.push(dim);
  }
  return dims;
}
