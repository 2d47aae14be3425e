import type { Finding } from '../findings/finding.js';
import { effortSummaryOf } from './effort.js';
import { escapeHtml, escapeMarkdown as md, sanitizeTerminal } from './escape.js';
import type { RuleDef } from '../findings/rule.js';
import { messageOf, remedyOf, type MessageStyle } from '../findings/render.js';
import type { FormatOptions } from './format-options.js';
import { estimatedLatency, fitWords } from './html/estimate-words.js';
import { opTableSection } from './markdown-op-table.js';
import { precisionSummary } from './html/precision-section.js';
import { binaryBytes, duration, megabytes } from './html/units.js';
import { servingMarkdown } from './serving/markdown-section.js';
import type { Report, TargetReport } from './types.js';
import {
  SEVERITY_EMOJI,
  VERDICT_EMOJI,
  VERDICT_LABEL,
  blockersOf,
  effortSummary,
  nodeNames,
  opLabel,
  percent,
  plural,
  sentence,
} from './wording.js';
import { append } from '../arrays.js';
import { MARKDOWN_MAX_CHARS } from './format-names.js';

/**
 * GitHub caps a comment at 65,536 characters: lists are cut at these lengths, with a line that
 * says how many were left out, so that a large model still yields a comment GitHub accepts.
 */
const MAX_BLOCKERS_PER_TARGET = 25;
const MAX_DETAIL_ROWS_PER_TARGET = 60;
const MAX_NODES_SHOWN = 3;
/** Assumptions listed per target, once for all models (most are the same for every model). */
const MAX_ASSUMPTIONS_PER_TARGET = 15;

/**
 * The default budget of a Markdown report: GitHub refuses comments over 65,536 characters; this
 * leaves room for what a workflow adds around the report.
 */
export { MARKDOWN_MAX_CHARS };

export interface MarkdownOptions {
  /** The heading's text; the default names the tool. */
  title?: string;
  /** Lines after the heading (the job summary says here what was not annotated). */
  preface?: string[];
}

/**
 * The Markdown report within its budget (`maxChars`, default MARKDOWN_MAX_CHARS): the full report
 * when it fits; else the verdict table and the blockers, as many as fit, and a line saying what was
 * left out and how to get all of it.
 */
export function formatMarkdown(reports: Report[], options: FormatOptions, markdownOptions: MarkdownOptions = {}): string {
  const budget = options.maxChars ?? MARKDOWN_MAX_CHARS;
  const full = fullMarkdown(reports, options, markdownOptions);
  return full.length <= budget ? full : summaryMarkdown(reports, markdownWords(options.rules), markdownOptions, budget);
}

function remedyText(remedy: string): string {
  return remedy ? ` Remedy: ${remedy}` : '';
}

function heading(reports: Report[], markdownOptions: MarkdownOptions): string[] {
  const targets = targetColumns(reports);
  return [
    `## ${md(markdownOptions.title ?? 'port-check')}`,
    '',
    ...(markdownOptions.preface ?? []).flatMap((line) => [line, '']),
    `${plural(reports.length, 'model')} checked against ${plural(targets.length, 'target')}: ` +
      targets.map((t) => md(t.name)).join(', ') + '.',
    '',
  ];
}

/**
 * Past the budget: lines are taken in order (the table, then blockers) while they fit, keeping
 * room for the closing note, which counts what did not fit.
 */
function summaryMarkdown(reports: Report[], words: Words, markdownOptions: MarkdownOptions, budget: number): string {
  const targets = targetColumns(reports);
  const head = heading(reports, markdownOptions);
  const table = verdictTable(reports, targets);
  const blockers: string[] = [];
  for (const r of reports) {
    for (const t of r.targets) {
      for (const f of blockersOf(t)) {
        blockers.push(
          `- ${SEVERITY_EMOJI.error} **${md(r.model.path)}** on ${md(t.name)}: ${subject(f, words)}${sentence(words.message(f))}${remedyText(words.remedy(f))}`,
        );
      }
    }
  }
  const findings = reports.reduce((n, r) => n + r.targets.reduce((m, t) => m + t.findings.length, 0), 0);
  const note = (rowsLeft: number, blockersLeft: number): string[] => [
    '',
    `> Shortened to fit ${budget.toLocaleString('en-US')} characters: ` +
      [
        rowsLeft > 0 ? `${plural(rowsLeft, 'model')} left out of the table` : '',
        blockersLeft > 0 ? `${plural(blockersLeft, 'blocker')} not listed` : '',
        `warnings, notes and details of the ${plural(findings, 'finding')} left out`,
      ].filter(Boolean).join('; ') +
      '. For the full report, write it to a file (`--format html -o report.html`, or `--format json`) or raise `--max-chars`.',
  ];
  const out = [...head];
  let size = out.join('\n').length;
  // The longest the note can be: every count at its largest.
  const reserve = note(reports.length, blockers.length).join('\n').length + 1;
  const fits = (line: string) => size + 1 + line.length + reserve <= budget;
  let rows = 0;
  for (const line of table) {
    if (!fits(line)) break;
    out.push(line);
    size += 1 + line.length;
    rows += 1;
  }
  const modelRows = Math.max(0, rows - 2);
  let listed = 0;
  if (blockers.length > 0 && rows === table.length && fits('### Blockers')) {
    out.push('', '### Blockers', '');
    size += '\n\n### Blockers\n'.length;
    for (const line of blockers) {
      if (!fits(line)) break;
      out.push(line);
      size += 1 + line.length;
      listed += 1;
    }
  }
  append(out, note(reports.length - modelRows, blockers.length - listed));
  return out.join('\n') + '\n';
}

/**
 * For pull-request comments: a verdict table (model × target), the blockers with their remedies,
 * the estimate (and the run and precision drift, with --run) in a short table per model, then
 * every finding in a collapsed <details> block per model and target.
 */
function fullMarkdown(reports: Report[], options: FormatOptions, markdownOptions: MarkdownOptions): string {
  const targets = targetColumns(reports);
  const out = heading(reports, markdownOptions);
  if (reports.length === 0) return out.join('\n') + '\n';

  append(out, verdictTable(reports, targets)).push('');
  const words = markdownWords(options.rules);
  append(out, blockerSection(reports, words)).push('');
  append(out, effortSection(reports));
  append(out, measurementSection(reports));
  for (const r of reports) append(out, servingMarkdown(r.serving));
  append(out, detailSection(reports, words));
  append(out, opTableSection(reports));
  const suppressed = reports.reduce((n, r) => n + r.targets.reduce((m, t) => m + (t.suppressed?.length ?? 0), 0), 0);
  if (suppressed > 0) out.push(`${plural(suppressed, 'finding')} suppressed by the baseline (not counted above).`, '');
  const version = reports[0]?.tool.version;
  out.push(`<sub>port-check ${version ? escapeHtml(version) : ''}</sub>`);
  return out.join('\n') + '\n';
}

/** Porting effort per model and target, in engineer-days, with the basis once per distinct basis. */
function effortSection(reports: Report[]): string[] {
  const rows: string[] = [];
  const bases = new Set<string>();
  for (const r of reports) {
    for (const t of r.targets) {
      const effort = effortSummaryOf(t);
      if (!effort) continue;
      rows.push(`- **${md(r.model.path)}** on **${md(t.name)}**: ${md(effort.sentence)}`);
      bases.add(effort.basis);
    }
  }
  if (rows.length === 0) return [];
  return ['### Porting effort', '', ...rows, '', ...[...bases].map((b) => `<sub>Basis: ${md(b)}</sub>`), ''];
}

/** Target columns in order of first appearance across the reports. */
function targetColumns(reports: Report[]): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const r of reports) for (const t of r.targets) if (!seen.has(t.id)) seen.set(t.id, t.name);
  return [...seen].map(([id, name]) => ({ id, name }));
}

function verdictCell(t: TargetReport | undefined): string {
  if (!t) return '—';
  const blockers = t.counts.error;
  const extra = blockers > 0 ? ` · ${plural(blockers, 'blocker')}` : t.counts.warning > 0 ? ` · ${plural(t.counts.warning, 'warning')}` : '';
  return `${VERDICT_EMOJI[t.verdict]} ${VERDICT_LABEL[t.verdict]}${extra}`;
}

function verdictTable(reports: Report[], targets: { id: string; name: string }[]): string[] {
  const rows = [
    `| Model | ${targets.map((t) => md(t.name)).join(' | ')} |`,
    `| --- | ${targets.map(() => '---').join(' | ')} |`,
  ];
  for (const r of reports) {
    const byId = new Map(r.targets.map((t) => [t.id, t]));
    rows.push(`| ${md(r.model.path)} | ${targets.map((t) => verdictCell(byId.get(t.id))).join(' | ')} |`);
  }
  return rows;
}

function subject(f: Finding, words: Words): string {
  const op = opLabel(f);
  const count = f.nodeCount > 0 ? ` (${plural(f.nodeCount, 'node')})` : '';
  // Many messages begin with their op and node count already: say it once.
  return op && !words.plain(f).includes(`${op}${count}`) ? `**${md(op)}**${count}: ` : '';
}

/** Messages and remedies in Markdown: every piece escaped, values and our words alike. */
interface Words {
  message(f: Finding): string;
  remedy(f: Finding): string;
  /** The message unescaped, to compare with. */
  plain(f: Finding): string;
}

function markdownWords(rules: readonly RuleDef[]): Words {
  const style: MessageStyle = { text: md, value: md };
  return { message: (f) => messageOf(f, rules, style), remedy: (f) => remedyOf(f, rules, style), plain: (f) => messageOf(f, rules) };
}

function blockerSection(reports: Report[], words: Words): string[] {
  const out = ['### Blockers', ''];
  let any = false;
  for (const r of reports) {
    for (const t of r.targets) {
      const blockers = blockersOf(t);
      if (blockers.length === 0) continue;
      any = true;
      out.push(`**${md(r.model.path)}** on **${md(t.name)}** (effort: ${effortSummary(t.findings)})`, '');
      for (const f of blockers.slice(0, MAX_BLOCKERS_PER_TARGET)) {
        out.push(`- ${SEVERITY_EMOJI.error} ${subject(f, words)}${words.message(f)} <sub>${md(`${f.rule}/${f.code}`)}</sub>`);
        const remedy = words.remedy(f);
        if (remedy) out.push(`  - Remedy: ${remedy} (effort: ${md(f.effort)})`);
      }
      if (blockers.length > MAX_BLOCKERS_PER_TARGET) {
        out.push(`- … and ${blockers.length - MAX_BLOCKERS_PER_TARGET} more blockers (see the full report).`);
      }
      out.push('');
    }
  }
  if (!any) out.push('No blockers.', '');
  return out.slice(0, -1);
}

function detailSection(reports: Report[], words: Words): string[] {
  const out: string[] = [];
  for (const r of reports) {
    for (const t of r.targets) {
      if (t.findings.length === 0) continue;
      out.push(
        '<details>',
        `<summary>${htmlLine(r.model.path)} on ${htmlLine(t.name)}: ${plural(t.findings.length, 'finding')}</summary>`,
        '',
        '| | Finding | Nodes | Remedy | Effort | Rule |',
        '| --- | --- | --- | --- | --- | --- |',
      );
      for (const f of t.findings.slice(0, MAX_DETAIL_ROWS_PER_TARGET)) out.push(detailRow(f, words));
      if (t.findings.length > MAX_DETAIL_ROWS_PER_TARGET) {
        out.push('', `… and ${t.findings.length - MAX_DETAIL_ROWS_PER_TARGET} more (see the full report).`);
      }
      out.push('', '</details>', '');
    }
  }
  return out;
}

/**
 * Inside <summary>, an HTML block, Markdown is not parsed: escape as HTML, and keep it on one line,
 * since a blank line would end the HTML block and hand the rest to the Markdown parser. GitHub
 * still links @mentions in HTML text, hence the zero-width space, as in escapeMarkdown.
 */
function htmlLine(s: string): string {
  return escapeHtml(sanitizeTerminal(s)).replace(/@/g, '@\u200b');
}

function detailRow(f: Finding, words: Words): string {
  const { names, more } = nodeNames(f, MAX_NODES_SHOWN);
  const nodeCell = names.map(md).join(', ') + (more > 0 ? ` +${more} more` : '');
  const share = f.timeShare !== undefined ? ` (${percent(f.timeShare)} of time)` : '';
  const cells = [
    SEVERITY_EMOJI[f.severity],
    `${subject(f, words)}${words.message(f)}${share}`,
    nodeCell || '—',
    words.remedy(f) || '—',
    md(f.effort),
    md(`${f.rule}/${f.code}`),
  ];
  return `| ${cells.join(' | ')} |`;
}

/**
 * The estimate per target (latency, what bounds it, memory and chips, the interconnect when the
 * model needs several chips, confidence), precision drift and the run when the report has them,
 * then the estimate's assumptions collapsed. Nothing when no report has any of them.
 */
function measurementSection(reports: Report[]): string[] {
  const withData = reports.filter((r) => r.run || r.targets.some((t) => t.estimate || t.precision));
  if (withData.length === 0) return [];
  const out = ['### Speed, memory and precision', ''];
  for (const r of withData) {
    if (reports.length > 1) out.push(`**${md(r.model.path)}**`, '');
    const targets = r.targets.filter((t) => t.estimate || t.precision);
    if (targets.length > 0) {
      out.push(
        '| Target | Est. latency | Bound | Memory | Chips | Interconnect | Precision | Confidence |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
      );
      for (const t of targets) out.push(targetRow(t));
      out.push('');
      for (const t of targets) {
        const f = t.precision?.firstDrift;
        if (!f) continue;
        const keep = t.precision!.keepDtypeSuggestion.length;
        out.push(
          `- **${md(t.name)}**: drift starts at ${md(f.node)} (${md(f.opType)}); ` +
            (keep > 0 ? `keeping ${plural(keep, 'node')} in their precision (ATC --keep_dtype) is suggested.` : 'see the full report.'),
        );
      }
      if (targets.some((t) => t.precision?.firstDrift)) out.push('');
    }
    if (r.run) append(out, runLines(r.run)).push('');
  }
  append(out, estimateAssumptions(withData));
  return out;
}

function targetRow(t: TargetReport): string {
  const est = t.estimate;
  const link = est?.interconnect;
  const cells = est
    ? [
        estimatedLatency(est.latencyMs),
        md(est.bottleneck),
        `${binaryBytes(est.memory.totalBytes)} of ${binaryBytes(est.memory.deviceBytes)}`,
        `${est.memory.fits ? '✅' : '⚠️'} ${fitWords(est)}`,
        link ? `${md(link.link)} ${link.bandwidthGBs} GB/s: ${duration(link.commMsPerInference)} per inference (${percent(link.commShare)})` : '—',
      ]
    : ['—', '—', '—', '—', '—'];
  const p = t.precision;
  const precision = !p ? '—' : p.status !== 'ok' ? 'not emulated' : `${p.outputs.some((o) => o.verdict === 'fail') ? '⚠️' : '✅'} ${precisionSummary(p) ?? 'nothing compared'}`;
  return `| ${md(t.name)} | ${cells.join(' | ')} | ${precision} | ${est ? md(est.confidence) : '—'} |`;
}

function runLines(run: NonNullable<Report['run']>): string[] {
  const ort = `ONNX Runtime${run.onnxruntimeVersion ? ` ${md(run.onnxruntimeVersion)}` : ''}`;
  if (run.status !== 'ok') return [`Run on ${ort}: could not run here (${md(run.reason ?? 'no reason given')}).`];
  const out = [
    `Run on ${ort}, on this machine (not the targets):`,
    '',
    '| Provider | p50 | p90 | p99 | Mean | Peak RSS |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const b of run.backends) {
    const l = b.latencyMs;
    out.push(
      b.status === 'ok' && l
        ? `| ${md(b.provider)} | ${duration(l.p50)} | ${duration(l.p90)} | ${duration(l.p99)} | ${duration(l.mean)} | ${b.peakRssMB !== undefined ? megabytes(b.peakRssMB) : '—'} |`
        : `| ${md(b.provider)} | failed: ${md(b.reason ?? 'no reason given')} | | | | |`,
    );
  }
  const missing = run.providers.filter((p) => p.status !== 'ok').map((p) => md(p.name));
  out.push('');
  if (run.blockerTimeShare) out.push(`Blockers account for ${percent(run.blockerTimeShare.share)} of the run time.`, '');
  if (missing.length > 0) out.push(`${missing.length === 1 ? 'Provider' : 'Providers'} not usable here: ${missing.join(', ')} (the HTML report says how to get them).`);
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function estimateAssumptions(reports: Report[]): string[] {
  const byTarget = new Map<string, { name: string; items: Set<string> }>();
  for (const r of reports) {
    for (const t of r.targets) {
      if (!t.estimate) continue;
      const entry = byTarget.get(t.id) ?? { name: t.name, items: new Set<string>() };
      for (const a of t.estimate.assumptions) entry.items.add(a);
      byTarget.set(t.id, entry);
    }
  }
  if (byTarget.size === 0) return [];
  const out = ['<details>', '<summary>Assumptions behind the estimate</summary>', ''];
  for (const { name, items } of byTarget.values()) {
    out.push(`**${md(name)}**`, '');
    const list = [...items];
    for (const a of list.slice(0, MAX_ASSUMPTIONS_PER_TARGET)) out.push(`- ${md(a)}`);
    if (list.length > MAX_ASSUMPTIONS_PER_TARGET) out.push(`- … and ${list.length - MAX_ASSUMPTIONS_PER_TARGET} more (see the full report).`);
    out.push('');
  }
  out.push('</details>', '');
  return out;
}
