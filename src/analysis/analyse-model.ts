import { analyseModel as shapesAndCosts, readSmallConstants } from '../estimate/index.js';
import { inspectModel } from '../inspect/inspect.js';
import type { ModelIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import type { PolicyEmulation } from '../precision/emulate-precision.js';
import type { CheckOptions } from '../check.js';
import type { RunAnalysis } from './analyse-run.js';
import type { RunResult } from '../runtime/types.js';
import type { ModelAnalysis } from './types.js';

/**
 * Analyses a model once: facts, shapes and costs and, with `options.run`, the run and one
 * emulation per distinct precision policy among `profiles` (analyseRun, loaded only then: a static
 * check never pays for onnxruntime-node). `bytes` are the model file's, for the few constants shape
 * inference reads.
 *
 * `ran`: the run made elsewhere (the CLI's isolated child process, src/cli/isolated-run.ts), under
 * way while this analyses the model; undefined in it when the run was stopped. Only shapes wait for it
 * (they use the shapes the run observed).
 */
export async function analyseModel(
  modelPath: string | undefined, model: ModelIR, bytes: Uint8Array, profiles: readonly Profile[], options: CheckOptions,
  ran?: Promise<RunAnalysis | undefined>,
): Promise<ModelAnalysis> {
  const facts = inspectModel(model);
  const constants = readSmallConstants(bytes, model.graphs[0]);
  let run: RunResult | undefined;
  let emulations: ReadonlyMap<string, PolicyEmulation> = new Map();
  if (ran) {
    ({ run, emulations = new Map() } = (await ran) ?? {});
  } else if (options.run && modelPath !== undefined) {
    const { analyseRun } = await import('./analyse-run.js');
    ({ run, emulations } = await analyseRun(modelPath, model, facts, profiles, options));
  }
  const estimate = options.estimate || {};
  const shapes = shapesAndCosts(model, {
    ...estimate,
    dims: { ...options.run?.dims, ...estimate.dims },
    constants,
    ...(facts.dataflows[0] && { dataflow: facts.dataflows[0] }),
    ...(run?.observedShapes && { observedShapes: run.observedShapes.values }),
  });
  return { model, facts, constants, shapes, ...(run && { run }), emulations };
}
