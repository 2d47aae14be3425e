import type { DataTypeName } from './data-types.js';
import type { Dim, ValueInfoIR } from './ir.js';
import { HEAP_COST, type DecodeContext } from './decode-context.js';
import { dtypeName } from './decode-tensor.js';
import { WireType, expectWireType, type WireReader } from './wire-reader.js';
import { DIMENSION, ELEM_TYPE, MAP_TYPE, SHAPE, TENSOR_TYPE, TYPE, VALUE_INFO } from './wire-fields.js';

type ValueKind = ValueInfoIR['kind'];

export function decodeValueInfo(r: WireReader, ctx: DecodeContext): ValueInfoIR {
  let name = '';
  let typeStart = -1;
  let typeEnd = -1;
  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    if (fieldNo === VALUE_INFO.name) name = ctx.name(r, wt, 'ValueInfoProto.name');
    else if (fieldNo === VALUE_INFO.type) {
      typeStart = r.span(wt, 'ValueInfoProto.type');
      typeEnd = r.pos;
    } else r.skip(wt, fieldNo);
  }
  // A graph input, output or value_info entry names a value the later stages track, as a node output does.
  ctx.spend(HEAP_COST.valueInfo + HEAP_COST.value);
  if (typeStart < 0) return { name, kind: 'unknown' };
  // The type is read after the name, which its warnings quote; then the reader goes back to where it was.
  const pos = r.pos;
  const end = r.end;
  const type = decodeType(r, typeStart, typeEnd, name, ctx);
  r.pos = pos;
  r.end = end;
  return { name, ...type };
}

/**
 * TypeProto (buf[start, end)) → kind of the outer type, plus the element type and shape of the
 * tensor at the bottom (a sequence of maps of optional tensors carries that tensor's dtype).
 * Walked as a loop over ever-smaller byte ranges, so a sequence nested a million deep costs time
 * linear in its bytes and no stack.
 */
export function decodeType(
  r: WireReader,
  start: number,
  end: number,
  what: string,
  ctx: DecodeContext,
): { kind: ValueKind; dtype?: DataTypeName; dims?: Dim[] } {
  let outerKind: ValueKind | undefined;
  let dtype: DataTypeName | undefined;
  let dims: Dim[] | undefined;
  let next = start;
  let nextEnd = end;
  while (next >= 0) {
    r.pos = next;
    r.end = nextEnd;
    next = -1;
    let levelKind: ValueKind = 'unknown';
    while (r.pos < r.end) {
      const tag = r.tag();
      const fieldNo = tag >>> 3;
      const wt = tag & 7;
      switch (fieldNo) {
        case TYPE.tensorType:
        case TYPE.sparseTensorType: {
          levelKind = fieldNo === TYPE.tensorType ? 'tensor' : 'sparse_tensor';
          const outer = r.enter(wt, 'TypeProto.tensor_type');
          const leaf = decodeTensorType(r, what, ctx);
          r.leave(outer);
          dtype = leaf.dtype;
          dims = leaf.dims;
          next = -1;
          break;
        }
        case TYPE.sequenceType:
        case TYPE.optionalType:
        case TYPE.mapType: {
          levelKind = fieldNo === TYPE.sequenceType ? 'sequence' : fieldNo === TYPE.optionalType ? 'optional' : 'map';
          const outer = r.enter(wt, fieldNo === TYPE.mapType ? 'TypeProto.map_type' : 'TypeProto.sequence_type');
          const inner = innerType(r, fieldNo === TYPE.mapType ? MAP_TYPE.valueType : ELEM_TYPE.elemType);
          r.leave(outer);
          next = inner.start;
          nextEnd = inner.end;
          break;
        }
        default:
          r.skip(wt, fieldNo);
      }
    }
    outerKind ??= levelKind;
  }
  return {
    kind: outerKind ?? 'unknown',
    ...(dtype !== undefined ? { dtype } : {}),
    ...(dims !== undefined ? { dims } : {}),
  };
}

/** The range of the nested TypeProto inside the Sequence / Optional / Map message `r` is in (start -1: none). */
function innerType(r: WireReader, fieldWanted: number): { start: number; end: number } {
  let start = -1;
  let end = -1;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === fieldWanted) {
      start = r.span(tag & 7, 'TypeProto element type');
      end = r.pos;
    } else r.skip(tag & 7, tag >>> 3);
  }
  return { start, end };
}

function decodeTensorType(r: WireReader, what: string, ctx: DecodeContext): { dtype: DataTypeName; dims?: Dim[] } {
  let code = 0;
  let dims: Dim[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    if (fieldNo === TENSOR_TYPE.elemType) {
      expectWireType(wt, WireType.Varint, 'TypeProto.Tensor.elem_type');
      code = r.int32();
    } else if (fieldNo === TENSOR_TYPE.shape) {
      const outer = r.enter(wt, 'TypeProto.Tensor.shape');
      dims = decodeShape(r, ctx);
      r.leave(outer);
    } else {
      r.skip(wt, fieldNo);
    }
  }
  return { dtype: dtypeName(code, `value "${what}"`, ctx), ...(dims ? { dims } : {}) };
}

function decodeShape(r: WireReader, ctx: DecodeContext): Dim[] {
  const dims: Dim[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    if (fieldNo !== SHAPE.dim) {
      r.skip(wt, fieldNo);
      continue;
    }
    ctx.spend(HEAP_COST.number);
    const outer = r.enter(wt, 'TensorShapeProto.dim');
    let dim: Dim = null;
    while (r.pos < r.end) {
      const t = r.tag();
      const f = t >>> 3;
      const w = t & 7;
      if (f === DIMENSION.dimValue) {
        expectWireType(w, WireType.Varint, 'Dimension.dim_value');
        dim = r.int64();
      } else if (f === DIMENSION.dimParam) {
        dim = ctx.name(r, w, 'Dimension.dim_param');
      } else {
        r.skip(w, f);
      }
    }
    r.leave(outer);
    dims.push(dim);
  }
  return dims;
}
