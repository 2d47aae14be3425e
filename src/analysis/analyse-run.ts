import type { ModelIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import { checkedMode, nothingToEmulate, summarisePass, type PolicyEmulation } from '../precision/emulate-precision.js';
import { emulationPass, prepareEmulation, releaseEmulation } from '../precision/emulation-pass.js';
import { changesAny, emulates, policyKey, resolvePolicy, type TargetPrecision } from '../profiles/precision-policy.js';
import type { ModelFacts } from '../inspect/facts.js';
import { resolveThresholds } from '../precision/thresholds.js';
import type { PrecisionOptions } from '../precision/types.js';
import { upcastOf } from '../runtime/reference-upcast.js';
import { runModel } from '../runtime/run-model.js';
import type { RunResult } from '../runtime/types.js';
import type { CheckOptions } from '../check.js';

/** What the run of a model gives the analysis: the run itself and one emulation per distinct precision policy. */
export interface RunAnalysis {
  run: RunResult;
  emulations: Map<string, PolicyEmulation>;
}

/**
 * The run of a model, once for every target: the timed session and the profiled run (runModel),
 * then, when it ran, the model prepared for emulation once and one emulation pass per distinct
 * precision policy among the targets' (none for a policy that changes no type the model uses).
 */
export async function analyseRun(
  modelPath: string, model: ModelIR, facts: ModelFacts, profiles: readonly Profile[], options: CheckOptions,
): Promise<RunAnalysis> {
  const runOptions = options.run ?? {};
  const run = await runModel(modelPath, model, runOptions);
  const emulations = new Map<string, PolicyEmulation>();
  if (options.precision === false || run.status !== 'ok') return { run, emulations };
  const mode = checkedMode(options.precision?.mode);
  const thresholds = resolveThresholds(options.precision?.thresholds);
  const policies = new Map<string, TargetPrecision>();
  for (const p of profiles) {
    const policy = resolvePolicy(p, mode);
    const key = policyKey(policy);
    if (emulates(policy) && !policies.has(key)) policies.set(key, policy);
  }
  const dtypes = facts.dtypes.map((d) => d.dtype);
  for (const [key, policy] of policies) {
    if (changesAny(policy, dtypes)) continue;
    emulations.set(key, nothingToEmulate(policy, mode, thresholds));
    policies.delete(key);
  }
  if (policies.size === 0) return { run, emulations };

  const precisionOptions: PrecisionOptions = {
    ...(runOptions.dims && { dims: runOptions.dims }),
    ...(runOptions.shapes && { shapes: runOptions.shapes }),
    ...(runOptions.inputs && { inputs: runOptions.inputs }),
    ...(runOptions.inputValues && { inputValues: runOptions.inputValues }),
    ...(runOptions.seed !== undefined && { seed: runOptions.seed }),
    ...(runOptions.maxInputMB !== undefined && { maxInputMB: runOptions.maxInputMB }),
    ...(runOptions.intraOpNumThreads !== undefined && { intraOpNumThreads: runOptions.intraOpNumThreads }),
    // The run decided whether the model needs its fp32 reference copy; the emulation follows.
    ...(upcastOf(run.reference) && { upcastFrom: upcastOf(run.reference) }),
  };
  const prepared = await prepareEmulation(modelPath, model, precisionOptions);
  try {
    for (const [key, policy] of policies) {
      const pass = prepared.status === 'ok' ? await emulationPass(prepared.base, policy, { thresholds }) : undefined;
      emulations.set(key, summarisePass(model, prepared, pass, policy, mode, thresholds));
    }
  } finally {
    if (prepared.status === 'ok') await releaseEmulation(prepared.base);
  }
  return { run, emulations };
}
