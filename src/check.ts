import { DEFAULT_TARGETS, validateCheckArgs } from './check-options.js';
import { opCoverage } from './assess/op-coverage.js';
import { opTable } from './assess/op-table.js';
import { partitionGraph } from './assess/partition-graph.js';
import { runChecks } from './checks/index.js';
import type { Finding } from './findings/finding.js';
import { analyseModel, estimate, readSmallConstants } from './estimate/index.js';
import type { TargetEstimate } from './estimate/index.js';
import { inspectModel } from './inspect/inspect.js';
import type { ModelIR } from './onnx/ir.js';
import { loadModelWithBytes } from './onnx/load.js';
import type { PrecisionMode, PrecisionResult, Thresholds } from './precision/types.js';
import { resolveTargets } from './profiles/load.js';
import type { Profile } from './profiles/schema.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/types.js';
import type { RunOptions, RunResult } from './runtime/types.js';
import { runFindings } from './runtime/run-findings.js';
import { servingPlanOf, type ServeOptions } from './plan-serving.js';

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
  /** The LLM serving plan (`--serve`, `--llm-config`): absent, none is made. */
  serve?: ServeOptions;
}

/**
 * Checks one model against each target: load, inspect once, run every check per target, then
 * (when asked) run the model, emulate each target's precision and estimate speed and memory.
 * The static part is pure: the same model and options give a byte-identical report.
 */
export async function check(modelPath: string, options: CheckOptions = {}): Promise<Report> {
  validateCheckArgs(modelPath, options);
  const profiles = resolveTargets(options.targets ?? [...DEFAULT_TARGETS], options.profileFiles ?? []);
  const { model, bytes } = await loadModelWithBytes(modelPath);
  const run = options.run ? await loadRun(modelPath, model, options.run) : undefined;
  return checkLoaded(model, bytes, profiles, options.displayPath ?? modelPath.split('\\').join('/'), {
    ...options,
    ...(run !== undefined && {
      extend: async (profile: Profile, findings: Finding[]) => {
        let out = [...run.attach(findings), ...run.findings(profile)];
        let precision: PrecisionResult | undefined;
        if (options.precision !== false && run.result.status === 'ok' && emulates(profile, options.precision?.mode)) {
          precision = await emulate(modelPath, model, profile, options);
          out = [...out, ...(await precisionFindingsFor(precision, profile))];
        }
        return { findings: out, precision };
      },
      observedShapes: run.result.observedShapes?.values,
      summarise: (report: Report) => (report.run = run.summary(report)),
    }),
  });
}

interface LoadedOptions extends CheckOptions {
  /** Adds to a target's findings what a run found (time shares, run and precision findings). */
  extend?: (profile: Profile, findings: Finding[]) => Promise<{ findings: Finding[]; precision: PrecisionResult | undefined }>;
  observedShapes?: Record<string, { dtype: string; dims: number[] }> | undefined;
  summarise?: (report: Report) => void;
}

/**
 * The check of a model already decoded (`bytes` are its file, for the few constants the estimate
 * reads): inspect once, then per target the checks, what a run adds, and the estimate. The fuzzing
 * suite drives this on mutated bytes.
 */
export async function checkLoaded(
  model: ModelIR, bytes: Uint8Array, profiles: Profile[], displayPath: string, options: LoadedOptions,
): Promise<Report> {
  const facts = inspectModel(model);
  const constants = options.estimate === false ? undefined : readSmallConstants(bytes, model.graphs[0]);
  const results = [];
  for (const profile of profiles) {
    let findings: Finding[] = runChecks(model, facts, profile);
    let precision: PrecisionResult | undefined;
    if (options.extend) ({ findings, precision } = await options.extend(profile, findings));
    const estimateOptions = {
      ...options.estimate,
      dims: { ...options.run?.dims, ...(options.estimate ? options.estimate.dims : {}) },
      ...(constants !== undefined && { constants }),
      ...(options.observedShapes !== undefined && { observedShapes: options.observedShapes }),
    };
    // The op table and the partitions it cuts the graph into; crossing sizes from the estimate's
    // shape inference (observed shapes first), which is computed once per model and shared.
    const ops = opTable(facts, profile);
    const partitions = partitionGraph(model, facts, profile, ops, options.estimate === false ? undefined : analyseModel(model, estimateOptions).inference);
    let targetEstimate: TargetEstimate | undefined;
    if (options.estimate !== false) targetEstimate = estimate(model, facts, profile, { ...estimateOptions, partitions });
    results.push({
      profile,
      findings,
      opCoverage: opCoverage(model, facts, profile),
      ops,
      partitions,
      ...(precision !== undefined && { precision }),
      ...(targetEstimate !== undefined && { estimate: targetEstimate }),
    });
  }
  const report = buildReport(model, facts, displayPath, results);
  if (options.serve) {
    const serving = servingPlanOf(model, constants, displayPath, profiles, options.serve);
    if (serving) report.serving = serving;
  }
  options.summarise?.(report);
  return report;
}

/** A target whose policy converts nothing (the H20 runs the model as exported) has nothing to emulate, unless a mode is forced. */
function emulates(profile: Profile, mode: PrecisionMode | undefined): boolean {
  return (mode !== undefined && mode !== 'profile') || profile.precision.policy.converts.length > 0;
}

interface LoadedRun {
  result: RunResult;
  attach(findings: Finding[]): Finding[];
  findings(profile: Profile): Finding[];
  summary(report: Report): NonNullable<Report['run']>;
}

/** Runs the model once (not per target) and keeps what each target's findings need from it. */
async function loadRun(modelPath: string, model: ModelIR, options: RunOptions): Promise<LoadedRun> {
  // Loaded only here: a static check never pays for onnxruntime-node.
  const runtime = await import('./runtime/index.js');
  const result = await runtime.runModel(modelPath, model, options);
  return {
    result,
    attach: (findings) => runtime.attachTimeShares(findings, result),
    findings: (profile) => runFindings(result, profile),
    summary: (report) => {
      const all = report.targets.flatMap((t) => t.findings);
      const blockers = runtime.blockerTimeShare(all, result);
      return { ...result, ...(blockers !== undefined && { blockerTimeShare: blockers }) };
    },
  };
}

async function emulate(modelPath: string, model: ModelIR, profile: Profile, options: CheckOptions): Promise<PrecisionResult> {
  const { emulatePrecision } = await import('./precision/emulate-precision.js');
  const precision = options.precision || {};
  const run = options.run ?? {};
  return emulatePrecision(modelPath, model, profile, {
    ...(precision.mode !== undefined && { precision: precision.mode }),
    ...(precision.thresholds !== undefined && { thresholds: precision.thresholds }),
    ...(run.dims !== undefined && { dims: run.dims }),
    ...(run.shapes !== undefined && { shapes: run.shapes }),
    ...(run.inputs !== undefined && { inputs: run.inputs }),
    ...(run.inputValues !== undefined && { inputValues: run.inputValues }),
    ...(run.seed !== undefined && { seed: run.seed }),
    ...(run.maxInputMB !== undefined && { maxInputMB: run.maxInputMB }),
  });
}

async function precisionFindingsFor(result: PrecisionResult, profile: Profile): Promise<Finding[]> {
  const mod = (await import('./precision/index.js')) as { precisionFindings: (r: PrecisionResult, p: Profile) => Finding[] };
  return mod.precisionFindings(result, profile);
}
