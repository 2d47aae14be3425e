import { float16Bits } from '../onnx/float-bits.js';
import type { DataTypeName } from '../onnx/data-types.js';

/** onnxruntime-node's tensor type names, for the ONNX types it can feed and fetch. */
export type OrtTypeName =
  | 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32'
  | 'int64' | 'uint64' | 'bool' | 'string';

export const ORT_TYPE: Partial<Record<DataTypeName, OrtTypeName>> = {
  FLOAT: 'float32', DOUBLE: 'float64', FLOAT16: 'float16', INT8: 'int8', UINT8: 'uint8',
  INT16: 'int16', UINT16: 'uint16', INT32: 'int32', UINT32: 'uint32', INT64: 'int64',
  UINT64: 'uint64', BOOL: 'bool', STRING: 'string',
};

/** The ONNX name of an onnxruntime-node type name (for observed shapes). */
export const ONNX_TYPE_OF: Record<string, DataTypeName> = Object.fromEntries(
  Object.entries(ORT_TYPE).map(([onnx, ort]) => [ort, onnx as DataTypeName]),
);

export type TensorData =
  | Float32Array | Float64Array | Uint16Array | Int8Array | Uint8Array | Int16Array | Int32Array
  | Uint32Array | BigInt64Array | BigUint64Array | string[];

export function allocate(dtype: DataTypeName, count: number): TensorData {
  switch (dtype) {
    case 'FLOAT': return new Float32Array(count);
    case 'DOUBLE': return new Float64Array(count);
    case 'FLOAT16': return new Uint16Array(count); // half-precision bit patterns
    case 'INT8': return new Int8Array(count);
    case 'UINT8': return new Uint8Array(count);
    case 'BOOL': return new Uint8Array(count);
    case 'INT16': return new Int16Array(count);
    case 'UINT16': return new Uint16Array(count);
    case 'INT32': return new Int32Array(count);
    case 'UINT32': return new Uint32Array(count);
    case 'INT64': return new BigInt64Array(count);
    case 'UINT64': return new BigUint64Array(count);
    case 'STRING': return new Array<string>(count).fill('');
    default: throw new Error(`no onnxruntime-node tensor for ${dtype}`);
  }
}

export function isIntegerType(dtype: DataTypeName): boolean {
  return ['INT8', 'UINT8', 'INT16', 'UINT16', 'INT32', 'UINT32', 'INT64', 'UINT64'].includes(dtype);
}

/**
 * Writes `value(i)` into every element, converting to the element type. Returns an error string for
 * a value the type cannot hold (a fraction into an integer input, a negative into an unsigned one).
 */
export function fillValues(
  data: TensorData, dtype: DataTypeName, value: (i: number) => number | bigint | boolean | string,
): string | undefined {
  const n = data.length;
  if (dtype === 'STRING') {
    for (let i = 0; i < n; i++) (data as string[])[i] = String(value(i));
    return undefined;
  }
  const integer = isIntegerType(dtype);
  const unsigned = dtype.startsWith('UINT');
  for (let i = 0; i < n; i++) {
    const raw = value(i);
    if (typeof raw === 'string') return `'${raw}' is not a number`;
    if (dtype === 'BOOL') {
      (data as Uint8Array)[i] = raw ? 1 : 0;
      continue;
    }
    if (integer) {
      const v = typeof raw === 'bigint' ? raw : typeof raw === 'boolean' ? BigInt(raw ? 1 : 0) : toBigInt(raw);
      if (v === undefined) return `${String(raw)} is not an integer`;
      if (unsigned && v < 0n) return `${String(raw)} is negative`;
      if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = v;
      else (data as Int32Array)[i] = Number(v);
      continue;
    }
    const f = Number(raw);
    if (dtype === 'FLOAT16') (data as Uint16Array)[i] = float16Bits(f);
    else (data as Float32Array)[i] = f;
  }
  return undefined;
}

function toBigInt(v: number): bigint | undefined {
  return Number.isInteger(v) ? BigInt(v) : undefined;
}

