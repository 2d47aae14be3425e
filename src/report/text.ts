import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Severity } from '../findings/finding.js';
import { formatBytes, percent, plural } from '../findings/format-values.js';
import { messageOf, remedyOf } from '../findings/render.js';
import type { RuleDef } from '../findings/rule.js';
import { sanitizeTerminal as clean } from './escape.js';
import type { FormatOptions } from './format-options.js';
import { groupAcrossTargets, type FindingGroup } from './group-findings.js';
import { fitLine, MARK_END, MARK_START, paintMarked, visibleWidth } from './text-width.js';
import { formatDuration, formatEstimate, formatPrecision, formatRun } from './text-sections.js';
import { formatServing } from './serving/text.js';
import { formatOpTable } from './text-op-table.js';
import type { Report, TargetReport, Verdict } from './types.js';
import { append, maxOf } from '../arrays.js';

/** The terminal is this wide; no line of the default view is wider. */
export const TEXT_WIDTH = 120;

/**
 * The terminal view, as dense as ESLint's: per model a header, a verdict line per target, then one
 * line per finding (severity, message, rule), a finding identical on several targets printed once
 * with the targets listed; a closing line of totals per target. `--verbose` adds each finding's
 * nodes, remedy and sources, and the estimate in full. Every string from the model goes through
 * `clean` (no control characters or ANSI escapes reach the terminal).
 */
export function formatText(reports: Report[], options: FormatOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const view = { c, rules: options.rules, verbose: options.verbose === true };
  const blocks = reports.map((r) => formatModel(r, view).join('\n') + '\n');
  if (reports.length > 0) blocks.push(totals(reports, c).join('\n') + '\n');
  return blocks.join('\n');
}

interface View {
  c: ChalkInstance;
  rules: readonly RuleDef[];
  verbose: boolean;
}

const VERDICT_WORDS: Record<Verdict, string> = {
  ready: 'READY',
  'runs-with-changes': 'RUNS WITH CHANGES',
  blocked: 'BLOCKED',
  unknown: 'UNKNOWN',
};

const SEVERITY_MARK: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };

const MAX_NODES_SHOWN = 3;

function paint(c: ChalkInstance, verdict: Verdict, s: string): string {
  switch (verdict) {
    case 'ready': return c.green(s);
    case 'runs-with-changes': return c.yellow(s);
    case 'blocked': return c.red.bold(s);
    case 'unknown': return c.magenta(s);
  }
}

function paintSeverity(c: ChalkInstance, severity: Severity, s: string): string {
  return severity === 'error' ? c.red(s) : severity === 'warning' ? c.yellow(s) : c.blue(s);
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

function formatModel(report: Report, view: View): string[] {
  const { c } = view;
  const m = report.model;
  const opsets = Object.entries(m.opsets).map(([d, v]) => `${clean(d)} ${v}`).join(', ');
  const facts =
    `${view.verbose ? ` · IR ${m.irVersion}` : ''} · opset ${opsets || 'none'} · ${plural(m.nodeCount, 'node')} · ` +
    `${plural(m.opTypeCount, 'op type')} · ${formatCount(m.parameterCount)} params (${formatBytes(m.parameterBytes)})`;
  const path = fitLine(clean(m.path), TEXT_WIDTH);
  if (report.loadError !== undefined) return [c.bold(path), c.red(fitLine(`  ✖ could not be read: ${clean(report.loadError)}`, TEXT_WIDTH))];
  const lines = [c.bold(path) + c.dim(fitLine(facts, TEXT_WIDTH - visibleWidth(path)))];
  const idWidth = maxOf(report.targets.map((t) => t.id.length), 6);
  const verdictWidth = maxOf(report.targets.map((t) => VERDICT_WORDS[t.verdict].length), 0);
  for (const t of report.targets) {
    const head = `  ${clean(t.id).padEnd(idWidth)}  `;
    const rest = `  ${counts(t)} · op types ${coverage(t)}${estimateBrief(t)}`;
    const verdict = VERDICT_WORDS[t.verdict].padEnd(verdictWidth);
    lines.push(head + paint(c, t.verdict, verdict) + fitLine(rest, TEXT_WIDTH - visibleWidth(head) - verdict.length));
    if (view.verbose) append(lines, formatEstimate(t, c));
    append(lines, formatPrecision(t, c));
  }
  append(lines, formatRun(report, c, view.verbose));
  // The op table is a row per op type: too long for the default view, which the findings summarise.
  if (view.verbose) append(lines, formatOpTable(report, c));
  // Verbose lines show remedy, sources and nodes too: targets share a line only where all agree.
  const key = view.verbose
    ? (f: Finding) => JSON.stringify([messageOf(f, view.rules), remedyOf(f, view.rules), f.source, f.nodes])
    : (f: Finding) => messageOf(f, view.rules);
  const groups = groupAcrossTargets(report.targets, key);
  if (groups.length === 0) lines.push(c.green('  ✔ no findings'));
  append(lines, formatGroups(groups, view, report.targets.length > 1));
  if (report.serving) append(lines, ['', ...formatServing(report.serving, c)]);
  return lines;
}

function counts(t: TargetReport): string {
  return `${plural(t.counts.error, 'error')}, ${plural(t.counts.warning, 'warning')}, ${t.counts.info} info`;
}

/** "10/11 supported, 1 unsupported": only the levels that occur besides supported. */
function coverage(t: TargetReport): string {
  const cov = t.opCoverage;
  const total = cov.supported + cov.degraded + cov.unsupported + cov.unknown;
  const others = (['unsupported', 'unknown', 'degraded'] as const).filter((l) => cov[l] > 0).map((l) => `${cov[l]} ${l}`);
  return [`${cov.supported}/${total} supported`, ...others].join(', ');
}

/** " · ~1.20 ms, 1 chip": the estimate (at peak) in a few words; --verbose gives it in full. */
function estimateBrief(t: TargetReport): string {
  const e = t.estimate;
  if (!e) return '';
  const speed = e.nodesCosted === 0 ? '' : `~${formatDuration(e.latencyMs)}, `;
  return ` · ${speed}${plural(e.memory.fits ? 1 : e.memory.chipsNeeded, 'chip')}`;
}

/**
 * One line a finding: mark and severity, the message (values bold, cut to fit) and the rule,
 * columns aligned within the model. With several targets, findings that read the same on several
 * are printed once, under a line naming those targets; the worst set of targets comes first.
 */
function formatGroups(groups: FindingGroup[], view: View, several: boolean): string[] {
  const { c } = view;
  const indent = several ? '    ' : '  ';
  const rules = groups.map((g) => clean(view.verbose ? `${g.finding.rule}/${g.finding.code}` : g.finding.rule));
  const ruleWidth = maxOf(rules.map((r) => r.length), 0);
  // indent + "✖ warning  " + message + "  " + rule; --verbose prints messages whole.
  const room = view.verbose ? Number.POSITIVE_INFINITY : TEXT_WIDTH - indent.length - 11 - 2 - ruleWidth;
  const messages = groups.map((g) => {
    const f = g.finding;
    const share = f.timeShare !== undefined ? ` · ${percent(f.timeShare)} of time` : '';
    return fitLine(messageOf(f, view.rules, { text: clean, value: (v) => MARK_START + clean(v) + MARK_END }) + share, room);
  });
  const messageWidth = view.verbose ? 0 : maxOf(messages.map(visibleWidth), 0);
  const line = (i: number): string[] => {
    const f = groups[i]!.finding;
    const mark = paintSeverity(c, f.severity, `${SEVERITY_MARK[f.severity]} ${f.severity.padEnd(7)}`);
    const message = messages[i]!;
    const pad = ' '.repeat(Math.max(0, messageWidth - visibleWidth(message)));
    return [`${indent}${mark}  ${paintMarked(message, c.bold)}${pad}  ${c.dim(rules[i]!)}`, ...(view.verbose ? details(f, view) : [])];
  };
  if (!several) return groups.flatMap((_, i) => line(i));
  const byTargets = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const key = g.targets.map((t) => clean(t.id)).join(', ');
    byTargets.set(key, [...(byTargets.get(key) ?? []), i]);
  });
  return [...byTargets].flatMap(([targets, rows]) => [c.dim(`  ${fitLine(targets, TEXT_WIDTH - 2)}`), ...rows.flatMap(line)]);
}

/** --verbose: the nodes, the remedy and the sources under a finding. */
function details(f: Finding, view: View): string[] {
  const { c } = view;
  const lines: string[] = [];
  if (f.nodes.length > 0) {
    const shown = f.nodes.slice(0, MAX_NODES_SHOWN).map((n) => (n.graph === 'main' ? clean(n.name) : `${clean(n.graph)}/${clean(n.name)}`));
    const more = f.nodeCount - shown.length;
    lines.push(c.dim(`      at ${shown.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`));
  }
  const remedy = remedyOf(f, view.rules);
  if (remedy) lines.push(`      → ${clean(remedy)} ${c.dim(`(effort: ${f.effort})`)}`);
  if (f.source.length > 0) lines.push(c.dim(`      source: ${f.source.map((s) => clean(s.split(' (')[0] ?? s)).join('; ')}`));
  return lines;
}

/** The closing line: errors, warnings and info per target, over every model. */
function totals(reports: Report[], c: ChalkInstance): string[] {
  const byTarget = new Map<string, Record<Severity, number>>();
  for (const r of reports) {
    for (const t of r.targets) {
      const sum = byTarget.get(t.id) ?? { error: 0, warning: 0, info: 0 };
      for (const s of ['error', 'warning', 'info'] as const) sum[s] += t.counts[s];
      byTarget.set(t.id, sum);
    }
  }
  const parts = [...byTarget].map(([id, n]) => `${clean(id)} ${n.error}/${n.warning}/${n.info}`);
  return [c.bold(fitLine(`${plural(reports.length, 'model')} · errors/warnings/info: ${parts.join(' · ')}`, TEXT_WIDTH))];
}
