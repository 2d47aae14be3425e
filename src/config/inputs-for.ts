import { modelMatches } from './model-match.js';
import type { ModelInputs } from './schema.js';

export interface ResolvedInputs {
  dims: Record<string, number>;
  shapes: Record<string, number[]>;
  values: Record<string, number | number[]>;
}

/**
 * The input dims, shapes and values the config gives one model: every `inputs` entry whose glob
 * matches, merged in file order, so a later, more specific entry overrides an earlier one per key.
 */
export function inputsFor(
  inputs: readonly ModelInputs[],
  modelPath: string,
  options: { configDir: string; baseDir: string },
): ResolvedInputs {
  const out: ResolvedInputs = { dims: {}, shapes: {}, values: {} };
  for (const entry of inputs) {
    if (!modelMatches(modelPath, entry.model, options.configDir, options.baseDir)) continue;
    Object.assign(out.dims, entry.dims);
    Object.assign(out.shapes, entry.shapes);
    Object.assign(out.values, entry.values);
  }
  return out;
}
