import { defineRule } from '../findings/rule.js';
import type { Profile } from '../profiles/schema.js';
import { toolVersion } from '../version.js';
import { buildTargetReport } from './build.js';
import type { Report } from './types.js';
import { REPORT_SCHEMA_VERSION } from './types.js';

/**
 * A model that could not be read, among others (a folder, a glob): it gets a report of its own,
 * so that the other models' reports still come out and every format names the broken file where
 * its findings would be (SARIF and GitHub as an error on that file, JUnit as a failure). The CLI
 * exits 2 when any model failed to load; a single model given alone still fails with one line.
 */
export const LOAD_RULE = defineRule({
  id: 'load',
  summary: '(several models) a model file that could not be read: its report holds only this error, the other models are checked as usual',
  description: 'Whether the model file could be read and decoded as ONNX, when several models are checked at once.',
  stage: 'check',
  messages: {
    'unreadable-model': {
      text: 'The model could not be read: {reason}',
      severity: 'error',
      level: 'unknown',
      description: 'The file is not an ONNX model port-check can read (damaged, truncated, not ONNX, or past a limit); nothing else was checked.',
      remedy: 'Fix or re-export the model file; the other models were checked as usual.',
      effort: 'none',
    },
  },
});

/** The report of a model that failed to load: its path, the reason, one error per target. */
export function loadErrorReport(displayPath: string, reason: string, profiles: readonly Profile[]): Report {
  const finding = LOAD_RULE.finding('unreadable-model', { args: { reason }, source: ['port-check ONNX decoder'] });
  const none = { supported: 0, degraded: 0, unsupported: 0, unknown: 0 };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'port-check', version: toolVersion() },
    model: {
      path: displayPath, fileBytes: 0, irVersion: 0, producer: '', opsets: {}, nodeCount: 0, graphCount: 0, opTypeCount: 0,
      parameterCount: 0, parameterBytes: 0, externalDataBytes: 0, inputs: [], outputs: [], dtypes: [], customDomains: [],
    },
    loadError: reason,
    targets: profiles.map((profile) => buildTargetReport({ profile, findings: [finding], opCoverage: none, ops: undefined, partitions: undefined })),
  };
}
