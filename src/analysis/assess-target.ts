import type { ModelAnalysis } from './types.js';
import type { CheckOptions } from '../check.js';
import { opCoverage } from '../assess/op-coverage.js';
import { opTable, type OpTableRow } from '../assess/op-table.js';
import { partitionGraph, type GraphPartitions } from '../assess/partition-graph.js';
import { runChecks } from '../checks/index.js';
import type { Finding } from '../findings/finding.js';
import { estimate, targetMemory } from '../estimate/index.js';
import { precisionForTarget } from '../precision/emulate-precision.js';
import { precisionFindings } from '../precision/findings.js';
import { emulates, policyKey, resolvePolicy } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import type { TargetEstimate } from '../estimate/index.js';
import type { PrecisionResult } from '../precision/types.js';
import type { SupportLevel } from '../findings/finding.js';
import { runFindings } from '../runtime/run-findings.js';
import { attachTimeShares } from '../runtime/time-share.js';

/**
 * One target's verdicts: a pure function of the model's analysis and the target's profile. The
 * checks, what the run showed (time shares, run findings), what the target's precision policy
 * costs (the analysis's emulation for that policy), the memory one inference needs (one figure
 * for the memory-fit finding and the estimate) and the estimate.
 */
/** One target's results, as the report is built from them. */
export interface TargetAssessment {
  profile: Profile;
  findings: Finding[];
  opCoverage: Record<SupportLevel, number>;
  ops: OpTableRow[];
  partitions: GraphPartitions;
  precision?: PrecisionResult;
  estimate?: TargetEstimate;
}

export function assessTarget(analysis: ModelAnalysis, profile: Profile, options: CheckOptions): TargetAssessment {
  const { model, facts, run } = analysis;
  const memory = targetMemory(model, analysis.shapes, profile, options.estimate ? options.estimate.seqLen : undefined);
  // The op table and the partitions it cuts the graph into, once per target for the checks and the
  // report; crossing sizes from the analysis's shapes (observed in the run where there was one).
  const ops = opTable(facts, profile);
  const { inference } = analysis.shapes;
  const partitions = partitionGraph(model, facts, profile, ops, inference);
  let findings: Finding[] = runChecks(model, facts, profile, { memory, ops, partitions });
  if (run) findings = [...attachTimeShares(findings, run), ...runFindings(run, profile)];
  const mode = (options.precision ? options.precision.mode : undefined) ?? 'profile';
  const emulated = resolvePolicy(profile, mode);
  const emulation = run && emulates(emulated) ? analysis.emulations.get(policyKey(emulated)) : undefined;
  const precision = emulation && precisionForTarget(emulation, profile, model);
  if (precision) findings = [...findings, ...precisionFindings(precision, profile)];
  return {
    profile,
    findings,
    opCoverage: opCoverage(model, facts, profile),
    ops,
    partitions,
    ...(precision !== undefined && { precision }),
    ...(options.estimate !== false && { estimate: estimate(model, facts, profile, { ...options.estimate, analysis: analysis.shapes, partitions, memory }) }),
  };
}
