import { UsageError } from '../errors.js';
import { reportFileSchema } from './report-schema.js';
import type { Finding } from '../findings/finding.js';
import type { JsonReport, RenderedFinding, Report, ReportSet } from './types.js';
import { REPORT_SCHEMA_VERSION } from './types.js';

/** One JSON report file to merge: its name (for messages) and its text. */
export interface ReportFile {
  file: string;
  text: string;
}

/**
 * `port-check merge a.json b.json ...`: joins the JSON reports of CI shards into one ReportSet.
 * Each file is validated against the report schema; files from another schema version or another
 * port-check version, and a model present in two shards, are usage errors naming the files, since
 * a merged report mixing them would compare unlike with unlike. Reports are sorted by model path,
 * so the result does not depend on the order the shards finished in.
 */
export function mergeReports(files: ReportFile[]): ReportSet {
  if (files.length === 0) throw new UsageError('merge: give at least one JSON report (port-check --format json -o FILE)');
  const reports: { report: Report; file: string }[] = [];
  for (const { file, text } of files) {
    for (const report of readReportFile(file, text)) reports.push({ report, file });
  }

  const versions = new Map<string, string>();
  for (const { report, file } of reports) if (!versions.has(report.tool.version)) versions.set(report.tool.version, file);
  if (versions.size > 1) {
    const seen = [...versions].map(([v, f]) => `${f} (${v})`).join(', ');
    throw new UsageError(`merge: the reports come from different port-check versions: ${seen}; re-run the shards with one version`);
  }

  const byPath = new Map<string, string>();
  for (const { report, file } of reports) {
    const other = byPath.get(report.model.path);
    if (other !== undefined) {
      throw new UsageError(
        `merge: ${report.model.path} is in both ${other} and ${file}; shards must not overlap (use --shard i/n)`,
      );
    }
    byPath.set(report.model.path, file);
  }

  const sorted = reports.map((r) => r.report).sort((a, b) => (a.model.path < b.model.path ? -1 : a.model.path > b.model.path ? 1 : 0));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'port-check', version: [...versions.keys()][0]! },
    reports: sorted,
  };
}

/** The reports in one JSON file (a Report or a ReportSet), validated. */
export function readReportFile(file: string, text: string): Report[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not a JSON report (${(e as Error).message}); write one with --format json`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${file}: not a port-check JSON report (expected an object with schemaVersion)`);
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new UsageError(
      `${file}: report schemaVersion ${JSON.stringify(version ?? null)} is not supported; this port-check reads ` +
        `schemaVersion ${REPORT_SCHEMA_VERSION}: re-run the shards with the same port-check version`,
    );
  }
  const parsed = reportFileSchema.safeParse(data);
  if (!parsed.success) {
    // The union reports its own issue first; the branch's issues say what is actually wrong.
    const issue = deepestIssue(parsed.error.issues);
    const location = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new UsageError(`${file}: ${location ? `${location}: ` : ''}${issue.message} (not a valid port-check report)`);
  }
  // The schema leaves the run, precision and estimate sections open; they pass through as written.
  const value = parsed.data as JsonReport | { reports: JsonReport[] };
  return ('reports' in value ? value.reports : [value]).map(asReport);
}

/**
 * A JSON report back as data: the rendered message goes (formatters render it again from the
 * registry); the rendered remedy stays as the finding's own, which renders to the same words.
 */
function asReport(r: JsonReport): Report {
  const strip = ({ message: _message, ...f }: RenderedFinding): Finding => f;
  return {
    ...r,
    targets: r.targets.map((t) => ({
      ...t,
      findings: t.findings.map(strip),
      ...(t.suppressed && { suppressed: t.suppressed.map(strip) }),
    })),
  };
}

interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  errors?: Issue[][];
}

/** For a union that failed, the issue from the branch that got furthest (the longest path). */
function deepestIssue(issues: readonly Issue[]): Issue {
  let best = issues[0]!;
  const visit = (list: readonly Issue[], prefix: PropertyKey[]) => {
    for (const issue of list) {
      const path = [...prefix, ...issue.path];
      if (issue.errors && issue.errors.length > 0) {
        for (const branch of issue.errors) visit(branch, path);
      } else if (path.length > best.path.length || best.errors) {
        best = { ...issue, path };
      }
    }
  };
  visit(issues, []);
  return best;
}
