import type * as Sarif from 'sarif';
import type { Finding, Severity } from '../findings/finding.js';
import { sanitizeTerminal as clean } from './escape.js';
import { findingFingerprint } from './fingerprint.js';
import type { FormatOptions } from './format-options.js';
import { pathToUriReference, repoRelativePath } from './model-path.js';
import { ruleDocsUrl } from './rule-docs-url.js';
import type { RuleDef } from '../findings/rule.js';
import { messageOf, remedyOf } from '../findings/render.js';
import type { Report, TargetReport } from './types.js';
import { nodeNames, opLabel, sentence } from './wording.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key under partialFingerprints; bump the suffix if the fingerprint's parts ever change. */
export const SARIF_FINGERPRINT_KEY = 'portCheckFinding/v1';
const MAX_NODES_IN_PROPERTIES = 20;
/**
 * Locations are relative to the repository root, named by this base id, as code scanning expects;
 * its absolute URI is left out so that the log is the same on every machine.
 */
export const SARIF_ROOT_BASE_ID = 'SRCROOT';

const SARIF_LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

function sarifLevel(severity: string): Sarif.Result.level {
  return severity === 'error' || severity === 'warning' || severity === 'info' ? SARIF_LEVEL[severity] : 'warning';
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one run; a rule per `rule/code` of the registry (plus any
 * code a report carries that the registry lacks); a result per finding and target, located at the
 * model file (line 1: a model has no lines), with a fingerprint that survives re-exports that
 * reorder or rename nodes. Findings a baseline suppressed are kept, marked as suppressed.
 */
export function formatSarif(reports: Report[], options: FormatOptions): string {
  const rules = buildRules(options.rules, reports);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: Sarif.Result[] = [];
  for (const report of reports) {
    const modelPath = repoRelativePath(report.model.path, options);
    for (const target of report.targets) {
      for (const f of target.findings) results.push(toResult(f, target, modelPath, ruleIndex, false, options.rules));
      for (const f of target.suppressed ?? []) results.push(toResult(f, target, modelPath, ruleIndex, true, options.rules));
    }
  }
  const version = reports[0]?.tool.version ?? options.toolVersion ?? '0.0.0';
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'port-check',
            semanticVersion: version,
            version,
            rules,
          },
        },
        originalUriBaseIds: {
          [SARIF_ROOT_BASE_ID]: { description: { text: 'The repository root (found from .git, or --root).' } },
        },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function buildRules(docs: readonly RuleDef[], reports: Report[]): Sarif.ReportingDescriptor[] {
  const rules: Sarif.ReportingDescriptor[] = [];
  const known = new Set<string>();
  for (const doc of docs) {
    for (const [code, message] of Object.entries(doc.messages)) {
      const id = `${doc.id}/${code}`;
      if (known.has(id)) continue;
      known.add(id);
      rules.push({
        id,
        name: pascalCase(id),
        shortDescription: { text: message.description },
        fullDescription: { text: `${doc.description} ${message.description}` },
        help: {
          text: `${message.description}\n\nRule ${doc.id}: ${doc.description}\nMessage: ${message.text}`,
          markdown:
            `**${message.description}**\n\nRule \`${doc.id}\`: ${doc.description}\n\n` +
            `Message: ${message.text}\n\nEach result names the target, the nodes concerned and the remedy.`,
        },
        helpUri: ruleDocsUrl(id),
        defaultConfiguration: { level: sarifLevel(message.severity) },
        properties: { tags: ['port-check', doc.id] },
      });
    }
  }
  // A report may carry codes the registry given to us does not know (an older or newer checker,
  // a merged shard): they still need a rule for ruleIndex to point at.
  const extra = new Map<string, Finding>();
  for (const r of reports) {
    for (const t of r.targets) {
      for (const f of [...t.findings, ...(t.suppressed ?? [])]) {
        const id = `${f.rule}/${f.code}`;
        if (!known.has(id) && !extra.has(id)) extra.set(id, f);
      }
    }
  }
  for (const [id, f] of [...extra].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const text = clean(id);
    rules.push({
      id,
      name: pascalCase(id),
      shortDescription: { text },
      fullDescription: { text },
      help: { text, markdown: text },
      helpUri: ruleDocsUrl(id),
      defaultConfiguration: { level: sarifLevel(f.severity) },
      properties: { tags: ['port-check', clean(f.rule)] },
    });
  }
  return rules;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** The message with the target named once: in front, unless the message already names it. */
export function onTarget(message: string, targetName: string): string {
  return message.includes(targetName) ? sentence(message) : `${targetName}: ${sentence(message)}`;
}

function toResult(
  f: Finding,
  target: TargetReport,
  modelPath: string,
  ruleIndex: Map<string, number>,
  suppressed: boolean,
  rules: readonly RuleDef[],
): Sarif.Result {
  const ruleId = `${f.rule}/${f.code}`;
  const op = opLabel(f);
  const advice = clean(remedyOf(f, rules));
  const remedy = advice ? ` Remedy: ${advice}` : '';
  const { names } = nodeNames(f, MAX_NODES_IN_PROPERTIES);
  const result: Sarif.Result = {
    ruleId,
    ruleIndex: ruleIndex.get(ruleId) ?? -1,
    level: SARIF_LEVEL[f.severity],
    message: { text: `${onTarget(clean(messageOf(f, rules)), clean(target.name))}${remedy}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUriReference(modelPath), uriBaseId: SARIF_ROOT_BASE_ID },
          region: { startLine: 1 },
        },
      },
    ],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: findingFingerprint(modelPath, target.id, f) },
    properties: {
      target: target.id,
      targetName: clean(target.name),
      level: f.level,
      ...(op && { op: clean(op) }),
      ...(f.opset !== undefined && { opset: f.opset }),
      nodeCount: f.nodeCount,
      nodes: names.map(clean),
      effort: f.effort,
      ...(advice && { remedy: advice }),
      source: f.source.map(clean),
      ...(f.timeShare !== undefined && { timeShare: f.timeShare }),
      tags: ['port-check', target.id],
    },
  };
  if (suppressed) result.suppressions = [{ kind: 'external', justification: 'Listed in the port-check baseline.' }];
  return result;
}
