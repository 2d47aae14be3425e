import { DATA_TYPES, type DataTypeName } from '../onnx/data-types.js';

/**
 * The run stage reports dtypes as ONNX Runtime names them ('float32', 'int64', ...); the IR uses
 * ONNX's names ('FLOAT', 'INT64'). Both are accepted here.
 */
const ORT_NAMES: Record<string, DataTypeName> = {
  float32: 'FLOAT', float: 'FLOAT', float16: 'FLOAT16', bfloat16: 'BFLOAT16', float64: 'DOUBLE', double: 'DOUBLE',
  int8: 'INT8', uint8: 'UINT8', int16: 'INT16', uint16: 'UINT16', int32: 'INT32', uint32: 'UINT32',
  int64: 'INT64', uint64: 'UINT64', bool: 'BOOL', string: 'STRING', int4: 'INT4', uint4: 'UINT4',
  float8e4m3fn: 'FLOAT8E4M3FN', float8e4m3fnuz: 'FLOAT8E4M3FNUZ', float8e5m2: 'FLOAT8E5M2', float8e5m2fnuz: 'FLOAT8E5M2FNUZ',
  complex64: 'COMPLEX64', complex128: 'COMPLEX128',
};

const ONNX_NAMES = new Set<string>(DATA_TYPES.map((t) => t.name));

export function dtypeFromObserved(name: string): DataTypeName | undefined {
  if (ONNX_NAMES.has(name)) return name as DataTypeName;
  const upper = name.toUpperCase();
  if (ONNX_NAMES.has(upper)) return upper as DataTypeName;
  return ORT_NAMES[name.toLowerCase()];
}
