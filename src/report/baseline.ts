import { z } from 'zod';
import type { Finding } from '../findings/finding.js';
import { ConfigError } from '../errors.js';
import { fingerprintOf, fingerprintParts, type FingerprintParts } from './fingerprint.js';
import { repoRelativePath, type PathBase } from './model-path.js';
import { withFindings } from './recount.js';
import type { Report } from './types.js';

/**
 * A baseline: the findings known when it was written. With `--baseline FILE`, findings that match
 * an entry are moved aside (TargetReport.suppressed) and only new ones count towards the exit code.
 * A finding matches on its model path (repository-relative), target, rule, code, domain and op:
 * never on node names, order or counts, which a re-export changes.
 */
export const BASELINE_VERSION = 1;

const entrySchema = z.strictObject({
  /** The hash of the other fields (as in SARIF partialFingerprints); informative, see applyBaseline. */
  fingerprint: z.string().optional(),
  model: z.string(),
  target: z.string(),
  rule: z.string(),
  code: z.string(),
  domain: z.string().optional(),
  op: z.string().optional(),
});

const baselineSchema = z.strictObject({
  schemaVersion: z.literal(BASELINE_VERSION),
  tool: z.literal('port-check'),
  entries: z.array(entrySchema),
});

export type BaselineEntry = z.infer<typeof entrySchema>;
export type Baseline = z.infer<typeof baselineSchema>;

/** Where model paths are relative to: the working directory and the repository root (see PathBase). */
export type BaselineOptions = PathBase;

function entryOf(parts: FingerprintParts): BaselineEntry {
  return {
    fingerprint: fingerprintOf(parts),
    model: parts.model,
    target: parts.target,
    rule: parts.rule,
    code: parts.code,
    ...(parts.domain !== '' && { domain: parts.domain }),
    ...(parts.op !== '' && { op: parts.op }),
  };
}

function partsOf(entry: BaselineEntry): FingerprintParts {
  return {
    model: entry.model,
    target: entry.target,
    rule: entry.rule,
    code: entry.code,
    domain: entry.domain ?? '',
    op: entry.op ?? '',
  };
}

/** Every finding of the reports (already suppressed ones included), one entry per fingerprint. */
export function createBaseline(reports: Report[], options: BaselineOptions = {}): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const report of reports) {
    const model = repoRelativePath(report.model.path, options);
    for (const target of report.targets) {
      for (const f of [...target.findings, ...(target.suppressed ?? [])]) {
        const entry = entryOf(fingerprintParts(model, target.id, f));
        entries.set(entry.fingerprint!, entry);
      }
    }
  }
  // Sorted by what a reviewer reads, so that a baseline's diff shows what changed.
  const sorted = [...entries.values()].sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  return { schemaVersion: BASELINE_VERSION, tool: 'port-check', entries: sorted };
}

function sortKey(e: BaselineEntry): string[] {
  return [e.model, e.target, e.rule, e.code, e.domain ?? '', e.op ?? ''];
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

/** The baseline file's text: stable JSON, one entry per finding. */
export function serializeBaseline(baseline: Baseline): string {
  return JSON.stringify(baseline, null, 2) + '\n';
}

/** `port-check baseline`: the file to write for these reports. */
export function formatBaseline(reports: Report[], options: BaselineOptions = {}): string {
  return serializeBaseline(createBaseline(reports, options));
}

/** Reads a baseline file's text; a broken one is a ConfigError naming the file and the place. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, '', `not a JSON baseline (${(e as Error).message}); write one with \`port-check baseline\``);
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const location = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new ConfigError(file, location, `${issue.message}; write a new baseline with \`port-check baseline\``);
  }
  return parsed.data;
}

export interface BaselineResult {
  reports: Report[];
  /** Findings moved aside, over all reports and targets. */
  suppressedCount: number;
}

/**
 * Moves the findings the baseline lists into each target's `suppressed`, recounting `counts` and
 * `levels`. Entries match by their fields (the stored fingerprint is not trusted, so a hand-edited
 * entry, e.g. after a model moved, still works). Returns new reports; the inputs are not changed.
 */
export function applyBaseline(reports: Report[], baseline: Baseline, options: BaselineOptions = {}): BaselineResult {
  const known = new Set(baseline.entries.map((e) => fingerprintOf(partsOf(e))));
  let suppressedCount = 0;
  const out = reports.map((report): Report => {
    const model = repoRelativePath(report.model.path, options);
    return {
      ...report,
      targets: report.targets.map((target) => {
        const kept: Finding[] = [];
        const suppressed: Finding[] = [...(target.suppressed ?? [])];
        for (const f of target.findings) {
          if (known.has(fingerprintOf(fingerprintParts(model, target.id, f)))) {
            suppressed.push(f);
            suppressedCount += 1;
          } else {
            kept.push(f);
          }
        }
        return withFindings(target, kept, suppressed);
      }),
    };
  });
  return { reports: out, suppressedCount };
}
