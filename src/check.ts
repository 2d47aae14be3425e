import { analyseModel } from './analysis/analyse-model.js';
import type { ModelAnalysis } from './analysis/types.js';
import type { RunAnalysis } from './analysis/analyse-run.js';
import { assessTarget } from './analysis/assess-target.js';
import { DEFAULT_TARGETS } from './default-targets.js';
import type { PrecisionMode, Thresholds } from './precision/types.js';
import type { RunOptions } from './runtime/types.js';
import type { ServeOptions } from './plan-serving.js';
import type { ModelIR } from './onnx/ir.js';
import { loadModelWithBytes } from './onnx/load.js';
import { resolveTargetsLazily } from './profiles/builtin.js';
import type { EffortDaysOverride, Profile } from './profiles/schema.js';
import { buildReport } from './report/build.js';
import { effortRatesFor } from './report/effort.js';
import type { Report } from './report/types.js';
import { blockerTimeShare } from './runtime/time-share.js';

export interface CheckOptions {
  /** Built-in target ids (see `port-check targets`) or ids of profiles given in `profileFiles`; default ['ascend-910c']. */
  targets?: string[];
  /** Extra profile files (YAML); their ids can be named in `targets`. */
  profileFiles?: string[];
  /** How the model path appears in the report; default: the path as given, with forward slashes. */
  displayPath?: string;
  /** Run the model for real on ONNX Runtime; absent: static check only. */
  run?: RunOptions;
  /** With `run`: emulate each target's precision policy and compare outputs. Default on with `run`. */
  precision?: { mode?: PrecisionMode; thresholds?: Partial<Thresholds> } | false;
  /** Options of the speed/memory estimate; false leaves the estimate out. */
  estimate?: { dims?: Record<string, number>; batch?: number; seqLen?: number } | false;
  /** Engineer-days per effort class replacing the profiles' (the config file's effortDays). */
  effortDays?: EffortDaysOverride;
  /** The LLM serving plan (`--serve`, `--llm-config`): absent, none is made. */
  serve?: ServeOptions;
}

/**
 * Checks one model against each target, in one direction: load → analyse the model once (facts,
 * shapes and costs; with `run`, the run and one emulation per distinct precision policy) → assess
 * each target, a pure function of (analysis, profile) → build the report once (with the LLM serving
 * plan when `serve` asks for one). The static part is
 * deterministic: the same model and options give a byte-identical report.
 */
export async function check(modelPath: string, options: CheckOptions = {}): Promise<Report> {
  // A JavaScript caller's options have had no compiler look at them: the schema (zod) does.
  (await import('./check-options.js')).validateCheckArgs(modelPath, options);
  return checkModel(modelPath, options);
}

/**
 * check() for callers whose options TypeScript has typed and whose values they checked already
 * (the CLI parses every flag itself): no schema, so a static check never loads zod. Built-in
 * targets come from their compiled profiles; the YAML parser is loaded only for profile files or
 * a compiled profile that is missing or stale. `ran`: with `options.run`, the run made in another
 * process (the CLI's isolated run) while this one analyses the model; undefined when it was stopped.
 */
export async function checkModel(modelPath: string, options: CheckOptions = {}, ran?: Promise<RunAnalysis | undefined>): Promise<Report> {
  const profiles = await resolveTargetsLazily(options.targets ?? [...DEFAULT_TARGETS], options.profileFiles ?? []);
  const { model, bytes } = await loadModelWithBytes(modelPath);
  const analysis = await analyseModel(modelPath, model, bytes, profiles, options, ran);
  return await report(analysis, profiles, options.displayPath ?? modelPath.split('\\').join('/'), options);
}

/**
 * The static check of a model already decoded (`bytes` are its file, for the few constants shape
 * inference reads): no run, whatever `options` say. The fuzzing suite drives this on mutated bytes.
 */
export async function checkLoaded(
  model: ModelIR, bytes: Uint8Array, profiles: Profile[], displayPath: string, options: CheckOptions,
): Promise<Report> {
  const { run: _run, ...staticOptions } = options;
  return await report(await analyseModel(undefined, model, bytes, profiles, staticOptions), profiles, displayPath, staticOptions);
}

async function report(analysis: ModelAnalysis, profiles: readonly Profile[], displayPath: string, options: CheckOptions): Promise<Report> {
  const results = profiles.map((profile) => ({
    ...assessTarget(analysis, profile, options),
    effortRates: effortRatesFor(profile, options.effortDays),
  }));
  const { run } = analysis;
  const blockers = run && blockerTimeShare(results.flatMap((r) => r.findings), run);
  // The serving planner (and its Hugging Face config schema) is loaded only when a plan is asked for.
  const serving = options.serve && (await import('./plan-serving.js')).servingPlanOf(analysis.model, analysis.constants, displayPath, [...profiles], options.serve);
  return buildReport(analysis.model, analysis.facts, displayPath, results, {
    ...(run && { run: { ...run, ...(blockers && { blockerTimeShare: blockers }) } }),
    ...(serving && { serving }),
  });
}
