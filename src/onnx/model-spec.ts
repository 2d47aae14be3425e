import type { DataTypeName } from './data-types.js';
import type { Dim } from './ir.js';

/**
 * What the project's ONNX writer (`encodeModel` in writer.ts) takes: a plain description of a
 * model. Tests and scripts/make-sample-models.ts build models with it.
 */
export interface ModelSpec {
  /** Default 10. */
  irVersion?: number;
  /** Opset per domain; 'ai.onnx' (or '') for the default domain. */
  opsets: Record<string, number>;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
  graph: GraphSpec;
  functions?: FunctionSpec[];
}

export interface GraphSpec {
  name?: string;
  nodes: NodeSpec[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  valueInfo?: ValueSpec[];
  initializers?: TensorSpec[];
  sparseInitializers?: SparseTensorSpec[];
}

export interface NodeSpec {
  opType: string;
  /** Default: the standard domain (written as ''). */
  domain?: string;
  name?: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export type AttributeValue =
  | { i: number | bigint }
  | { f: number }
  | { s: string }
  | { ints: (number | bigint)[] }
  | { floats: number[] }
  | { strings: string[] }
  | { t: TensorSpec }
  | { g: GraphSpec }
  | { graphs: GraphSpec[] }
  /** In a function body: refers to the function's attribute of that name. */
  | { ref: string; type: 'INT' | 'FLOAT' | 'STRING' | 'INTS' | 'FLOATS' | 'STRINGS' };

export interface ValueSpec {
  name: string;
  dtype: DataTypeName;
  /** Omit for unknown rank; a string is a symbolic dim, null an unknown one. */
  dims?: Dim[];
}

export interface TensorSpec {
  name: string;
  dtype: DataTypeName;
  dims: (number | bigint)[];
  /** Raw little-endian bytes (raw_data). Omit with `external` or for an empty tensor. */
  raw?: Uint8Array;
  /** Typed fields instead of raw_data (float_data / int64_data / int32_data). */
  floats?: number[];
  int64s?: (number | bigint)[];
  int32s?: number[];
  /** Data stored outside the model (data_location = EXTERNAL). */
  external?: { location: string; offset?: number; length?: number };
}

export interface SparseTensorSpec {
  values: TensorSpec;
  indices: TensorSpec;
  dims: number[];
}

export interface FunctionSpec {
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: string[];
  opsets: Record<string, number>;
  nodes: NodeSpec[];
}
