import type { Dataflow } from '../onnx/topological-order.js';
import type { GraphPartitions } from '../assess/partition-graph.js';
import type { ModelIR } from '../onnx/ir.js';
import { readSmallConstants, type ConstantValues } from './constant-values.js';
import { costNodes, type NodeCost } from './flops.js';
import { transformerStructure, type TransformerStructure } from './model-structure.js';
import { livenessOf, type Liveness, type MemoryEstimate } from './memory.js';
import { inferShapes, type ObservedShape, type ShapeInference } from './shape-inference.js';

export interface EstimateOptions {
  /** Shapes seen in a real run: value name → dtype and dims; they win over inferred ones. */
  observedShapes?: Record<string, ObservedShape>;
  /** Values for symbolic dims by name (`--dim name=N`). */
  dims?: Record<string, number>;
  /** Batch for batch-like dims and the KV cache (`--batch`, default 1). */
  batch?: number;
  /** Sequence length for sequence-like dims and the KV cache (`--seq-len`, default 512). */
  seqLen?: number;
  /**
   * The model file's bytes, to read small constant tensors (Reshape targets, Slice bounds...).
   * Without them (or `constants`), shapes computed from initializer values stay unknown unless
   * the model's value_info gives them.
   */
  modelBytes?: Uint8Array;
  /** The main graph's data flow, already computed (ModelFacts.dataflows[0]). */
  dataflow?: Dataflow;
  /** Already-read constants (readSmallConstants), e.g. shared by several targets. */
  constants?: ConstantValues;
  /** The model's shapes and costs, already computed (analyseModel) for another target. */
  analysis?: ModelAnalysis;
  /** Split the model over at least this many chips (tensor parallel), e.g. to compare links. */
  chips?: number;
  /** The target's graph partitions (fallback islands): their crossings add host-link transfer time. */
  partitions?: GraphPartitions;
  /** The target's memory figure, already computed (targetMemory) for its memory-fit check. */
  memory?: MemoryEstimate;
}

/** The target-independent part of an estimate: shapes, per-node costs, transformer structure. */
export interface ModelAnalysis {
  inference: ShapeInference;
  costs: NodeCost[];
  structure: TransformerStructure | undefined;
  /** Which activations are live when, for each target's activation peak. */
  liveness: Liveness;
  /** How many constant tensors' values were available. */
  constantsRead: number;
}

/**
 * Shapes and per-node costs of a model: the target-independent part of an estimate. check()
 * computes it once per model (src/analysis) and hands it to every target's estimate.
 */
export function analyseModel(model: ModelIR, options: EstimateOptions = {}): ModelAnalysis {
  const constants = options.constants ?? (options.modelBytes ? readSmallConstants(options.modelBytes, model.graphs[0]) : new Map<string, number[]>());
  const inference = inferShapes(model, {
    ...(options.dims ? { dims: options.dims } : {}),
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
    ...(options.seqLen !== undefined ? { seqLen: options.seqLen } : {}),
    ...(options.observedShapes ? { observedShapes: options.observedShapes } : {}),
    ...(options.dataflow ? { dataflow: options.dataflow } : {}),
    constants,
  });
  return {
    inference,
    costs: costNodes(model, inference),
    structure: transformerStructure(inference),
    liveness: livenessOf(inference),
    constantsRead: constants.size,
  };
}
