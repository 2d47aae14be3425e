import type { Profile } from '../profiles/schema.js';
import type { LlmSpec } from './llm-spec.js';
import { planTarget } from './plan-target.js';
import type { ServeRequest } from './serve-request.js';
import type { ServingPlan } from './types.js';

export { readLlmConfig, llmSpecFromConfigText, MAX_CONFIG_BYTES } from './hf-config.js';
export { recogniseLlm } from './recognise.js';
export { parseServe, DEFAULT_SERVE, type ServeRequest } from './serve-request.js';
export type { LlmSpec } from './llm-spec.js';
export type { ServingPlan, TargetServingPlan } from './types.js';

/** The serving plan of an LLM on each target: a pure function of the LLM, the request and the profiles. */
export function planServing(llm: LlmSpec, request: ServeRequest, profiles: Profile[]): ServingPlan {
  const plan: ServingPlan = { llm, request, targets: [], skipped: [] };
  for (const profile of profiles) {
    const result = planTarget(llm, request, profile);
    if (typeof result === 'string') plan.skipped.push({ target: profile.id, reason: result });
    else plan.targets.push(result);
  }
  return plan;
}
