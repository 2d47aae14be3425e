/**
 * Every element type of ONNX's TensorProto.DataType, with what the checks need to know about it.
 * Codes follow onnx/onnx.proto; 24-26 arrived with ONNX 1.18-1.20 (IR 11-12).
 */
export type DataTypeName =
  | 'UNDEFINED' | 'FLOAT' | 'UINT8' | 'INT8' | 'UINT16' | 'INT16' | 'INT32' | 'INT64' | 'STRING'
  | 'BOOL' | 'FLOAT16' | 'DOUBLE' | 'UINT32' | 'UINT64' | 'COMPLEX64' | 'COMPLEX128' | 'BFLOAT16'
  | 'FLOAT8E4M3FN' | 'FLOAT8E4M3FNUZ' | 'FLOAT8E5M2' | 'FLOAT8E5M2FNUZ' | 'UINT4' | 'INT4'
  | 'FLOAT4E2M1' | 'FLOAT8E8M0' | 'UINT2' | 'INT2';

/** The precision family a profile talks about (profiles say `fp8: unsupported`, not each fp8 variant). */
export type PrecisionFamily =
  | 'fp64' | 'fp32' | 'fp16' | 'bf16' | 'fp8' | 'fp4' | 'int64' | 'int32' | 'int16' | 'int8' | 'int4'
  | 'int2' | 'bool' | 'string' | 'complex' | 'undefined';

export interface DataTypeInfo {
  code: number;
  name: DataTypeName;
  /** Bits per element; 0 for STRING and UNDEFINED, whose size is not fixed. */
  bits: number;
  family: PrecisionFamily;
  isFloat: boolean;
}

const table: readonly [number, DataTypeName, number, PrecisionFamily][] = [
  [0, 'UNDEFINED', 0, 'undefined'],
  [1, 'FLOAT', 32, 'fp32'],
  [2, 'UINT8', 8, 'int8'],
  [3, 'INT8', 8, 'int8'],
  [4, 'UINT16', 16, 'int16'],
  [5, 'INT16', 16, 'int16'],
  [6, 'INT32', 32, 'int32'],
  [7, 'INT64', 64, 'int64'],
  [8, 'STRING', 0, 'string'],
  [9, 'BOOL', 8, 'bool'],
  [10, 'FLOAT16', 16, 'fp16'],
  [11, 'DOUBLE', 64, 'fp64'],
  [12, 'UINT32', 32, 'int32'],
  [13, 'UINT64', 64, 'int64'],
  [14, 'COMPLEX64', 64, 'complex'],
  [15, 'COMPLEX128', 128, 'complex'],
  [16, 'BFLOAT16', 16, 'bf16'],
  [17, 'FLOAT8E4M3FN', 8, 'fp8'],
  [18, 'FLOAT8E4M3FNUZ', 8, 'fp8'],
  [19, 'FLOAT8E5M2', 8, 'fp8'],
  [20, 'FLOAT8E5M2FNUZ', 8, 'fp8'],
  [21, 'UINT4', 4, 'int4'],
  [22, 'INT4', 4, 'int4'],
  [23, 'FLOAT4E2M1', 4, 'fp4'],
  [24, 'FLOAT8E8M0', 8, 'fp8'],
  [25, 'UINT2', 2, 'int2'],
  [26, 'INT2', 2, 'int2'],
];

const floatFamilies = new Set<PrecisionFamily>(['fp64', 'fp32', 'fp16', 'bf16', 'fp8', 'fp4']);

export const DATA_TYPES: readonly DataTypeInfo[] = table.map(([code, name, bits, family]) => ({
  code, name, bits, family, isFloat: floatFamilies.has(family),
}));

const byCode = new Map(DATA_TYPES.map((t) => [t.code, t]));
const byName = new Map(DATA_TYPES.map((t) => [t.name, t]));

/** The type for a code; unknown codes (a newer spec, or a corrupt file) give undefined. */
export function dataTypeOf(code: number): DataTypeInfo | undefined {
  return byCode.get(code);
}

export function dataTypeByName(name: DataTypeName): DataTypeInfo {
  const t = byName.get(name);
  if (!t) throw new Error(`unknown data type ${name}`);
  return t;
}

/** Bytes needed for `count` elements (sub-byte types pack), or undefined for strings. */
export function byteSizeOf(name: DataTypeName, count: number): number | undefined {
  const t = byName.get(name);
  if (!t || t.bits === 0) return undefined;
  return Math.ceil((count * t.bits) / 8);
}

/** The precision family of a dtype; never throws, so a dtype name from a newer decoder reads as 'undefined'. */
export function familyOf(dtype: DataTypeName): PrecisionFamily {
  return byName.get(dtype)?.family ?? 'undefined';
}
