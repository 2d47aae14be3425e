import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Severity } from '../findings/finding.js';
import { sanitizeTerminal as clean } from './escape.js';
import type { FormatOptions } from './format-options.js';
import { formatServing } from './serving/text.js';
import { formatEstimate, formatPrecision, formatRun } from './text-sections.js';
import { formatOpTable } from './text-op-table.js';
import { formatBytes, percent, plural } from '../findings/format-values.js';
import { messageOf, remedyOf } from '../findings/render.js';
import type { RuleDef } from '../findings/rule.js';
import type { Report, TargetReport, Verdict } from './types.js';

/**
 * The one-screen terminal view: a header per model, a verdict line per target, then each target's
 * findings grouped by op type with node counts, remedy and source. Every string that came from
 * the model goes through `clean` (no control characters or ANSI escapes reach the terminal).
 */
export function formatText(reports: Report[], options: FormatOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  return reports.map((r) => formatOne(r, c, options.rules)).join('\n');
}

const VERDICT_WORDS: Record<Verdict, string> = {
  ready: 'READY',
  'runs-with-changes': 'RUNS WITH CHANGES',
  blocked: 'BLOCKED',
  unknown: 'UNKNOWN',
};

const VERDICT_HINTS: Record<Verdict, string> = {
  ready: 'nothing to port',
  'runs-with-changes': 'runs; review the degraded items',
  blocked: 'must be ported before it runs',
  unknown: 'no evidence for some ops: could not tell',
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

function formatOne(report: Report, c: ChalkInstance, rules: readonly RuleDef[]): string {
  const m = report.model;
  const opsets = Object.entries(m.opsets).map(([d, v]) => `${clean(d)} ${v}`).join(', ');
  const lines: string[] = [];
  lines.push(c.bold(clean(m.path)));
  lines.push(
    c.dim(
      `  IR ${m.irVersion} · opset ${opsets || 'none'} · ${plural(m.nodeCount, 'node')} · ` +
        `${plural(m.opTypeCount, 'op type')} · ${formatCount(m.parameterCount)} params (${formatBytes(m.parameterBytes)})` +
        (m.producer ? ` · ${clean(m.producer)}` : ''),
    ),
  );
  lines.push('');
  const idWidth = Math.max(...report.targets.map((t) => t.id.length), 6);
  const verdictWidth = Math.max(...report.targets.map((t) => VERDICT_WORDS[t.verdict].length));
  for (const t of report.targets) {
    const counts = `${plural(t.counts.error, 'error')}, ${plural(t.counts.warning, 'warning')}, ${t.counts.info} info`;
    const cov = t.opCoverage;
    lines.push(
      `  ${clean(t.id).padEnd(idWidth)}  ${paint(c, t.verdict, VERDICT_WORDS[t.verdict].padEnd(verdictWidth))}  ` +
        `${counts} · op types: ${cov.supported} supported, ${cov.degraded} degraded, ` +
        `${cov.unsupported} unsupported, ${cov.unknown} unknown`,
    );
  }
  const run = formatRun(report, c);
  if (run.length > 0) lines.push('', ...run);
  const table = formatOpTable(report, c);
  if (table.length > 0) lines.push('', ...table);
  for (const t of report.targets) lines.push('', ...formatTarget(t, c, rules));
  if (report.serving) lines.push('', ...formatServing(report.serving, c));
  return lines.join('\n') + '\n';
}

function formatTarget(t: TargetReport, c: ChalkInstance, rules: readonly RuleDef[]): string[] {
  const head = `${clean(t.id)} · ${clean(t.name)} · ${VERDICT_HINTS[t.verdict]}`;
  const lines = [paint(c, t.verdict, c.bold(head)), ...formatEstimate(t, c), ...formatPrecision(t, c)];
  if (t.findings.length === 0) {
    lines.push(c.green('  ✔ no findings'));
    return lines;
  }
  for (const f of t.findings) lines.push(...formatFinding(f, c, rules));
  return lines;
}

function subject(f: Finding): string {
  if (!f.op) return '';
  const domain = f.domain && f.domain !== 'ai.onnx' ? `${clean(f.domain)}::` : '';
  const opset = f.opset !== undefined ? ` (opset ${f.opset})` : '';
  return `${domain}${clean(f.op)}${opset}`;
}

function formatFinding(f: Finding, c: ChalkInstance, rules: readonly RuleDef[]): string[] {
  const message = messageOf(f, rules, { text: clean, value: (v) => c.bold(clean(v)) });
  const plainMessage = messageOf(f, rules);
  const remedy = remedyOf(f, rules);
  const mark = paintSeverity(c, f.severity, `${SEVERITY_MARK[f.severity]} ${f.severity.padEnd(7)}`);
  // Messages name their op as a rule; the subject is only printed where one does not.
  const what = f.op && !plainMessage.includes(f.op) ? subject(f) : '';
  const count = what && f.nodeCount > 0 ? c.dim(` × ${plural(f.nodeCount, 'node')}`) : '';
  const share = f.timeShare !== undefined ? c.dim(` · ${percent(f.timeShare)} of time`) : '';
  const lines = [
    `  ${mark} ${what ? c.bold(what) + count + '  ' : ''}${message}${share} ${c.dim(`[${f.rule}/${f.code}]`)}`,
  ];
  if (f.nodes.length > 0) {
    const shown = f.nodes.slice(0, MAX_NODES_SHOWN).map((n) => (n.graph === 'main' ? clean(n.name) : `${clean(n.graph)}/${clean(n.name)}`));
    const more = f.nodeCount - shown.length;
    lines.push(c.dim(`      at ${shown.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`));
  }
  if (remedy) lines.push(`      → ${clean(remedy)} ${c.dim(`(effort: ${f.effort})`)}`);
  if (f.source.length > 0) lines.push(c.dim(`      source: ${f.source.map((s) => clean(s.split(' (')[0] ?? s)).join('; ')}`));
  return lines;
}
