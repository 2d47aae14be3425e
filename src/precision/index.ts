/** Precision emulation: what the target's precision policy costs in accuracy. */
export { emulatePrecision, PRECISION_MODES, DEFAULT_MAX_INTERMEDIATE_MB, DEFAULT_MAX_LAYERWISE_CHUNKS } from './emulate-precision.js';
export { precisionFindings, PRECISION_RULE, PRECISION_RULE_ID } from './findings.js';
export { buildEmulatedModel, type EmulatedModel } from './emulate-model.js';
export { resolvePolicy, roundingSteps } from './policy.js';
export { DEFAULT_THRESHOLDS, resolveThresholds } from './thresholds.js';
export { tensorMetrics, RELATIVE_ERROR_FLOOR } from './tensor-metrics.js';
export { renameInitializers } from '../onnx/rewrite.js';
export type * from './types.js';
