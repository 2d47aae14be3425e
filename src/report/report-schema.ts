import { z } from 'zod';
import { effortClass, supportLevel } from '../profiles/schema.js';
import type { Finding, NodeRef } from '../checks/finding.js';
import type { ModelSummary, Report, ReportSet, TargetReport } from './types.js';

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
  args: z.record(z.string(), z.union([z.string(), z.number()])),
  timeShare: z.number().min(0).max(1).optional(),
});

const byLevel = z.strictObject({ supported: count, degraded: count, unsupported: count, unknown: count });

const targetReport = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  verdict,
  counts: z.strictObject({ error: count, warning: count, info: count }),
  levels: byLevel,
  opCoverage: byLevel,
  findings: z.array(finding),
  suppressed: z.array(finding).optional(),
  // The run, precision and estimate sections are described by their own modules' types; the
  // schema pins their top-level keys and leaves the rest open (see the Same<> checks below).
  precision: z.looseObject({ status: z.enum(['ok', 'failed']), mode: z.string(), target: z.string(), outputs: z.array(z.looseObject({ name: z.string() })) }).optional(),
  estimate: z.looseObject({ latencyMs: z.number().nullable().optional(), assumptions: z.array(z.string()) }).optional(),
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
  targets: z.array(targetReport),
  run: z.looseObject({
    status: z.enum(['ok', 'failed']),
    providers: z.array(z.looseObject({ name: z.string(), status: z.string() })),
    backends: z.array(z.looseObject({ provider: z.string(), status: z.enum(['ok', 'failed']) })),
    inputs: z.array(z.looseObject({ name: z.string(), dtype: z.string(), dims: z.array(z.number()) })),
    assumptions: z.array(z.string()),
  }).optional(),
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
const sameNodeRef: Same<z.infer<typeof nodeRef>, NodeRef> = true;
const sameFinding: Same<z.infer<typeof finding>, Finding> = true;
type Open = 'precision' | 'estimate' | 'run';
const sameTarget: Same<Omit<z.infer<typeof targetReport>, Open>, Omit<TargetReport, Open>> = true;
const sameModel: Same<z.infer<typeof modelSummary>, ModelSummary> = true;
const sameReport: Same<Omit<z.infer<typeof reportSchema>, Open | 'targets'>, Omit<Report, Open | 'targets'>> = true;
void [sameNodeRef, sameFinding, sameTarget, sameModel, sameReport];

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
  const generated = z.toJSONSchema(reportFileSchema, {
    target: 'draft-7',
    unrepresentable: 'throw',
    metadata: names,
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'port-check report',
    description: "One model's Report, or a ReportSet of several (multi-model runs, `port-check merge`).",
    ...rest,
  };
}
