import type { ModelIR } from './onnx/ir.js';
import { analyseModel } from './estimate/analyse-model.js';
import type { ConstantValues } from './estimate/constant-values.js';
import { resolveTargets } from './profiles/load.js';
import type { Profile } from './profiles/schema.js';
import type { ServingReport } from './report/types.js';
import { planServing, readLlmConfig, recogniseLlm, type LlmSpec, type ServeRequest, type ServingPlan } from './serve/index.js';
import { REPORT_SCHEMA_VERSION } from './report/types.js';
import { toolVersion } from './version.js';

/** What `--serve` / `--llm-config` ask of a check. */
export interface ServeOptions {
  request: ServeRequest;
  /** A Hugging Face config.json describing the LLM; without it, the model's graph is recognised. */
  llmConfig?: string;
}

/**
 * The serving plan of a checked model: the LLM from --llm-config when given, else recognised in the
 * graph (undefined when the graph is not a decoder LLM), planned on every target.
 */
export function servingPlanOf(
  model: ModelIR, constants: ConstantValues | undefined, displayPath: string, profiles: Profile[], options: ServeOptions,
): ServingPlan | undefined {
  let llm: LlmSpec | undefined;
  if (options.llmConfig) llm = readLlmConfig(options.llmConfig);
  else llm = recogniseLlm(model, analyseModel(model, { ...(constants !== undefined && { constants }) }), displayPath.split('/').pop() ?? displayPath);
  return llm ? planServing(llm, options.request, profiles) : undefined;
}

/** `port-check --llm-config FILE --serve ...` without a model: plan a model from its config.json alone. */
export function planFromConfig(
  configFile: string, options: { targets: string[]; profileFiles?: string[]; request: ServeRequest; displayPath?: string },
): ServingReport {
  const profiles = resolveTargets(options.targets, options.profileFiles ?? []);
  const llm = readLlmConfig(configFile, options.displayPath ?? configFile);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'port-check', version: toolVersion() },
    serving: planServing(llm, options.request, profiles),
  };
}
