/** The load stage: ONNX bytes or files → ModelIR, and the ONNX writer used by tests and samples. */
export { decodeModel, NEWEST_KNOWN_IR_VERSION, OLDEST_IR_VERSION, type DecodeOptions } from './decode.js';
export { loadModel, MAX_MODEL_FILE_BYTES, type LoadOptions } from './load.js';
export { resolveExternalData } from './external-data.js';
export { encodeModel } from './writer.js';
export {
  tensorFromFloats, tensorFromInts, float16Bits, bfloat16Bits, float8e4m3fnBits, seededRandom, randomValues,
  type FloatTensorType, type IntTensorType,
} from './tensor-data.js';
export { MAX_DECODED_HEAP_BYTES, MAX_NAME_BYTES, MAX_SUBGRAPH_DEPTH, defaultDecodedHeapBytes } from './decode-context.js';
export * from './ir.js';
export * from './data-types.js';
export type * from './model-spec.js';
