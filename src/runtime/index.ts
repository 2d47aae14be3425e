/** The run stage: real execution on onnxruntime-node (loaded lazily, on the first call). */
export { runModel } from './run-model.js';
export { probeProviders, howToGet } from './providers.js';
export { attachTimeShares, blockerTimeShare, type BlockerTime } from './time-share.js';
export { DEFAULT_BATCH_DIM, DEFAULT_DYNAMIC_DIM } from './input-dims.js';
export { DEFAULT_MAX_INPUT_MB, DEFAULT_SAMPLE_RATE, DEFAULT_SEED, prepareInputs } from './inputs.js';
export { DEFAULT_ITERATIONS, DEFAULT_WARMUP, MAX_ITERATIONS, sessionOptionsFor } from './timed-run.js';
export { DEFAULT_MAX_OBSERVED_VALUES } from './observe-shapes.js';
export * from './types.js';
export { parseBackends, parseDimFlags, parseInputFlags, parseInputValueFlags, parseShapeFlags } from './run-flags.js';
