/** The library entry: everything the CLI does is available here. */
export { check, type CheckOptions } from './check.js';
export { plan, type PlanOptions, type Kit, type TargetPlan } from './plan/plan.js';
export { writeKit } from './plan/write-kit.js';
export { effortTotal, type EffortTotal } from './report/effort.js';
export { planFromConfig, type ServeOptions } from './plan-serving.js';
export { planServing, parseServe, readLlmConfig, recogniseLlm, type LlmSpec, type ServeRequest, type ServingPlan, type TargetServingPlan } from './serve/index.js';
export { main as runCli } from './cli/main.js';
export { exitCodeFor, type FailOn } from './cli/exit-code.js';
export { loadModel } from './onnx/load.js';
export { inspectModel } from './inspect/inspect.js';
export { CHECKS, runChecks } from './checks/index.js';
export { RULES } from './rules.js';
export { loadProfileFile, loadBuiltinProfile, resolveTargets, describeTargets } from './profiles/load.js';
export { FORMATTERS, FORMAT_NAMES, formatterFor, type Formatter, type FormatName } from './report/index.js';
export type { FormatOptions, DocumentInfo } from './report/format-options.js';
export { DEFAULT_TARGETS } from './default-targets.js';
export type { Report, ReportSet, ServingReport, TargetReport, ModelSummary, Verdict } from './report/types.js';
export type { Finding, FindingArgs, Severity, SupportLevel, NodeRef } from './findings/finding.js';
export { defineRule, type Rule, type RuleDef, type MessageDef } from './findings/rule.js';
export { formatMessage, messageOf, remedyOf, type MessageStyle } from './findings/render.js';
export type { ModelIR, GraphIR, NodeIR } from './onnx/ir.js';
export type { Profile } from './profiles/schema.js';
export { ModelLoadError, ProfileError, UsageError, ConfigError, PortCheckError } from './errors.js';
// One precision emulation pass (prepared once per model, then a pass per policy or keep-fp32 probe).
export { prepareEmulation, emulationPass, releaseEmulation } from './precision/emulation-pass.js';
export type { EmulationBase, EmulationPass, NodeMetrics, PreparedEmulation } from './precision/emulation-pass.js';
export { resolvePolicy } from './profiles/precision-policy.js';
export { resolveThresholds } from './precision/thresholds.js';
