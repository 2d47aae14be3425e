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
    // The only address is the SVG namespace, which is never fetched.
    const addresses = html.match(/\b(?:https?|ftp):\/\/[^\s"'<>]*/g) ?? [];
    expect(new Set(addresses)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    // Links stay inside the page.
    for (const href of html.match(/href="[^"]*"/g) ?? []) expect(href).toMatch(/^href="#model-\d+"$/);
    expect(html).toContain('@media print');
  });

  it('has the executive summary, comparison, findings with remedies and sources, model facts and assumptions', () => {
    const html = formatHtml([sampleReport()], opts);
    for (const heading of ['Executive summary', 'Target comparison', 'Findings', 'The model', 'Assumptions and method']) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain('<div class="verdict">Blocked</div>');
    expect(html).toContain('<strong>Remedy:</strong> Un-fuse Attention into MatMul/Softmax/MatMul, or map it to npu_fusion_attention.');
    expect(html).toContain('<li>Source: Contrib ops per execution provider (knowledge/ort_cuda_contrib_ops.txt)</li>');
    expect(html).toContain('<dt>Effort</dt><dd>1 high, 2 medium, 3 low</dd>');
    // Comparison: the Attention row is unsupported on 910B and without finding elsewhere.
    const row = html.match(/<tr><th scope="row"><span class="mono">com\.microsoft::Attention<\/span>[\s\S]*?<\/tr>/)![0];
    expect(row.match(/<td[^>]*>[\s\S]*?<\/td>/g)).toEqual([
      '<td class="muted">no finding</td>',
      '<td><span class="badge l-unsupported">unsupported</span> <span class="s-error">blocker</span></td>',
      '<td class="muted">no finding</td>',
    ]);
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

  it('puts several models in one matrix and one article each, a page apart in print', () => {
    const html = formatHtml([sampleReport(), unknownReport()], opts);
    expect(html).toContain('<title>Porting report: 2 models</title>');
    expect(html.match(/<article class="model"/g)).toHaveLength(2);
    expect(html).toContain('article.model + article.model { break-before: page; }');
    expect(html).toContain('<a href="#model-1" class="mono">models/vad/silero.onnx</a>');
  });

  it('lists baseline-suppressed findings apart', () => {
    const report = sampleReport();
    const { reports } = applyBaseline([report], createBaseline([report]));
    const html = formatHtml(reports, opts);
    expect(html).toContain('<dt>Baseline</dt><dd>7 findings suppressed</dd>');
    expect(html).toContain('7 findings suppressed by the baseline: <span class="mono">com.microsoft::Attention</span>');
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
