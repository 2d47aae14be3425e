import type { Finding, Severity, SupportLevel } from '../findings/finding.js';
import { compareFindings } from '../findings/order.js';
import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR, ValueInfoIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import { toolVersion } from '../version.js';
import { describeSources } from '../findings/sources.js';
import type { HardwareFigure, ModelSummary, Report, TargetReport, Verdict } from './types.js';
import { REPORT_SCHEMA_VERSION } from './types.js';

export interface TargetResult {
  profile: Profile;
  findings: Finding[];
  opCoverage: Record<SupportLevel, number>;
  ops: TargetReport['ops'];
  partitions: TargetReport['partitions'];
  precision?: TargetReport['precision'];
  estimate?: TargetReport['estimate'];
  effortRates?: TargetReport['effortRates'];
}

const LEVELS: SupportLevel[] = ['supported', 'degraded', 'unsupported', 'unknown'];

/**
 * The verdict is the worst thing found: an error-severity unsupported finding blocks; missing
 * evidence (unknown) outranks degraded, because "we could not tell" must not read as "fine".
 */
export function verdictOf(findings: Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'error' && f.level === 'unsupported')) return 'blocked';
  if (findings.some((f) => f.severity === 'error')) return 'blocked';
  if (findings.some((f) => f.level === 'unknown')) return 'unknown';
  if (findings.some((f) => f.level === 'degraded' || f.level === 'unsupported')) return 'runs-with-changes';
  return 'ready';
}

function countBy<K extends string>(keys: readonly K[], values: K[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) out[v] += 1;
  return out;
}

export function buildTargetReport(result: TargetResult): TargetReport {
  const findings = [...result.findings].sort(compareFindings);
  return {
    id: result.profile.id,
    name: result.profile.name,
    verdict: verdictOf(findings),
    counts: countBy<Severity>(['error', 'warning', 'info'], findings.map((f) => f.severity)),
    levels: countBy(LEVELS, findings.map((f) => f.level)),
    opCoverage: result.opCoverage,
    evidence: result.profile.evidence.map(({ source: _source, ...e }) => e),
    ops: result.ops,
    partitions: result.partitions,
    findings,
    ...(result.precision !== undefined && { precision: result.precision }),
    ...(result.estimate !== undefined && { estimate: result.estimate }),
    ...(result.effortRates !== undefined && { effortRates: result.effortRates }),
    hardware: hardwareFigures(result.profile),
  };
}

const PEAK_UNIT: Partial<Record<string, string>> = { int8: 'TOPS', int4: 'TOPS', int16: 'TOPS', int32: 'TOPS', int2: 'TOPS' };

/** The profile's hardware figures in the order a reader compares them. */
export function hardwareFigures(profile: Profile): HardwareFigure[] {
  const hw = profile.hardware;
  type Figure = Profile['hardware']['memoryGiB'];
  const figure = (name: string, f: Figure, unit: string): HardwareFigure => ({
    name,
    value: f.value,
    unit,
    confidence: f.confidence,
    source: describeSources(profile, f.source),
    ...(f.note !== undefined && { note: f.note }),
  });
  return [
    figure('Device memory', hw.memoryGiB, 'GiB'),
    figure('Memory bandwidth', hw.memoryBandwidthTBs, 'TB/s'),
    ...Object.entries(hw.peakTflops).flatMap(([precision, f]) => (f ? [figure(`Peak ${precision}`, f, PEAK_UNIT[precision] ?? 'TFLOPS')] : [])),
    figure(`Interconnect (${hw.interconnect.name})`, hw.interconnect.bandwidthGBs, 'GB/s per chip'),
    ...(hw.tdpW ? [figure('Power (TDP)', hw.tdpW, 'W')] : []),
  ];
}

function describeValue(v: ValueInfoIR): ModelSummary['inputs'][number] {
  return {
    name: v.name,
    ...(v.dtype !== undefined && { dtype: v.dtype }),
    ...(v.dims !== undefined && { dims: v.dims }),
  };
}

export function summarizeModel(model: ModelIR, facts: ModelFacts, displayPath: string): ModelSummary {
  const main = model.graphs[0];
  const initializerNames = new Set(main?.initializers.map((i) => i.name));
  return {
    path: displayPath,
    fileBytes: model.fileBytes,
    irVersion: model.irVersion,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opsets: sortedRecord(model.opsetImports),
    nodeCount: facts.nodeCount,
    graphCount: model.graphs.length,
    opTypeCount: facts.ops.length,
    parameterCount: facts.parameterCount,
    parameterBytes: facts.parameterBytes,
    externalDataBytes: facts.externalDataBytes,
    // Initializers listed as graph inputs (IR < 4 style) are weights, not inputs a user feeds.
    inputs: (main?.inputs ?? []).filter((v) => !initializerNames.has(v.name)).map(describeValue),
    outputs: (main?.outputs ?? []).map(describeValue),
    dtypes: facts.dtypes.map((d) => d.dtype).sort(),
    customDomains: [...facts.customDomains].sort(),
  };
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function buildReport(
  model: ModelIR,
  facts: ModelFacts,
  displayPath: string,
  results: TargetResult[],
  whole: Pick<Report, 'run' | 'serving'> = {},
): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'port-check', version: toolVersion() },
    model: summarizeModel(model, facts, displayPath),
    targets: results.map(buildTargetReport),
    ...whole,
  };
}
