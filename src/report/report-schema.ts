import { z } from 'zod';
import { effortClass, engine, supportLevel } from '../profiles/schema.js';
import type { NodeRef } from '../findings/finding.js';
import type { JsonReport, JsonTargetReport, ModelSummary, RenderedFinding } from './types.js';
import type { ServingReport } from './types.js';
import type { ServingPlan } from '../serve/types.js';

/**
 * The JSON report's schema, as zod: `port-check merge` validates shards with it, and
 * scripts/write-report-schema.ts turns it into schema/report.schema.json (a test keeps that file
 * in step). The type assertions at the bottom fail to compile when this drifts from types.ts.
 */

const severity = z.enum(['error', 'warning', 'info']);
const verdict = z.enum(['ready', 'runs-with-changes', 'blocked', 'unknown']);
const count = z.number().int().nonnegative();
const dims = z.array(z.union([z.number(), z.string(), z.null()]));

const nodeRef = z.strictObject({
  name: z.string(),
  graph: z.string(),
  index: z.number().int(),
});

const finding = z.strictObject({
  rule: z.string().min(1),
  code: z.string().min(1),
  severity,
  level: supportLevel,
  op: z.string().optional(),
  domain: z.string().optional(),
  opset: z.number().int().optional(),
  nodeCount: count,
  nodes: z.array(nodeRef),
  message: z.string(),
  remedy: z.string(),
  effort: effortClass,
  source: z.array(z.string()),
  args: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
  timeShare: z.number().min(0).max(1).optional(),
});

const byLevel = z.strictObject({ supported: count, degraded: count, unsupported: count, unknown: count });

// --- The run (src/runtime/types.ts, src/runtime/time-share.ts) ---

const share = z.number().min(0).max(1);
const ms = z.number().nonnegative();
const intDims = z.array(z.number().int());
const providerName = z.enum(['cpu', 'cuda', 'tensorrt', 'webgpu']);
const upcast = z.enum(['upcast-bf16-to-fp32', 'upcast-fp16-to-fp32']);
const confidence = z.enum(['high', 'medium', 'low']);

const providerStatus = z.strictObject({
  name: providerName,
  status: z.enum(['ok', 'absent', 'unavailable']),
  reason: z.string().optional(),
  howTo: z.string().optional(),
});

const inputUsed = z.strictObject({
  name: z.string(),
  dtype: z.string(),
  dims: intDims,
  source: z.enum(['synthesised', 'file', 'value']),
  detail: z.string(),
});

const latencyStats = z.strictObject({ p50: ms, p90: ms, p99: ms, mean: ms, min: ms, max: ms });

const opTypeShare = z.strictObject({
  opType: z.string(),
  domain: z.string(),
  ms,
  share,
  nodeCount: count,
  providers: z.array(z.string()),
});

const nodeTime = z.strictObject({
  name: z.string(),
  opType: z.string(),
  domain: z.string(),
  provider: z.string(),
  ms,
});

const backendRun = z.strictObject({
  provider: providerName,
  status: z.enum(['ok', 'failed']),
  reason: z.string().optional(),
  sessionMs: ms.optional(),
  iterations: count.optional(),
  latencyMs: latencyStats.optional(),
  peakRssMB: z.number().nonnegative().optional(),
  opTypeShares: z.array(opTypeShare).optional(),
  profiledNodeMs: ms.optional(),
  nodeTimes: z.array(nodeTime).optional(),
  nodeTimesTotal: count.optional(),
});

const observedShapes = z.strictObject({
  provider: providerName,
  values: z.record(z.string(), z.strictObject({ dtype: z.string(), dims: intDims })),
  requested: count,
  missing: z.array(z.string()),
  fromProfile: count,
  chunks: count,
});

const blockerTime = z.strictObject({ share, provider: providerName, findings: count });

const runSection = z.strictObject({
  status: z.enum(['ok', 'failed']),
  reason: z.string().optional(),
  reference: upcast.optional(),
  onnxruntimeVersion: z.string().optional(),
  providers: z.array(providerStatus),
  backends: z.array(backendRun),
  inputs: z.array(inputUsed),
  observedShapes: observedShapes.optional(),
  assumptions: z.array(z.string()),
  blockerTimeShare: blockerTime.optional(),
});

// --- Precision emulation (src/precision/types.ts); its numbers are finite, a missing value is null ---

const metricName = z.enum([
  'cosine', 'relativeEuclidean', 'rmse', 'meanRelativeError', 'maxAbsError', 'maxRelativeError', 'top1', 'newNonFinite', 'shape',
]);

const thresholds = z.strictObject({
  absoluteTolerance: z.number(),
  cosine: z.number(),
  relativeEuclidean: z.number(),
  rmse: z.number(),
  meanRelativeError: z.number(),
  maxAbsError: z.number().optional(),
  maxRelativeError: z.number().optional(),
  top1: z.number().optional(),
});

const valueStats = z.strictObject({ nan: count, inf: count, maxAbs: z.number() });

const topKAgreement = z.strictObject({ k: z.number().int().positive(), agreement: z.number(), rows: count });

const tensorMetrics = z.strictObject({
  elements: count,
  compared: count,
  cosine: z.number(),
  maxAbsError: z.number(),
  meanAbsError: z.number(),
  rmse: z.number(),
  maxRelativeError: z.number().nullable(),
  meanRelativeError: z.number().nullable(),
  relativeEuclidean: z.number().nullable(),
  reference: valueStats,
  emulated: valueStats,
  newNonFinite: count,
  topK: z.array(topKAgreement).optional(),
});

const thresholdMiss = z.strictObject({ metric: metricName, value: z.number(), threshold: z.number() });

const nodeAtShape = {
  node: z.string(),
  opType: z.string(),
  index: z.number().int(),
  named: z.boolean(),
};
const nodeAt = z.strictObject(nodeAtShape);

const outputComparison = z.strictObject({
  name: z.string(),
  dtype: z.string(),
  dims: intDims,
  metrics: tensorMetrics.optional(),
  verdict: z.enum(['pass', 'fail', 'skipped']),
  misses: z.array(thresholdMiss),
  node: nodeAt.optional(),
  note: z.string().optional(),
});

const firstDrift = z.strictObject({
  ...nodeAtShape,
  output: z.string(),
  metric: metricName,
  value: z.number(),
  threshold: z.number(),
  cosine: z.number(),
  relativeEuclidean: z.number().nullable(),
});

const layerDrift = z.strictObject({
  ...nodeAtShape,
  output: z.string(),
  dims: intDims,
  cosine: z.number(),
  relativeEuclidean: z.number().nullable(),
  maxAbsError: z.number(),
});

const overflowKind = z.enum(['fp16-overflow', 'nan-inf']);

const overflow = z.strictObject({
  ...nodeAtShape,
  kind: overflowKind,
  output: z.string(),
  weight: z.literal(true).optional(),
  count,
  elements: count,
  maxAbs: z.number(),
});

const layerwiseSummary = z.strictObject({
  compared: count,
  missing: count,
  unvisited: count,
  chunks: count,
  drifting: count,
  worst: z.array(layerDrift),
  overflowValues: z.strictObject({ 'fp16-overflow': count, 'nan-inf': count }),
});

const computePrecision = z.enum(['fp32', 'fp16', 'bf16']);

const precisionResult = z.strictObject({
  status: z.enum(['ok', 'failed']),
  reason: z.string().optional(),
  mode: z.enum(['fp16', 'bf16', 'fp32', 'profile']),
  target: z.string(),
  policy: z.strictObject({
    name: z.string(),
    compute: computePrecision,
    converts: z.array(z.string()),
    keepOps: z.array(z.string()),
    from: z.enum(['profile', 'option']),
  }),
  reference: upcast.optional(),
  emulated: z.array(z.string()),
  notEmulated: z.array(z.string()),
  inputs: z.array(inputUsed),
  assumptions: z.array(z.string()),
  thresholds,
  outputs: z.array(outputComparison),
  layerwise: layerwiseSummary.optional(),
  firstDrift: firstDrift.optional(),
  overflows: z.array(overflow),
  keepDtypeSuggestion: z.array(z.string()),
});

// --- The estimate (src/estimate/types.ts, memory.ts, interconnect.ts) ---

const bound = z.enum(['compute', 'memory']);

const opTypeTime = z.strictObject({
  opType: z.string(),
  domain: z.string(),
  nodes: count,
  ms,
  share,
  bound,
});

const nodeTimeSummary = z.strictObject({
  name: z.string(),
  opType: z.string(),
  domain: z.string(),
  ms,
  share,
  bound,
  flops: z.number().nonnegative(),
  bytes: z.number().nonnegative(),
});

const notCostedNode = z.strictObject({ name: z.string(), opType: z.string(), domain: z.string(), reason: z.string() });

const memoryEstimate = z.strictObject({
  weightsBytes: z.number().nonnegative(),
  activationBytes: z.number().nonnegative(),
  kvCacheBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
  deviceBytes: z.number().nonnegative(),
  usableFraction: share,
  fits: z.boolean(),
  chipsNeeded: z.number().int().positive(),
  unsizedValues: count,
});

const interconnectEstimate = z.strictObject({
  chips: z.number().int().positive(),
  link: z.string(),
  bandwidthGBs: z.number().nonnegative(),
  confidence,
  scheme: z.enum(['megatron-tensor-parallel', 'output-channel-split']),
  layers: count,
  collectivesPerLayer: count,
  perLayerBytes: z.number().nonnegative(),
  bytesPerChipPerInference: z.number().nonnegative(),
  commMsPerInference: ms,
  commMsPerToken: ms.optional(),
  computeMsPerChip: ms,
  commShare: share,
});

const targetEstimate = z.strictObject({
  latencyMs: ms,
  computeBoundShare: share,
  memoryBoundShare: share,
  confidence,
  bottleneck: z.enum(['compute', 'memory', 'interconnect', 'unknown']),
  computePrecisions: z.array(z.string()),
  flops: z.number().nonnegative(),
  bytesMoved: z.number().nonnegative(),
  topOpTypes: z.array(opTypeTime),
  topNodes: z.array(nodeTimeSummary),
  nodesCosted: count,
  nodesNotCosted: z.strictObject({ count, examples: z.array(notCostedNode) }),
  memory: memoryEstimate,
  interconnect: interconnectEstimate.optional(),
  hostTransfer: z.strictObject({
    link: z.string(),
    bandwidthGBs: z.number().nonnegative(),
    confidence,
    crossings: count,
    bytes: z.number().nonnegative(),
    unsizedCrossings: count,
    ms,
  }).optional(),
  assumptions: z.array(z.string()),
});

const dayRange = z.tuple([z.number().nonnegative(), z.number().nonnegative()]);
const effortRates = z.strictObject({
  days: z.strictObject({ low: dayRange, medium: dayRange, high: dayRange }),
  basis: z.string(),
});

const hardwareFigure = z.strictObject({
  name: z.string(),
  value: z.number().nonnegative(),
  unit: z.string(),
  confidence,
  source: z.array(z.string()),
  note: z.string().optional(),
});

// --- The op table and the graph partitions (src/assess/op-table.ts, partition-graph.ts) ---

const opTableRow = z.strictObject({
  op: z.string(),
  domain: z.string(),
  opset: z.number().int().optional(),
  nodeCount: count,
  level: supportLevel,
  engine: z.enum([...engine.options, 'unknown']),
  targetOp: z.string().optional(),
  dtypes: z.array(z.string()).optional(),
  evidence: z.strictObject({ key: z.string(), sources: z.array(z.string()) }),
});

const graphPartitions = z.strictObject({
  device: z.string(),
  host: z.string(),
  partitions: count,
  hostIslands: count,
  islands: z.array(z.strictObject({ nodes: count, ops: z.array(z.string()) })),
  crossings: count,
  crossingBytes: z.number().nonnegative(),
  unsizedCrossings: count,
  shapes: z.enum(['observed', 'inferred', 'mixed', 'none']),
});

const evidenceVersion = z.strictObject({
  component: z.string(),
  version: z.string().optional(),
  commit: z.string().optional(),
  date: z.string().optional(),
});

// --- The LLM serving plan (src/serve/types.ts, llm-spec.ts, serve-request.ts) ---
const servingPrecision = z.enum(['bf16', 'fp8', 'int8', 'int4']);
const confidenceLevel = z.enum(['high', 'medium', 'low']);
const servingBound = z.enum(['compute', 'memory', 'link']);
const positive = z.number().nonnegative();
const llmSpec = z.strictObject({
  name: z.string(),
  source: z.enum(['onnx-graph', 'hf-config']),
  detectedBy: z.string(),
  layers: count, hidden: count, heads: count, kvHeads: count, headDim: count, vocab: count,
  moe: z.strictObject({ experts: count, perToken: count, sharedExperts: count, moeLayers: count }).optional(),
  mla: z.strictObject({ kvLoraRank: count, ropeDim: count, nopeDim: count, vHeadDim: count }).optional(),
  parameters: z.strictObject({ total: positive, activePerToken: positive, routedExperts: positive }),
  kvElementsPerToken: positive,
  attentionFlopsPerPair: z.strictObject({ decode: positive, prefill: positive }),
});
const serveRequest = z.strictObject({
  batch: count, context: count, output: count, precision: servingPrecision, kv: servingPrecision,
  chips: count.optional(), throughput: positive.optional(), tpotMs: positive.optional(),
});
const servingLayout = z.strictObject({
  chips: count, tp: count, ep: count, pp: count, stage: count, scheme: z.enum(['tensor-parallel', 'expert-parallel']),
});
const targetServingPlan = z.strictObject({
  target: z.string(),
  name: z.string(),
  precision: z.strictObject({
    weights: servingPrecision, kv: servingPrecision, supported: z.array(servingPrecision), linearTflops: positive, attentionTflops: positive,
    note: z.string().optional(),
  }),
  confidence: confidenceLevel,
  weightsBytes: positive,
  kvBytesPerToken: positive,
  kvBytesPerSequence: positive,
  memoryChips: count,
  layout: servingLayout,
  memoryPerChipBytes: positive,
  usableBytesPerChip: positive,
  fits: z.boolean(),
  sequencesPerChip: count,
  prefill: z.strictObject({
    tokens: count, ms: positive, computeMs: positive, memoryMs: positive, bound: z.enum(['compute', 'memory']), tokensPerSecondPerChip: positive,
  }),
  decode: z.strictObject({
    computeMs: positive, memoryMs: positive, linkMs: positive, batch: count, tpotMs: positive,
    tokensPerSecond: positive, tokensPerSecondPerChip: positive, bound: servingBound,
  }),
  collectives: z.strictObject({
    link: z.string(), topology: z.string(), domainChips: count, bandwidthGBs: positive, confidence: confidenceLevel,
    source: z.string().optional(), kind: z.enum(['all-to-all dispatch + combine', 'two all-reduces']), degree: count,
    perTokenPerLayerUs: positive,
  }),
  forTpot: z.union([
    z.strictObject({ targetMs: positive, reachable: z.literal(true), chips: count, tpotMs: positive, layout: servingLayout }),
    z.strictObject({ targetMs: positive, reachable: z.literal(false), tpotMs: positive, bound: servingBound }),
  ]).optional(),
  forThroughput: z.strictObject({ tokensPerSecond: positive, instances: count, chips: count }).optional(),
  curve: z.array(z.strictObject({ batch: count, tpotMs: positive, tokensPerSecondPerChip: positive, fits: z.boolean() })),
  assumptions: z.array(z.string()),
});
const servingPlan = z.strictObject({
  llm: llmSpec,
  request: serveRequest,
  targets: z.array(targetServingPlan),
  skipped: z.array(z.strictObject({ target: z.string(), reason: z.string() })),
});

const targetReport = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  verdict,
  counts: z.strictObject({ error: count, warning: count, info: count }),
  levels: byLevel,
  opCoverage: byLevel,
  evidence: z.array(evidenceVersion).optional(),
  ops: z.array(opTableRow).optional(),
  partitions: graphPartitions.optional(),
  findings: z.array(finding),
  suppressed: z.array(finding).optional(),
  precision: precisionResult.optional(),
  estimate: targetEstimate.optional(),
  effortRates: effortRates.optional(),
  hardware: z.array(hardwareFigure).optional(),
});

const valueSummary = z.strictObject({
  name: z.string(),
  dtype: z.string().optional(),
  dims: dims.optional(),
});

const modelSummary = z.strictObject({
  path: z.string(),
  fileBytes: count,
  irVersion: z.number().int(),
  producer: z.string(),
  opsets: z.record(z.string(), z.number().int()),
  nodeCount: count,
  graphCount: count,
  opTypeCount: count,
  parameterCount: count,
  parameterBytes: count,
  externalDataBytes: count,
  inputs: z.array(valueSummary),
  outputs: z.array(valueSummary),
  dtypes: z.array(z.string()),
  customDomains: z.array(z.string()),
});

const tool = z.strictObject({ name: z.literal('port-check'), version: z.string() });

export const reportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  tool,
  model: modelSummary,
  loadError: z.string().optional(),
  targets: z.array(targetReport),
  run: runSection.optional(),
  serving: servingPlan.optional(),
});

/** `port-check --llm-config FILE` without a model: the serving plan alone. */
export const servingReportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  tool,
  serving: servingPlan,
});

export const reportSetSchema = z.strictObject({
  schemaVersion: z.literal(1),
  tool,
  reports: z.array(reportSchema),
});

/** A port-check JSON file: one model's Report or a multi-model ReportSet. */
export const reportFileSchema = z.union([reportSchema, reportSetSchema]);

// Compile-time: the schema and the TypeScript contract describe the same data, both ways.
// (The generic-function form compares exactly: an optional field on one side only is a mismatch.)
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/**
 * Both sides are rebuilt property by property (optional and nullable kept) before they are
 * compared: Same<> otherwise tells an intersection (Report.run is RunResult & { blockerTimeShare? })
 * or an interface that extends another from the one object type it amounts to.
 */
type Plain<T> = T extends readonly (infer U)[] ? Plain<U>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
const sameNodeRef: Same<Plain<z.infer<typeof nodeRef>>, Plain<NodeRef>> = true;
const sameFinding: Same<Plain<z.infer<typeof finding>>, Plain<RenderedFinding>> = true;
const sameTarget: Same<Plain<z.infer<typeof targetReport>>, Plain<JsonTargetReport>> = true;
const sameModel: Same<Plain<z.infer<typeof modelSummary>>, Plain<ModelSummary>> = true;
const sameReport: Same<Plain<z.infer<typeof reportSchema>>, Plain<JsonReport>> = true;
const sameServing: Same<Plain<z.infer<typeof servingPlan>>, Plain<ServingPlan>> = true;
const sameServingReport: Same<Plain<z.infer<typeof servingReportSchema>>, Plain<ServingReport>> = true;
void [sameNodeRef, sameFinding, sameTarget, sameModel, sameReport, sameServing, sameServingReport];

/**
 * schema/report.schema.json's content: JSON Schema draft-07 of a Report or ReportSet, written by
 * scripts/write-report-schema.ts.
 */
export function reportJsonSchemaText(): string {
  return JSON.stringify(reportJsonSchema(), null, 2) + '\n';
}

export function reportJsonSchema(): Record<string, unknown> {
  // Named definitions, so that the file reads like the TypeScript contract and each part appears once.
  const names = z.registry<{ id: string }>();
  names.add(reportSchema, { id: 'Report' });
  names.add(reportSetSchema, { id: 'ReportSet' });
  names.add(targetReport, { id: 'TargetReport' });
  names.add(modelSummary, { id: 'ModelSummary' });
  names.add(finding, { id: 'Finding' });
  names.add(nodeRef, { id: 'NodeRef' });
  names.add(runSection, { id: 'RunResult' });
  names.add(providerStatus, { id: 'ProviderStatus' });
  names.add(backendRun, { id: 'BackendRun' });
  names.add(inputUsed, { id: 'InputUsed' });
  names.add(precisionResult, { id: 'PrecisionResult' });
  names.add(outputComparison, { id: 'OutputComparison' });
  names.add(tensorMetrics, { id: 'TensorMetrics' });
  names.add(thresholdMiss, { id: 'ThresholdMiss' });
  names.add(targetEstimate, { id: 'TargetEstimate' });
  names.add(memoryEstimate, { id: 'MemoryEstimate' });
  names.add(interconnectEstimate, { id: 'InterconnectEstimate' });
  names.add(opTableRow, { id: 'OpTableRow' });
  names.add(graphPartitions, { id: 'GraphPartitions' });
  names.add(servingReportSchema, { id: 'ServingReport' });
  names.add(servingPlan, { id: 'ServingPlan' });
  names.add(targetServingPlan, { id: 'TargetServingPlan' });
  names.add(llmSpec, { id: 'LlmSpec' });
  const generated = z.toJSONSchema(z.union([reportSchema, reportSetSchema, servingReportSchema]), {
    target: 'draft-7',
    unrepresentable: 'throw',
    metadata: names,
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'port-check report',
    description: "One model's Report, a ReportSet of several (multi-model runs, `port-check merge`), or a ServingReport (`--llm-config` without a model).",
    ...rest,
  };
}
