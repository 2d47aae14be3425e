import type { FormatOptions } from './format-options.js';
import type { Report, ReportSet } from './types.js';
import { REPORT_SCHEMA_VERSION } from './types.js';
import { toolVersion } from '../version.js';

/**
 * One model gives its Report; several give a ReportSet ({ schemaVersion, tool, reports }).
 * Key order is fixed by the builders, so the output is byte-identical for the same input.
 */
export function formatJson(reports: Report[], _options: FormatOptions): string {
  if (reports.length === 1) return JSON.stringify(reports[0], null, 2) + '\n';
  const set: ReportSet = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: reports[0]?.tool ?? { name: 'port-check', version: toolVersion() },
    reports,
  };
  return JSON.stringify(set, null, 2) + '\n';
}
