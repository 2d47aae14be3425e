/** The library entry: everything the CLI does is available here. */
export { check, type CheckOptions } from './check.js';
export { plan, type PlanOptions, type Kit, type TargetPlan } from './plan/plan.js';
export { writeKit } from './plan/write-kit.js';
export { effortTotal, type EffortTotal } from './report/effort.js';
export { main as runCli } from './cli/main.js';
export { exitCodeFor, type FailOn } from './cli/exit-code.js';
export { loadModel } from './onnx/load.js';
export { inspectModel } from './inspect/inspect.js';
export { CHECKS, runChecks } from './checks/index.js';
export { RULES } from './rules.js';
export { loadProfileFile, loadBuiltinProfile, resolveTargets, describeTargets } from './profiles/load.js';
export { FORMATTERS, formatterFor } from './report/index.js';
export type { Report, ReportSet, TargetReport, ModelSummary, Verdict } from './report/types.js';
export type { Finding, Severity, SupportLevel, NodeRef } from './checks/finding.js';
export type { ModelIR, GraphIR, NodeIR } from './onnx/ir.js';
export type { Profile } from './profiles/schema.js';
export { ModelLoadError, ProfileError, UsageError, ConfigError, PortCheckError } from './errors.js';
