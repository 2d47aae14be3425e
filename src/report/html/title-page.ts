import { escapeHtml as e } from '../escape.js';
import type { DocumentInfo } from '../format-options.js';
import type { Report } from '../types.js';
import { plural } from '../wording.js';

/** The document's title: the one given, else what was checked. */
export function documentTitle(reports: readonly Report[], doc: DocumentInfo | undefined): string {
  if (doc?.title) return doc.title;
  return reports.length === 1 ? `Porting report: ${reports[0]!.model.path}` : `Porting report: ${plural(reports.length, 'model')}`;
}

/**
 * The first page: what this is, for whom, by whom and when (`--title`, `--customer`, `--author`,
 * `--date`), and what was checked against what. A page of its own in print.
 */
export function titlePage(reports: readonly Report[], doc: DocumentInfo | undefined, version: string): string {
  const targets = [...new Set(reports.flatMap((r) => r.targets.map((t) => t.name)))];
  const rows: [string, string | undefined][] = [
    ['Prepared for', doc?.customer],
    ['Prepared by', doc?.author],
    ['Date', doc?.date],
    ['Models', reports.length === 1 ? reports[0]!.model.path : plural(reports.length, 'model')],
    ['Targets', targets.join(', ') || 'none'],
    ['Tool', `port-check ${version}`],
  ];
  const meta = rows
    .filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '')
    .map(([k, v]) => `<dt>${k}</dt><dd>${e(v)}</dd>`)
    .join('');
  return (
    '<header class="doc title-page">' +
    '<p class="kicker">Porting assessment · from NVIDIA CUDA to Huawei Ascend</p>' +
    `<h1>${e(documentTitle(reports, doc))}</h1>` +
    '<p class="sub">What each model needs ported, converted or rewritten to run on each target, what it costs, and the evidence for every verdict.</p>' +
    `<dl class="title-meta">${meta}</dl>` +
    '</header>'
  );
}
