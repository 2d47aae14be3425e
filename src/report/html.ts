import { escapeHtml as e } from './escape.js';
import type { FormatOptions } from './format-options.js';
import { assumptions } from './html/assumptions.js';
import { coverageChart } from './html/coverage-chart.js';
import { findingDetails } from './html/details-appendix.js';
import { estimateSection, estimateTable } from './html/estimate-section.js';
import { modelFacts, modelLine } from './html/model-facts.js';
import { opTableSection } from './html/op-table-section.js';
import { precisionSection } from './html/precision-section.js';
import { runSection } from './html/run-section.js';
import { hardwareTable, SourceIndex } from './html/sources-appendix.js';
import { REPORT_CSS } from './html/styles.js';
import { servingSection } from './serving/html-section.js';
import { blockerList, effortParagraph, keyPoints, modelMatrix, targetTally, verdictCards } from './html/summary.js';
import { timeShareChart } from './html/time-share-chart.js';
import { documentTitle, titlePage } from './html/title-page.js';
import { workItemsTable } from './html/work-items.js';
import type { Report } from './types.js';

/**
 * Nothing may load or run: the document is meant to be mailed to a customer and opened offline.
 * The policy also stops a script even if some model string escaped escaping. Links to sources
 * open only when the reader follows them.
 */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * The customer report: one self-contained HTML file (inline CSS and SVG, no script, no fetch),
 * written for a reader outside the team. A title page (`--title`, `--customer`, `--author`, the
 * date); an executive summary a manager reads in one page (verdict per target, what blocks the
 * port, total effort); a page per model with the porting work in plain words (and the run,
 * precision drift and time share when the model ran); then the appendix with what engineers look
 * up: every finding with its rule id and level, the estimates, the hardware figures marked by
 * confidence, the numbered sources as links with their kind, and the method.
 */
export function formatHtml(reports: Report[], options: FormatOptions): string {
  const version = reports[0]?.tool.version ?? options.toolVersion ?? '';
  const title = documentTitle(reports, options.document);
  const sources = new SourceIndex();
  const appendix = appendixOf(reports, sources, options.rules);
  const body = [
    titlePage(reports, options.document, version),
    executiveSummary(reports, options.rules),
    ...reports.map((r, i) => modelArticle(r, i, reports.length === 1, options.rules)),
    appendix,
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

function executiveSummary(reports: Report[], rules: FormatOptions['rules']): string {
  const head = '<section id="summary" class="summary"><h2>Executive summary</h2>';
  if (reports.length === 0) return `${head}<p>No model was checked.</p></section>`;
  if (reports.length === 1) {
    const r = reports[0]!;
    return `${head}${verdictCards(r)}${keyPoints(r, rules)}${effortParagraph(reports, rules)}</section>`;
  }
  return `${head}${targetTally(reports)}${modelMatrix(reports)}${blockerList(reports, rules)}${effortParagraph(reports, rules)}</section>`;
}

function modelArticle(r: Report, index: number, single: boolean, rules: FormatOptions['rules']): string {
  const timeShare = timeShareChart(r.targets);
  const parts = [
    `<article class="model" id="model-${index}">`,
    `<h2 class="model-title">Model <span class="mono">${e(r.model.path)}</span></h2>`,
    `<p class="muted">${e(modelLine(r.model))}</p>`,
    `<section class="work"><h3>What has to change</h3>${workItemsTable(r, rules)}</section>`,
    // One model has the page to itself: its coverage and facts fit beside the work.
    single
      ? `<figure class="chart small">${coverageChart(r.targets)}<figcaption>Operator types by support level on each target.</figcaption></figure>` +
        `<section><h3>The model</h3>${modelFacts(r.model)}</section>`
      : '',
    servingSection(r.serving),
    precisionSection(r),
    timeShare
      ? `<section><h2>Where the time goes</h2><figure class="chart">${timeShare}` +
        '<figcaption>Share of the reference run’s time spent in each op that has a finding, coloured by the worst level any target gives it.</figcaption></figure></section>'
      : '',
    runSection(r),
    r.run ? estimateSection(r) : '',
    '</article>',
  ];
  return parts.filter(Boolean).join('\n');
}

function appendixOf(reports: Report[], sources: SourceIndex, rules: FormatOptions['rules']): string {
  const details = reports
    .map(
      (r, i) =>
        `<section class="appendix-model" id="details-${i}"><h3>Model <span class="mono">${e(r.model.path)}</span></h3>` +
        `${findingDetails(r, sources, rules)}</section>`,
    )
    .join('');
  const staticEstimates = reports.filter((r) => !r.run && r.targets.some((t) => t.estimate));
  const hardware = hardwareTable(reports, sources);
  const opTables = reports.map(opTableSection).join('');
  return [
    '<section id="appendix" class="appendix"><h2>Appendix</h2>',
    `<section><h2>A. Findings with their rule ids</h2>${details}</section>`,
    staticEstimates.length > 0 ? `<section class="estimate"><h2>B. Speed and memory estimates</h2>${estimateTable(staticEstimates)}</section>` : '',
    hardware ? `<section><h2>C. Hardware figures</h2>${hardware}</section>` : '',
    `<section id="sources"><h2>D. Sources</h2>${sources.html()}</section>`,
    `<section id="assumptions"><h2>E. Assumptions and method</h2>${assumptions(reports)}</section>`,
    opTables ? `<section id="op-tables"><h2>F. Op tables</h2>${opTables}</section>` : '',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}
