import { escapeHtml as e } from './escape.js';
import type { FormatOptions } from './format-options.js';
import { assumptions } from './html/assumptions.js';
import { comparisonTable } from './html/comparison.js';
import { coverageChart } from './html/coverage-chart.js';
import { estimateSection } from './html/estimate-section.js';
import { targetFindings } from './html/findings.js';
import { modelFacts } from './html/model-facts.js';
import { precisionSection } from './html/precision-section.js';
import { runSection } from './html/run-section.js';
import { REPORT_CSS } from './html/styles.js';
import { servingSection } from './serving/html-section.js';
import { keyPoints, modelMatrix, verdictCards } from './html/summary.js';
import { timeShareChart } from './html/time-share-chart.js';
import type { Report } from './types.js';
import { plural } from './wording.js';

/**
 * Nothing may load or run: the document is meant to be mailed to a customer and opened offline.
 * The policy also stops a script even if some model string escaped escaping.
 */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * The customer report: one self-contained HTML file (inline CSS and SVG, no script, no fetch)
 * with an executive summary, then per model the target comparison, charts, the run, precision
 * drift and the speed and memory estimate per target, findings with remedies and sources, and
 * model facts; then the assumptions. Sections without data (the run, precision, time share when
 * the model did not run; the estimate when it was left out) are left out. Prints to PDF with a
 * page per model.
 */
export function formatHtml(reports: Report[], options: FormatOptions): string {
  const version = reports[0]?.tool.version ?? options.toolVersion ?? '';
  const title =
    reports.length === 1 ? `Porting report: ${reports[0]!.model.path}` : `Porting report: ${plural(reports.length, 'model')}`;
  const targetNames = [...new Set(reports.flatMap((r) => r.targets.map((t) => t.name)))];
  const body = [
    '<header class="doc">',
    `<h1>${e(title)}</h1>`,
    `<p class="sub">Checked against ${targetNames.map(e).join(', ') || 'no target'} · port-check ${e(version)}</p>`,
    '</header>',
    executiveSummary(reports),
    ...reports.map((r, i) => modelArticle(r, i, reports.length > 1, options.rules)),
    `<section id="assumptions"><h2>Assumptions and method</h2>${assumptions(reports)}</section>`,
    `<footer class="doc">Written by port-check ${e(version)}. Self-contained: this file loads nothing from the network.</footer>`,
  ].join('\n');
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${e(title)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>\n<div class="page">\n` +
    body +
    '\n</div>\n</body>\n</html>\n'
  );
}

function executiveSummary(reports: Report[]): string {
  if (reports.length === 0) return '<section id="summary"><h2>Executive summary</h2><p>No model was checked.</p></section>';
  if (reports.length === 1) {
    const r = reports[0]!;
    return `<section id="summary"><h2>Executive summary</h2>${verdictCards(r)}${keyPoints(r)}</section>`;
  }
  return `<section id="summary"><h2>Executive summary</h2>${modelMatrix(reports)}</section>`;
}

function modelArticle(r: Report, index: number, several: boolean, rules: FormatOptions['rules']): string {
  const timeShare = timeShareChart(r.targets);
  const parts = [
    `<article class="model" id="model-${index}">`,
    several ? `<h2 class="model-title">Model <span class="mono">${e(r.model.path)}</span></h2>${verdictCards(r)}${keyPoints(r)}` : '',
    '<section><h2>Target comparison</h2>',
    `<figure class="chart">${coverageChart(r.targets)}<figcaption>Operator types by support level on each target.</figcaption></figure>`,
    comparisonTable(r),
    '</section>',
    estimateSection(r),
    servingSection(r.serving),
    precisionSection(r),
    timeShare
      ? `<section><h2>Where the time goes</h2><figure class="chart">${timeShare}` +
        '<figcaption>Share of the reference run’s time spent in each op that has a finding, coloured by the worst level any target gives it.</figcaption></figure></section>'
      : '',
    runSection(r),
    `<section><h2>Findings</h2>${r.targets.map((t) => targetFindings(t, rules)).join('')}</section>`,
    `<section><h2>The model</h2>${modelFacts(r.model)}</section>`,
    '</article>',
  ];
  return parts.filter(Boolean).join('\n');
}
