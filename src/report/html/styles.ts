/**
 * The report's only stylesheet, inlined: system fonts, no images, nothing fetched. Colours carry
 * meaning (level, verdict) but every coloured mark also has its word, so the report reads in
 * greyscale print too.
 */
export const REPORT_CSS = `
:root {
  --ink: #1d2330; --muted: #5b6475; --line: #dde2ea; --paper: #ffffff; --wash: #f5f7fa;
  --supported: #2e7d32; --degraded: #d58a00; --unsupported: #c62828; --unknown: #6b5bb0;
  --supported-bg: #e8f5e9; --degraded-bg: #fff4dc; --unsupported-bg: #fdecea; --unknown-bg: #efecfa;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; background: var(--wash); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
}
.page { max-width: 1080px; margin: 0 auto; padding: 32px 28px 48px; }
header.doc { border-bottom: 3px solid var(--ink); margin-bottom: 24px; padding-bottom: 12px; }
header.doc h1 { margin: 0 0 4px; font-size: 28px; }
header.doc .sub { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
h2 { font-size: 22px; margin: 36px 0 12px; overflow-wrap: anywhere; }
h2.model-title { border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 17px; margin: 24px 0 8px; overflow-wrap: anywhere; }
section { margin-bottom: 28px; }
.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 14px; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; break-inside: avoid; }
.verdict-card { border-top: 6px solid var(--line); }
.verdict-card.v-ready { border-top-color: var(--supported); }
.verdict-card.v-runs-with-changes { border-top-color: var(--degraded); }
.verdict-card.v-blocked { border-top-color: var(--unsupported); }
.verdict-card.v-unknown { border-top-color: var(--unknown); }
.verdict-card .target { font-weight: 600; font-size: 16px; overflow-wrap: anywhere; }
.verdict-card .verdict { font-size: 22px; font-weight: 700; margin: 2px 0 6px; }
.verdict-card dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 8px 0 0; font-size: 14px; }
.verdict-card dt { color: var(--muted); }
.verdict-card dd { margin: 0; }
.v-ready .verdict { color: var(--supported); }
.v-runs-with-changes .verdict { color: var(--degraded); }
.v-blocked .verdict { color: var(--unsupported); }
.v-unknown .verdict { color: var(--unknown); }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12.5px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.l-supported, .v-ready.badge { background: var(--supported-bg); color: var(--supported); border-color: var(--supported); }
.l-degraded, .v-runs-with-changes.badge { background: var(--degraded-bg); color: #8a5a00; border-color: var(--degraded); }
.l-unsupported, .v-blocked.badge { background: var(--unsupported-bg); color: var(--unsupported); border-color: var(--unsupported); }
.l-unknown, .v-unknown.badge { background: var(--unknown-bg); color: var(--unknown); border-color: var(--unknown); }
.s-error { color: var(--unsupported); font-weight: 700; }
.s-warning { color: #8a5a00; font-weight: 700; }
.s-info { color: var(--muted); font-weight: 700; }
table { border-collapse: collapse; width: 100%; background: var(--paper); border: 1px solid var(--line); font-size: 14px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
thead th { background: var(--wash); font-weight: 600; }
tbody th { font-weight: 600; }
th .muted { font-weight: 400; }
tr { break-inside: avoid; }
.key-points { margin: 14px 0 0; padding-left: 20px; }
.key-points li { margin: 4px 0; }
.chart { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 12px 0; break-inside: avoid; }
.chart svg { display: block; width: 100%; max-width: 860px; height: auto; margin: 0 auto; }
.chart figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.finding { margin: 10px 0; }
.finding .head { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: baseline; }
.finding .title { font-weight: 600; overflow-wrap: anywhere; }
.finding .meta { color: var(--muted); font-size: 13px; margin-top: 2px; }
.finding .message { margin: 6px 0; }
.finding .nodes { font-size: 13px; color: var(--muted); }
.finding .remedy { background: var(--wash); border-left: 4px solid var(--supported); padding: 6px 10px; margin: 8px 0 4px; }
.finding.sev-error .remedy { border-left-color: var(--unsupported); }
.finding.sev-warning .remedy { border-left-color: var(--degraded); }
.finding .sources { font-size: 13px; color: var(--muted); margin: 4px 0 0; padding-left: 18px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 6px 18px; margin: 0; }
.facts div { display: flex; flex-direction: column; }
.facts dt { color: var(--muted); font-size: 13px; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
h4 { font-size: 15px; margin: 16px 0 6px; }
table.outputs thead th, table.latency thead th { white-space: nowrap; }
.nowrap { white-space: nowrap; overflow-wrap: normal; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.callout { background: var(--paper); border: 1px solid var(--line); border-left: 5px solid var(--unknown); border-radius: 6px; padding: 10px 14px; margin: 12px 0; break-inside: avoid; }
.callout.warn { border-left-color: var(--degraded); }
.callout.blockers { border-left-color: var(--unsupported); }
.callout.drift { border-left-color: var(--degraded); }
.howto { color: var(--muted); font-size: 13px; margin-top: 4px; }
ul.assumptions { font-size: 13.5px; color: var(--muted); margin: 4px 0 10px; padding-left: 20px; }
ul.assumptions li { margin: 2px 0; overflow-wrap: anywhere; }
.target-precision { margin-bottom: 22px; }
.target-precision h3 .badge { margin-left: 8px; vertical-align: middle; }
.method { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 4px 14px 6px; margin-top: 10px; }
pre.keep-dtype { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
.cards.wide { grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
.cards .card .target { font-weight: 600; margin-bottom: 6px; overflow-wrap: anywhere; }
.cards .card table { font-size: 13px; }
.conf-high { background: var(--supported-bg); color: var(--supported); border-color: var(--supported); }
.conf-medium { background: var(--degraded-bg); color: #8a5a00; border-color: var(--degraded); }
.conf-low { background: var(--unsupported-bg); color: var(--unsupported); border-color: var(--unsupported); }
.title-page { border-bottom: 3px solid var(--ink); padding: 48px 0 24px; margin-bottom: 24px; }
.title-page .kicker { color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; font-size: 13px; margin: 0 0 8px; }
.title-page h1 { font-size: 34px; margin: 0 0 10px; overflow-wrap: anywhere; }
.title-meta { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 28px 0 0; font-size: 16px; }
.title-meta dt { color: var(--muted); }
.title-meta dd { margin: 0; overflow-wrap: anywhere; }
table.work td:first-child { width: 36%; }
table.work td:nth-child(2) { width: 20%; }
table.details, table.hardware, table.estimates { font-size: 12.5px; }
table.details th, table.details td { padding: 4px 7px; }
.cite { font-size: 12px; white-space: nowrap; }
.cite a, .source-list a { color: #1f4fa8; }
.source-list { font-size: 13px; padding-left: 24px; }
.source-list > li { margin: 4px 0; }
.source-list .places { color: var(--muted); overflow-wrap: anywhere; }
.method-list { font-size: 13px; }
.source-list .kind { font-style: italic; }
.chart.small svg { max-width: 640px; }
.appendix-model .facts { font-size: 13px; margin-top: 8px; }
footer.doc { color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); margin-top: 36px; padding-top: 10px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  .cards { grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 8px; }
  .card, .chart, table { border-color: #c9ced8; }
  .title-page { border: none; padding-top: 70mm; min-height: 240mm; break-after: page; }
  .summary { break-after: page; }
  /* Models share a page where they fit; none is split unless it is longer than a page. */
  article.model { break-inside: avoid; }
  article.model + article.model { margin-top: 24px; }
  .appendix h2 { margin-top: 18px; }
  table.details, table.hardware, table.estimates, .source-list, .method-list { font-size: 8pt; line-height: 1.3; }
  table.details th, table.details td, table.hardware td, table.hardware th, table.estimates td { padding: 2px 5px; }
  table.work { font-size: 9pt; line-height: 1.35; }
  table.work td, table.work th { padding: 3px 5px; }
  .source-list { columns: 2; column-gap: 18px; }
  .source-list > li { break-inside: avoid; }
  h2 { margin: 20px 0 8px; }
  h3 { margin: 14px 0 6px; }
  h2, h3 { break-after: avoid; }
  .finding, .chart, .verdict-card, .callout { break-inside: avoid; }
}
`;
