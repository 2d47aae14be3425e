/**
 * The estimate stage: per-node FLOPs and bytes from shapes (observed or inferred), a roofline on
 * each target's peaks, memory fit, chips needed and what the interconnect costs.
 */
export { estimate } from './estimate-target.js';
export { analyseModel, type EstimateOptions, type ModelAnalysis } from './analyse-model.js';
export { readSmallConstants, type ConstantValues } from './constant-values.js';
export { inferShapes, type ShapeInference, type ObservedShape } from './shape-inference.js';
export { costNodes, type NodeCost } from './flops.js';
export { compareInterconnects, type InterconnectRow, type InterconnectComparison } from './compare-interconnects.js';
export type { TargetEstimate, OpTypeTime, NodeTimeSummary, NotCostedNode, InterconnectEstimate, MemoryEstimate } from './types.js';
export { DEFAULT_BATCH, DEFAULT_SEQ_LEN } from './symbolic-dims.js';
export { targetMemory, USABLE_MEMORY_FRACTION } from './memory.js';
