import type { Finding } from '../findings/finding.js';
import { messageOf, remedyOf } from '../findings/render.js';
import type { RuleDef } from '../findings/rule.js';
import type { FormatOptions } from './format-options.js';
import type { JsonReport, RenderedFinding, Report, ReportSet } from './types.js';
import { REPORT_SCHEMA_VERSION } from './types.js';
import { toolVersion } from '../version.js';

/**
 * One model gives its Report; several give a ReportSet ({ schemaVersion, tool, reports }). Each
 * finding carries its message and remedy rendered in plain words beside its code and args, for
 * tools that do not render. Key order is fixed here and by the builders, so the output is
 * byte-identical for the same input.
 */
export function formatJson(reports: Report[], options: FormatOptions): string {
  const rendered = reports.map((r) => renderReport(r, options.rules));
  if (rendered.length === 1) return JSON.stringify(rendered[0], null, 2) + '\n';
  const set: ReportSet = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: reports[0]?.tool ?? { name: 'port-check', version: toolVersion() },
    reports: rendered,
  };
  return JSON.stringify(set, null, 2) + '\n';
}

function renderReport(report: Report, rules: readonly RuleDef[]): JsonReport {
  return {
    ...report,
    targets: report.targets.map(({ suppressed, ...t }) => ({
      ...t,
      findings: t.findings.map((f) => renderFinding(f, rules)),
      ...(suppressed && { suppressed: suppressed.map((f) => renderFinding(f, rules)) }),
    })),
  };
}

function renderFinding(f: Finding, rules: readonly RuleDef[]): RenderedFinding {
  return {
    rule: f.rule,
    code: f.code,
    severity: f.severity,
    level: f.level,
    ...(f.op !== undefined && { op: f.op }),
    ...(f.domain !== undefined && { domain: f.domain }),
    ...(f.opset !== undefined && { opset: f.opset }),
    nodeCount: f.nodeCount,
    nodes: f.nodes,
    message: messageOf(f, rules),
    remedy: remedyOf(f, rules),
    effort: f.effort,
    source: f.source,
    args: f.args,
    ...(f.timeShare !== undefined && { timeShare: f.timeShare }),
  };
}
