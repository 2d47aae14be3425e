import type { DataTypeName } from '../onnx/data-types.js';
import type { Dataflow } from '../onnx/topological-order.js';
import type { NodeRef } from '../findings/finding.js';

/** Facts about a model that every check needs, computed once by `inspectModel`. */
export interface ModelFacts {
  /**
   * One entry per (domain, opType), nodes from every graph (subgraphs and functions included),
   * sorted by domain then op type. Calls to model-local functions appear here too.
   */
  ops: OpUse[];
  /** Every element type in use, with where it was seen. */
  dtypes: DtypeUse[];
  /**
   * Main-graph inputs (initializers excluded) with symbolic or unknown dims. `symbolic` holds the
   * distinct dim names; an input with no shape at all has `unknownRank` and empty dims.
   */
  dynamicInputs: { name: string; dims: (number | string | null)[]; symbolic: string[]; unknownRank?: boolean }[];
  /** If / Loop / Scan nodes. */
  controlFlow: OpUse[];
  quantization: QuantizationFacts;
  /** Elements of all initializers (every graph, sparse ones included) and Constant-node tensors. */
  parameterCount: number;
  /** Bytes of the same tensors, inline and external alike. */
  parameterBytes: number;
  /** The part of parameterBytes stored in external data files. */
  externalDataBytes: number;
  /**
   * Domains with nodes, other than the standard ones (ai.onnx, ai.onnx.ml, ai.onnx.preview.training)
   * and ONNX Runtime's (com.microsoft*), not counting calls to model-local functions. Sorted.
   */
  customDomains: string[];
  /** Model-local functions by "domain::name": nodes calling them are not unknown ops. */
  localFunctions: Set<string>;
  nodeCount: number;
  /**
   * The data flow of each graph, by graph id (model.graphs[id]): topological order, producers,
   * sortedness. Computed here once per model; graph integrity, shape inference and the partitions
   * read it, for every target.
   */
  dataflows: Dataflow[];
}

export interface OpUse {
  domain: string;
  opType: string;
  /** The opset the graph imports for this domain (undefined when the model imports none). */
  opset?: number;
  nodeCount: number;
  nodes: NodeRef[];
  /** Element types seen on this op's inputs/outputs where known (from value_info, initializers, I/O). */
  dtypes: DataTypeName[];
  /**
   * Element types of the op's data input (input 0; Where's X; an op without inputs: its output),
   * where known: what a profile's per-op dtype list constrains. Index inputs (Gather's indices...)
   * are left out, since a target's dtype list for an op describes its data type.
   */
  mainInputDtypes?: DataTypeName[];
}

export type DtypeSite =
  | 'initializer' | 'value_info' | 'graph_input' | 'graph_output' | 'cast_target' | 'zero_point'
  | 'constant' | 'attribute';

export interface DtypeUse {
  dtype: DataTypeName;
  /** Where it was seen, and a few example tensor or node names per site. */
  sites: { site: DtypeSite; count: number; examples: string[] }[];
  /** Bytes of initializers with this dtype. */
  initializerBytes: number;
}

export type QuantScheme =
  | 'qdq' | 'qlinear' | 'integer-ops' | 'dynamic-quantize' | 'matmul-nbits' | 'fp8' | 'int4-blocks';

export interface QuantizationFacts {
  schemes: { scheme: QuantScheme; ops: string[]; nodeCount: number; nodes: NodeRef[] }[];
}
