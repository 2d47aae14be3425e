import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../../src/report/baseline.js';
import { formatHtml } from '../../src/report/html.js';
import { LEVEL_COLOR } from '../../src/report/html/coverage-chart.js';
import { SAMPLE_RULES, hostileReport, sampleReport, unknownReport } from './fixture.js';

const opts = { rules: SAMPLE_RULES };

function svgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

interface Rect {
  x: number;
  width: number;
  fill: string;
  title?: string;
}

function rectsOf(svg: string): Rect[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: true, isArray: (n) => n === 'rect' });
  return (parser.parse(svg) as { svg: { rect: Rect[] } }).svg.rect;
}

describe('html', () => {
  it('is self-contained: no script, no external resource, a CSP that forbids both', () => {
    const html = formatHtml([sampleReport({ timeShares: true }), unknownReport()], opts);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;`);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i);
    // Links go to the page's own anchors, or to a source a reader may follow (never fetched).
    for (const href of html.match(/href="[^"]*"/g) ?? []) expect(href).toMatch(/^href="(#(model|source)-\d+|https:\/\/[^"]+)"$/);
    expect(html).toContain('@media print');
  });

  it('has a title page, the executive summary, the work in plain words, and the appendix with the ids', () => {
    const html = formatHtml([sampleReport()], { ...opts, document: { title: 'Encoder on Ascend', customer: 'ACME Robotics', author: 'J. Doe', date: '2026-11-30' } });
    expect(html).toContain('<title>Encoder on Ascend</title>');
    expect(html).toContain('<dt>Prepared for</dt><dd>ACME Robotics</dd><dt>Prepared by</dt><dd>J. Doe</dd><dt>Date</dt><dd>2026-11-30</dd>');
    for (const heading of ['Executive summary', 'Appendix', 'A. Findings with their rule ids', 'C. Hardware figures', 'D. Sources', 'E. Assumptions and method']) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain('<div class="verdict">Blocked</div>');
    expect(html).toContain('<dt>Effort</dt><dd>1 high, 2 medium, 3 low</dd>');
    // The work: plain words, the target that needs it, the remedy; no rule id or level in the model pages.
    const work = html.match(/<table class="work">[\s\S]*?<\/table>/)![0];
    expect(work).toContain(
      '<tr><td>com.microsoft::Attention has no CANN kernel and no ATC parser.</td><td><span class="s-error">Must be ported</span> on Huawei Ascend 910B</td>' +
        '<td>high</td><td>Un-fuse Attention into MatMul/Softmax/MatMul, or map it to npu_fusion_attention.</td></tr>',
    );
    expect(work).not.toMatch(/contrib-ops|unsupported|degraded/);
    // The ids, in the appendix.
    expect(html).toMatch(/<td class="mono">contrib-ops\/contrib-op<\/td><td class="nowrap">error<\/td><td class="nowrap">unsupported<\/td><td class="mono">ascend-910b<\/td>/);
    // Sources: numbered, with their kind, and no internal file of the project.
    expect(html).toMatch(/<li id="source-\d+"><span class="title">ATC ONNX parser registrations<\/span><div class="places"><span class="kind">source code<\/span>: <a href="https:\/\/github.com\/hicann\/ops-nn">hicann\/ops-nn<\/a><\/div><\/li>/);
    expect(html).not.toMatch(/knowledge\/|\.tsv|_opensource\.txt/);
  });

  it('marks each hardware figure with its confidence and sources', () => {
    const html = formatHtml([sampleReport()], opts);
    const table = html.match(/<table class="hardware">[\s\S]*?<\/table>/)![0];
    expect(table).toMatch(/<th scope="row">Peak fp16<\/th><td class="num">148 TFLOPS <span class="badge conf-high"[^>]*>high<\/span> <span class="cite">\[<a href="#source-\d+">\d+<\/a>\]<\/span><\/td>/);
    expect(table).toMatch(/<span class="badge conf-low" title="low: press reports or estimates the vendor has not confirmed">low<\/span>/);
    expect(html).toMatch(/<span class="kind">press<\/span>: <a href="https:\/\/techpowerup.com\/[^"]+">techpowerup.com<\/a>/);
  });

  it('draws operator coverage as stacked bars in proportion to the counts', () => {
    const html = formatHtml([sampleReport()], opts);
    const [coverage] = svgs(html);
    expect(XMLValidator.validate(coverage!)).toBe(true);
    const rects = rectsOf(coverage!).filter((r) => r.title?.startsWith('Huawei Ascend 910B:'));
    expect(rects.map((r) => r.title)).toEqual([
      'Huawei Ascend 910B: 18 supported',
      'Huawei Ascend 910B: 2 degraded',
      'Huawei Ascend 910B: 2 unknown',
      'Huawei Ascend 910B: 1 unsupported',
    ]);
    expect(rects.map((r) => r.fill)).toEqual([LEVEL_COLOR.supported, LEVEL_COLOR.degraded, LEVEL_COLOR.unknown, LEVEL_COLOR.unsupported]);
    const total = rects.reduce((n, r) => n + r.width, 0);
    expect(rects[0]!.width / total).toBeCloseTo(18 / 23, 3);
    expect(rects[3]!.width / total).toBeCloseTo(1 / 23, 3);
  });

  it('shows the time-share chart only when the model ran', () => {
    expect(formatHtml([sampleReport()], opts)).not.toContain('Where the time goes');
    const html = formatHtml([sampleReport({ timeShares: true })], opts);
    expect(html).toContain('<h2>Where the time goes</h2>');
    const chart = svgs(html)[1]!;
    expect(XMLValidator.validate(chart)).toBe(true);
    const bars = rectsOf(chart).filter((r) => r.title);
    expect(bars.map((r) => r.title)).toEqual([
      'com.microsoft::Attention: 41.0% of reference time (unsupported)',
      'Gelu: 6.0% of reference time (degraded)',
      'TopK: 2.0% of reference time (supported)',
    ]);
    expect(html).toContain('<dt>Blocked time</dt><dd>41.0% of reference run</dd>');
  });

  it('puts several models in one matrix and one article each, never split across pages unless longer than one', () => {
    const html = formatHtml([sampleReport(), unknownReport()], opts);
    expect(html).toContain('<title>Porting report: 2 models</title>');
    expect(html.match(/<article class="model"/g)).toHaveLength(2);
    expect(html).toContain('article.model { break-inside: avoid; }');
    expect(html).toContain('<a href="#model-1" class="mono">models/vad/silero.onnx</a>');
    expect(html).toContain('<li><strong>Huawei Ascend 910B</strong>: 1 must be ported before they run, 1 could not be told (no evidence for some operators).</li>');
    expect(html).toMatch(/<h3>Porting effort<\/h3><p>\d+ work items in all/);
  });

  it('lists baseline-suppressed findings apart', () => {
    const report = sampleReport();
    const { reports } = applyBaseline([report], createBaseline([report]));
    const html = formatHtml(reports, opts);
    expect(html).toContain('<dt>Baseline</dt><dd>7 findings suppressed</dd>');
    expect(html).toMatch(/<tr class="muted"><td>com.microsoft::Attention \(12 nodes\)<\/td><td class="mono">contrib-ops\/contrib-op<\/td><td class="nowrap">error \(baseline\)<\/td>/);
  });

  it('is the same bytes for the same report', () => {
    expect(formatHtml([sampleReport()], opts)).toBe(formatHtml([sampleReport()], opts));
  });

  it('escapes every model string', () => {
    const html = formatHtml([hostileReport()], opts);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('\u001b');
    expect(html).not.toContain(']]>');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;]]&gt;&amp;amp;RED');
    for (const svg of svgs(html)) expect(XMLValidator.validate(svg)).toBe(true);
  });
});
