import { DATA_TYPES, type DataTypeName, type PrecisionFamily } from '../onnx/data-types.js';

const FAMILY = new Map<string, PrecisionFamily>(DATA_TYPES.map((t) => [t.name, t.family]));

/** The precision family of a dtype; never throws, so a dtype name from a newer decoder reads as 'undefined'. */
export function familyOf(dtype: DataTypeName): PrecisionFamily {
  return FAMILY.get(dtype) ?? 'undefined';
}
