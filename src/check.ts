import { runChecks, opCoverage } from './checks/index.js';
import type { Finding } from './checks/finding.js';
import { estimate, readSmallConstants } from './estimate/index.js';
import type { TargetEstimate } from './estimate/index.js';
import { inspectModel } from './inspect/inspect.js';
import { loadModelWithBytes } from './onnx/load.js';
import type { PrecisionMode, PrecisionResult, Thresholds } from './precision/types.js';
import { resolveTargets } from './profiles/load.js';
import type { Profile } from './profiles/schema.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/types.js';
import type { RunOptions, RunResult } from './runtime/types.js';
import { runFindings } from './runtime/run-findings.js';

export interface CheckOptions {
  /** Built-in target ids (see `port-check targets`) or ids of profiles given in `profileFiles`. */
  targets: string[];
  /** Extra profile files (YAML); their ids can be named in `targets`. */
  profileFiles?: string[];
  /** How the model path appears in the report; default: the path as given, with forward slashes. */
  displayPath?: string;
  /** Run the model for real on ONNX Runtime (part 2); absent: static check only. */
  run?: RunOptions;
  /** With `run`: emulate each target's precision policy and compare outputs (part 3). Default on with `run`. */
  precision?: { mode?: PrecisionMode; thresholds?: Partial<Thresholds> } | false;
  /** Options of the speed/memory estimate (part 5); false leaves the estimate out. */
  estimate?: { dims?: Record<string, number>; batch?: number; seqLen?: number } | false;
}

/**
 * Checks one model against each target: load, inspect once, run every check per target, then
 * (when asked) run the model, emulate each target's precision and estimate speed and memory.
 * The static part is pure: the same model and options give a byte-identical report.
 */
export async function check(modelPath: string, options: CheckOptions): Promise<Report> {
  const profiles = resolveTargets(options.targets, options.profileFiles ?? []);
  const { model, bytes } = await loadModelWithBytes(modelPath);
  const facts = inspectModel(model);

  const run = options.run ? await loadRun(modelPath, model, options.run) : undefined;
  const constants = options.estimate === false ? undefined : readSmallConstants(bytes, model.graphs[0]);

  const results = [];
  for (const profile of profiles) {
    let findings: Finding[] = runChecks(model, facts, profile);
    let precision: PrecisionResult | undefined;
    if (run) {
      findings = [...run.attach(findings), ...run.findings(profile)];
      if (options.precision !== false && run.result.status === 'ok' && emulates(profile, options.precision?.mode)) {
        precision = await emulate(modelPath, model, profile, options);
        findings = [...findings, ...(await precisionFindingsFor(precision, profile))];
      }
    }
    let targetEstimate: TargetEstimate | undefined;
    if (options.estimate !== false) {
      const observed = run?.result.observedShapes?.values;
      targetEstimate = estimate(model, facts, profile, {
        ...options.estimate,
        dims: { ...options.run?.dims, ...(options.estimate ? options.estimate.dims : {}) },
        ...(constants !== undefined && { constants }),
        ...(observed !== undefined && { observedShapes: observed }),
      });
    }
    results.push({
      profile,
      findings,
      opCoverage: opCoverage(model, facts, profile),
      ...(precision !== undefined && { precision }),
      ...(targetEstimate !== undefined && { estimate: targetEstimate }),
    });
  }
  const report = buildReport(model, facts, options.displayPath ?? modelPath.split('\\').join('/'), results);
  if (run) report.run = run.summary(report);
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
async function loadRun(modelPath: string, model: Parameters<typeof import('./runtime/index.js').runModel>[1], options: RunOptions): Promise<LoadedRun> {
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

async function emulate(modelPath: string, model: Parameters<typeof import('./runtime/index.js').runModel>[1], profile: Profile, options: CheckOptions): Promise<PrecisionResult> {
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
