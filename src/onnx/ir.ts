import type { DataTypeName } from './data-types.js';

/**
 * The read-only model IR that `loadModel` returns. Weights are described, never copied: an
 * initializer carries its dtype, dims, byte size and where the bytes live, not the bytes.
 *
 * Graphs are a flat list (graphs[0] is the main graph) rather than a tree, so that walking every
 * subgraph is a loop over an array: no recursion a hostile nesting depth could overflow.
 */
export interface ModelIR {
  /** Path as given by the user (for reports); may be undefined for models loaded from bytes. */
  path?: string;
  fileBytes: number;
  irVersion: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  /** Opset version per domain; the default domain is stored as 'ai.onnx' (the file's '' too). */
  opsetImports: Record<string, number>;
  metadata: Record<string, string>;
  /** All graphs: [0] = main, then subgraphs (If/Loop/Scan bodies) and function bodies. */
  graphs: GraphIR[];
  functions: FunctionIR[];
  /** Non-fatal oddities seen while decoding (unknown dtype codes, unknown fields of interest...). */
  warnings: string[];
}

export type GraphKind = 'main' | 'subgraph' | 'function';

export interface GraphIR {
  /** Index into ModelIR.graphs. */
  id: number;
  kind: GraphKind;
  name: string;
  /**
   * Human-readable location, e.g. "main", "main/If_0.then_branch", "main/Loop_3.body/If_1.else_branch",
   * "function:custom.domain::MyFn". Unique within a model.
   */
  path: string;
  /** For a subgraph: the graph id and node index holding it, and the attribute name. */
  parent?: { graphId: number; nodeIndex: number; attribute: string };
  /** Nesting depth: 0 for main and for function bodies, parent depth + 1 for subgraphs. */
  depth: number;
  nodes: NodeIR[];
  inputs: ValueInfoIR[];
  outputs: ValueInfoIR[];
  valueInfo: ValueInfoIR[];
  initializers: InitializerIR[];
  sparseInitializers: InitializerIR[];
  /** Opset imports that apply to this graph (a function's own imports, else the model's). */
  opsetImports: Record<string, number>;
}

export interface FunctionIR {
  domain: string;
  name: string;
  /** The id of the GraphIR that holds the function body. */
  graphId: number;
  inputs: string[];
  outputs: string[];
  attributes: string[];
}

export interface NodeIR {
  /** Index of the node within its graph. */
  index: number;
  graphId: number;
  name: string;
  opType: string;
  /** Normalised: '' and 'ai.onnx' both become 'ai.onnx'. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: AttributeIR[];
}

export type AttributeType =
  | 'UNDEFINED' | 'FLOAT' | 'INT' | 'STRING' | 'TENSOR' | 'GRAPH' | 'SPARSE_TENSOR' | 'TYPE_PROTO'
  | 'FLOATS' | 'INTS' | 'STRINGS' | 'TENSORS' | 'GRAPHS' | 'SPARSE_TENSORS' | 'TYPE_PROTOS';

export interface AttributeIR {
  name: string;
  type: AttributeType;
  f?: number;
  /** INT values are kept as numbers; values beyond 2^53 are clamped to ±MAX_SAFE_INTEGER (and a warning is added). */
  i?: number;
  s?: string;
  floats?: number[];
  ints?: number[];
  strings?: string[];
  /** Metadata of tensor-valued attributes (Constant's value, ConstantOfShape's value...). */
  tensors?: TensorMetaIR[];
  /** Ids of subgraphs held by GRAPH / GRAPHS attributes. */
  graphIds?: number[];
  /** For attributes inside a function body that refer to the function's own attribute. */
  refAttrName?: string;
}

/** A dimension: a fixed size, a symbolic name, or unknown (neither set). */
export type Dim = number | string | null;

export interface ValueInfoIR {
  name: string;
  /** 'tensor' for tensor types; other kinds (sequence, map, optional, sparse_tensor) carry their elem type if any. */
  kind: 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse_tensor' | 'unknown';
  dtype?: DataTypeName;
  /** Undefined when the shape is not given (unknown rank). */
  dims?: Dim[];
}

export interface TensorMetaIR {
  name: string;
  dtype: DataTypeName;
  dims: number[];
  /** Element count (product of dims); may exceed MAX_SAFE_INTEGER for hostile dims, then Infinity. */
  elementCount: number;
  /** Bytes the data takes (declared by dims × dtype; for raw_data the actual length). */
  byteSize: number;
  location: 'inline' | 'external';
  /** Where the data lives when external; for a sparse tensor, its values. */
  external?: ExternalDataRef;
  /** A sparse tensor's indices: stored apart from the values, possibly in another file. */
  sparseIndices?: { byteSize: number; external?: ExternalDataRef };
}

/** One external-data reference of a tensor and the bytes it must hold when it gives no length. */
export interface ExternalPart {
  ref: ExternalDataRef;
  byteSize: number;
}

/**
 * Every external-data reference of a tensor: one for a dense tensor, up to two (values and
 * indices) for a sparse one. Whoever checks or follows references goes through this, so that no
 * part of a tensor is left unchecked.
 */
export function externalPartsOf(t: TensorMetaIR): ExternalPart[] {
  const parts: ExternalPart[] = [];
  const indices = t.sparseIndices;
  if (t.external) parts.push({ ref: t.external, byteSize: t.byteSize - (indices?.byteSize ?? 0) });
  if (indices?.external) parts.push({ ref: indices.external, byteSize: indices.byteSize });
  return parts;
}

export interface InitializerIR extends TensorMetaIR {
  graphId: number;
}

export interface ExternalDataRef {
  /** The `location` key as written in the model. */
  location: string;
  offset: number;
  length?: number;
  /** Set once resolved: the absolute path inside the model folder and the file size. */
  resolvedPath?: string;
  fileSize?: number;
  /** Why it could not be resolved (escape, missing file, past end...), if it could not. */
  problem?: string;
}
