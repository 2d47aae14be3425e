import { runChecks, opCoverage } from './checks/index.js';
import { inspectModel } from './inspect/inspect.js';
import { loadModel } from './onnx/load.js';
import { resolveTargets } from './profiles/load.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/types.js';

export interface CheckOptions {
  /** Built-in target ids (see `port-check targets`) or ids of profiles given in `profileFiles`. */
  targets: string[];
  /** Extra profile files (YAML); their ids can be named in `targets`. */
  profileFiles?: string[];
  /** How the model path appears in the report; default: the path as given, with forward slashes. */
  displayPath?: string;
}

/**
 * The static check: load the model, inspect it once, run every check against each target.
 * Pure with respect to its inputs: the same model and options give a byte-identical report.
 */
export async function check(modelPath: string, options: CheckOptions): Promise<Report> {
  const profiles = resolveTargets(options.targets, options.profileFiles ?? []);
  const model = await loadModel(modelPath);
  const facts = inspectModel(model);
  const results = profiles.map((profile) => ({
    profile,
    findings: runChecks(model, facts, profile),
    opCoverage: opCoverage(model, facts, profile),
  }));
  return buildReport(model, facts, options.displayPath ?? modelPath.split('\\').join('/'), results);
}
