import { analyseModel as shapesAndCosts, readSmallConstants } from '../estimate/index.js';
import { inspectModel } from '../inspect/inspect.js';
import type { ModelIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import type { PolicyEmulation } from '../precision/emulate-precision.js';
import type { CheckOptions } from '../check.js';
import type { RunResult } from '../runtime/types.js';
import type { ModelAnalysis } from './types.js';

/**
 * Analyses a model once: facts, shapes and costs and, with `options.run`, the run and one
 * emulation per distinct precision policy among `profiles` (analyseRun, loaded only then: a static
 * check never pays for onnxruntime-node). `bytes` are the model file's, for the few constants shape
 * inference reads.
 */
export async function analyseModel(
  modelPath: string | undefined, model: ModelIR, bytes: Uint8Array, profiles: readonly Profile[], options: CheckOptions,
): Promise<ModelAnalysis> {
  const facts = inspectModel(model);
  let run: RunResult | undefined;
  let emulations: ReadonlyMap<string, PolicyEmulation> = new Map();
  if (options.run && modelPath !== undefined) {
    const { analyseRun } = await import('./analyse-run.js');
    ({ run, emulations } = await analyseRun(modelPath, model, facts, profiles, options));
  }
  const estimate = options.estimate || {};
  const constants = readSmallConstants(bytes, model.graphs[0]);
  const shapes = shapesAndCosts(model, {
    ...estimate,
    dims: { ...options.run?.dims, ...estimate.dims },
    constants,
    ...(run?.observedShapes && { observedShapes: run.observedShapes.values }),
  });
  return { model, facts, constants, shapes, ...(run && { run }), emulations };
}
