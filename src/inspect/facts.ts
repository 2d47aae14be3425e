import type { DataTypeName } from '../onnx/data-types.js';
import type { NodeRef } from '../checks/finding.js';

/** Facts about a model that every check needs, computed once by `inspectModel`. */
export interface ModelFacts {
  /** One entry per (domain, opType), nodes from every graph (subgraphs and functions included). */
  ops: OpUse[];
  /** Every element type in use, with where it was seen. */
  dtypes: DtypeUse[];
  /** Graph inputs/outputs (main graph) with symbolic or unknown dims. */
  dynamicInputs: { name: string; dims: (number | string | null)[]; symbolic: string[] }[];
  /** If / Loop / Scan nodes. */
  controlFlow: OpUse[];
  quantization: QuantizationFacts;
  parameterCount: number;
  parameterBytes: number;
  externalDataBytes: number;
  /** Domains other than ai.onnx, ai.onnx.ml, com.microsoft (and their op types). */
  customDomains: string[];
  /** Model-local functions by "domain::name": nodes calling them are not unknown ops. */
  localFunctions: Set<string>;
  nodeCount: number;
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
