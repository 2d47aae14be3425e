/** Precision emulation: what the target's precision policy costs in accuracy. */
export { emulatePrecision, precisionForTarget, summarisePass, PRECISION_MODES, type PolicyEmulation } from './emulate-precision.js';
export { emulationPass, prepareEmulation, releaseEmulation, type EmulationBase, type EmulationPass, type NodeMetrics, type PreparedEmulation } from './emulation-pass.js';
export { precisionFindings, PRECISION_RULE, PRECISION_RULE_ID } from './findings.js';
export { buildEmulatedModel, type EmulatedModel } from './emulate-model.js';
export { resolvePolicy, roundingSteps } from '../profiles/precision-policy.js';
export { DEFAULT_THRESHOLDS, resolveThresholds } from './thresholds.js';
export { tensorMetrics, RELATIVE_ERROR_FLOOR } from './tensor-metrics.js';
export { renameInitializers } from '../onnx/rewrite.js';
export type * from './types.js';
