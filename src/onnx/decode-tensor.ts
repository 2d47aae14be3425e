import { byteSizeOf, dataTypeOf, type DataTypeName } from './data-types.js';
import type { ExternalDataRef, TensorMetaIR } from './ir.js';
import { HEAP_COST, type DecodeContext } from './decode-context.js';
import { WireType, countValues, eachInt64, expectWireType, type WireReader } from './wire-reader.js';
import { DATA_LOCATION_EXTERNAL, SPARSE_TENSOR, STRING_STRING_ENTRY, TENSOR } from './wire-fields.js';

/**
 * TensorProto → metadata. The payload (raw_data, float_data, ...) is measured, never decoded or
 * copied: that is what keeps a 2 GB model from costing 2 GB of heap a second time.
 */
export function decodeTensorMeta(r: WireReader, ctx: DecodeContext): TensorMetaIR {
  ctx.spend(HEAP_COST.tensor);
  const dims: number[] = [];
  let dataTypeCode = 0;
  let name = '';
  let rawBytes: number | undefined;
  let typedCount = 0;
  let stringBytes = 0;
  let dataLocation = 0;
  const externalEntries: [string, string][] = [];

  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    switch (fieldNo) {
      case TENSOR.dims:
        eachInt64(r, wt, 'TensorProto.dims', (d) => {
          ctx.spend(HEAP_COST.number);
          dims.push(d);
        });
        break;
      case TENSOR.dataType:
        expectWireType(wt, WireType.Varint, 'TensorProto.data_type');
        dataTypeCode = r.int32();
        break;
      case TENSOR.floatData:
        typedCount += countValues(r, wt, 'TensorProto.float_data', WireType.Bit32);
        break;
      case TENSOR.int32Data:
        typedCount += countValues(r, wt, 'TensorProto.int32_data', WireType.Varint);
        break;
      case TENSOR.int64Data:
        typedCount += countValues(r, wt, 'TensorProto.int64_data', WireType.Varint);
        break;
      case TENSOR.uint64Data:
        typedCount += countValues(r, wt, 'TensorProto.uint64_data', WireType.Varint);
        break;
      case TENSOR.doubleData:
        typedCount += countValues(r, wt, 'TensorProto.double_data', WireType.Bit64);
        break;
      case TENSOR.stringData: {
        const start = r.span(wt, 'TensorProto.string_data');
        stringBytes += r.pos - start;
        typedCount++;
        break;
      }
      case TENSOR.name:
        name = ctx.name(r, wt, 'TensorProto.name');
        break;
      case TENSOR.rawData: {
        const start = r.span(wt, 'TensorProto.raw_data');
        rawBytes = r.pos - start;
        break;
      }
      case TENSOR.externalData:
        externalEntries.push(within(r, wt, 'TensorProto.external_data', ctx, decodeStringEntry));
        break;
      case TENSOR.dataLocation:
        expectWireType(wt, WireType.Varint, 'TensorProto.data_location');
        dataLocation = r.int32();
        break;
      default:
        r.skip(wt, fieldNo);
    }
  }

  const dtype = dtypeName(dataTypeCode, `tensor "${name}"`, ctx);
  const elementCount = elementCountOf(dims, `tensor "${name}"`, ctx);
  const declaredBytes = dtype === 'STRING' ? stringBytes : (byteSizeOf(dtype, elementCount) ?? 0);

  if (dataLocation === DATA_LOCATION_EXTERNAL) {
    const external = externalRefOf(externalEntries, name, ctx);
    return {
      name, dtype, dims, elementCount,
      byteSize: external.length ?? declaredBytes,
      location: 'external',
      external,
    };
  }
  if (externalEntries.length > 0) {
    ctx.warn(`tensor "${name}" has external_data entries but data_location is not EXTERNAL; they are ignored`);
  }
  if (rawBytes !== undefined && dtype !== 'STRING' && dtype !== 'UNDEFINED' && rawBytes !== declaredBytes) {
    ctx.warn(`tensor "${name}" has ${rawBytes} bytes of raw_data but its dims and ${dtype} need ${declaredBytes}`);
  } else if (rawBytes === undefined && typedCount > 0 && !isPackedSubByte(dtype)) {
    // Complex numbers take two floats/doubles each.
    const expected = dtype === 'COMPLEX64' || dtype === 'COMPLEX128' ? elementCount * 2 : elementCount;
    if (typedCount !== expected) {
      ctx.warn(`tensor "${name}" holds ${typedCount} values but its dims say ${elementCount}`);
    }
  }
  return {
    name, dtype, dims, elementCount,
    byteSize: rawBytes ?? declaredBytes,
    location: 'inline',
  };
}

/**
 * SparseTensorProto → metadata of the dense tensor it stands for: dims and element count are the
 * dense ones, byteSize is what is stored (values + indices), name and dtype come from `values`.
 */
export function decodeSparseTensorMeta(r: WireReader, ctx: DecodeContext): TensorMetaIR {
  let values: TensorMetaIR | undefined;
  let indices: TensorMetaIR | undefined;
  const dims: number[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    switch (fieldNo) {
      case SPARSE_TENSOR.values:
        values = within(r, wt, 'SparseTensorProto.values', ctx, decodeTensorMeta);
        break;
      case SPARSE_TENSOR.indices:
        indices = within(r, wt, 'SparseTensorProto.indices', ctx, decodeTensorMeta);
        break;
      case SPARSE_TENSOR.dims:
        eachInt64(r, wt, 'SparseTensorProto.dims', (d) => {
          ctx.spend(HEAP_COST.number);
          dims.push(d);
        });
        break;
      default:
        r.skip(wt, fieldNo);
    }
  }
  const name = values?.name ?? '';
  if (!values) ctx.warn(`sparse tensor has no values tensor`);
  const external = values?.external;
  return {
    name,
    dtype: values?.dtype ?? 'UNDEFINED',
    dims,
    elementCount: elementCountOf(dims, `sparse tensor "${name}"`, ctx),
    byteSize: (values?.byteSize ?? 0) + (indices?.byteSize ?? 0),
    location: external || indices?.external ? 'external' : 'inline',
    ...(external ? { external } : {}),
    ...(indices ? { sparseIndices: { byteSize: indices.byteSize, ...(indices.external ? { external: indices.external } : {}) } } : {}),
  };
}

/** A DataType code → its name; an unknown code is a warning and UNDEFINED. */
export function dtypeName(code: number, what: string, ctx: DecodeContext): DataTypeName {
  const info = dataTypeOf(code);
  if (info) return info.name;
  ctx.warn(`${what} has unknown data type code ${code} (a newer ONNX, or a damaged file)`);
  return 'UNDEFINED';
}

/**
 * Product of dims, saturating at Infinity past 2^53 so that hostile dims (2^60, ...) never turn
 * into an allocation or a wrapped-around small number. A negative dim is invalid: count 0.
 */
export function elementCountOf(dims: readonly number[], what: string, ctx: DecodeContext): number {
  let count = 1;
  for (const d of dims) {
    if (d < 0) {
      ctx.warn(`${what} has a negative dimension ${d}`);
      return 0;
    }
    if (d === 0) return 0;
  }
  for (const d of dims) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return count;
}

/** INT4/UINT4/FLOAT4E2M1/INT2/UINT2 in int32_data pack several values per number. */
function isPackedSubByte(dtype: DataTypeName): boolean {
  return dtype === 'INT4' || dtype === 'UINT4' || dtype === 'FLOAT4E2M1' || dtype === 'INT2' || dtype === 'UINT2';
}

export function decodeStringEntry(r: WireReader, ctx: DecodeContext): [string, string] {
  let key = '';
  let value = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    if (fieldNo === STRING_STRING_ENTRY.key) key = ctx.name(r, wt, 'StringStringEntryProto.key');
    else if (fieldNo === STRING_STRING_ENTRY.value) value = ctx.name(r, wt, 'StringStringEntryProto.value');
    else r.skip(wt, fieldNo);
  }
  return [key, value];
}

/** external_data key/value pairs → ExternalDataRef; bad numbers become a `problem`, not an error. */
function externalRefOf(entries: readonly [string, string][], tensorName: string, ctx: DecodeContext): ExternalDataRef {
  const get = (key: string) => entries.find(([k]) => k === key)?.[1];
  const location = get('location') ?? '';
  const ref: ExternalDataRef = { location, offset: 0 };
  const problems: string[] = [];
  if (location === '') problems.push('its external_data has no location');
  // Which of two entries counts is up to the reader; ONNX Runtime refuses such a tensor outright.
  for (const key of ['location', 'offset', 'length']) {
    const count = entries.filter(([k]) => k === key).length;
    if (count > 1) problems.push(`its external_data has ${count} '${key}' entries`);
  }
  const offset = get('offset');
  if (offset !== undefined) {
    const n = parseByteCount(offset);
    if (n === undefined) problems.push(`its external_data offset "${offset}" is not a byte count`);
    else ref.offset = n;
  }
  const length = get('length');
  if (length !== undefined) {
    const n = parseByteCount(length);
    if (n === undefined) problems.push(`its external_data length "${length}" is not a byte count`);
    else ref.length = n;
  }
  if (problems.length > 0) {
    ref.problem = problems.join('; ');
    ctx.warn(`tensor "${tensorName}": ${ref.problem}`);
  }
  return ref;
}

function parseByteCount(text: string): number | undefined {
  if (!/^\d{1,20}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** Decodes the length-delimited field at `r` (header read, wire type `wt`) with `decode`. */
export function within<T>(r: WireReader, wt: number, field: string, ctx: DecodeContext, decode: (r: WireReader, ctx: DecodeContext) => T): T {
  const outer = r.enter(wt, field);
  const value = decode(r, ctx);
  r.leave(outer);
  return value;
}
