/**
 * The HTML report's optional sections: the run, precision drift per target and the estimate per
 * target, on a hand-built report and on a real `check()` with `run` on a sample model.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { RULES } from '../../src/rules.js';
import { formatHtml } from '../../src/report/html.js';
import type { Report } from '../../src/report/types.js';
import { SAMPLE_RULES, sampleReport } from './fixture.js';
import { hostileRunReport, sampleRunReport } from './fixture-run.js';

const opts = { rules: SAMPLE_RULES };

function svg(html: string, label: string): string {
  const found = (html.match(/<svg[\s\S]*?<\/svg>/g) ?? []).find((s) => s.includes(`aria-label="${label}`));
  expect(found, `no chart labelled ${label}`).toBeDefined();
  expect(XMLValidator.validate(found!)).toBe(true);
  return found!;
}

/** The section that starts with this heading, up to the next h2. */
function section(html: string, heading: string): string {
  const start = html.indexOf(`<h2>${heading}</h2>`);
  expect(start, `no section "${heading}"`).toBeGreaterThan(-1);
  const next = html.indexOf('<h2>', start + 4);
  return html.slice(start, next === -1 ? undefined : next);
}

/** Rows of the first table in `html` whose row header is `label`, as cell texts. */
function row(html: string, label: string): string[] {
  const tr = html.match(new RegExp(`<tr><th scope="row">${label}</th>([\\s\\S]*?)</tr>`));
  expect(tr, `no row ${label}`).not.toBeNull();
  return (tr![1]!.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? []).map((c) => c.replace(/<[^>]+>/g, ''));
}

interface Node {
  x?: number;
  x1?: number;
  y1?: number;
  width?: number;
  fill?: string;
  title?: string;
}

function parse(s: string): { rect: Node[]; line: Node[] } {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: true, isArray: (n) => n === 'rect' || n === 'line' });
  return (parser.parse(s) as { svg: { rect: Node[]; line: Node[] } }).svg;
}

describe('html: the run, precision and estimate sections', () => {
  const html = formatHtml([sampleRunReport()], opts);

  it('leaves them out when the report has none', () => {
    const plain = formatHtml([sampleReport()], opts);
    for (const heading of ['The run on this machine', 'Precision on the targets', 'Speed and memory on the targets (estimate)']) {
      expect(plain).not.toContain(heading);
    }
    expect(plain).not.toContain('Est. latency');
  });

  it('puts the estimate and the drift into the executive summary and the estimate section', () => {
    const summary = html.slice(html.indexOf('<section id="summary" class="summary">'), html.indexOf('</section>'));
    expect(summary).toContain('<dt>Est. latency</dt><dd>38.20 ms, compute-bound</dd><dt>Memory</dt><dd>100 GiB of 96.0 GiB: needs 2 chips</dd>');
    expect(summary).toContain('<dt>Memory</dt><dd>100 GiB of 128 GiB: fits on 1 chip</dd><dt>Precision</dt><dd>2 of 2 outputs within thresholds</dd>');
    const estimate = section(html, 'Speed and memory on the targets (estimate)');
    expect(row(estimate, 'Fits / chips needed')).toEqual(['needs 2 chips', 'needs 2 chips', 'fits on 1 chip']);
  });

  it('shows providers with how to get the missing ones, latency per backend, and what the blockers cost', () => {
    const run = section(html, 'The run on this machine');
    expect(run).toContain('ONNX Runtime 1.30.0 ran the model on cpu.');
    expect(run).toContain(
      '<tr><th scope="row" class="mono nowrap">cuda</th><td><span class="badge l-degraded">listed, not usable</span></td>' +
        '<td>the CUDA provider library is not installed in onnxruntime-node<div class="howto"><strong>How to get it:</strong> ' +
        'npm install onnxruntime-node --onnxruntime-node-install=cuda12 (needs CUDA 12 and cuDNN 9)</div></td></tr>',
    );
    expect(run).toContain('<span class="badge l-unknown">not in this build</span>');
    const cpu = run.match(/<tr><th scope="row" class="mono nowrap">cpu<\/th>(<td class="num">[\s\S]*?)<\/tr>/)![1]!;
    expect(cpu.match(/<td class="num">([^<]*)<\/td>/g)!.map((c) => c.replace(/<[^>]+>/g, ''))).toEqual([
      '18.40 ms', '19.90 ms', '21.30 ms', '18.80 ms', '17.90 ms – 21.30 ms', '10', '413 ms', '612 MB',
    ]);
    expect(run).toContain('<td colspan="8" class="s-warning">failed: no WebGPU adapter</td>');
    expect(run).toContain('<strong>Blockers account for 41.0% of the run time</strong> (1 blocker finding matched timed nodes on cpu)');
    expect(run).toContain('<td class="mono">input_ids</td><td class="mono">INT64</td><td class="mono">[1, 128]</td><td>synthesised</td><td>integers in [0, 100) from seed 1</td>');
    expect(run).toContain("<li>dim &#39;sequence&#39; = 128 (set it with --dim sequence=N)</li>");
  });

  it('charts the time share per op type, coloured by the worst level a target gives the op', () => {
    const chart = parse(svg(html, 'Time share per op type on cpu'));
    const bars = chart.rect.filter((r) => r.title);
    expect(bars.map((b) => b.title)).toEqual([
      'MatMul: 45.0% · 8.10 ms · 96 nodes',
      'com.microsoft::Attention: 41.0% · 7.40 ms · 12 nodes',
      'Gelu: 6.0% · 1.10 ms · 6 nodes',
      'TopK: 2.0% · 360.0 µs · 1 node',
      'Add: 6.0% · 1.08 ms · 60 nodes',
    ]);
    expect(bars.map((b) => b.fill)).toEqual(['#4a6fa5', '#c62828', '#d58a00', '#4a6fa5', '#4a6fa5']);
    expect(bars[0]!.width! / bars[1]!.width!).toBeCloseTo(45 / 41, 2);
  });

  it('shows per-output drift with pass/fail, the first drifting node, overflows and the keep-dtype lines', () => {
    const precision = section(html, 'Precision on the targets');
    const b910 = precision.slice(precision.indexOf('<h3>Huawei Ascend 910B'), precision.indexOf('<h3>Huawei Ascend 910C'));
    expect(b910).toContain('<span class="badge l-unsupported">1 output past thresholds</span>');
    expect(b910).toContain('policy <span class="mono">force_fp16</span>: fp32, bf16 → fp16 (the target’s default)');
    expect(b910).toContain(
      '<tr><td class="mono">last_hidden_state</td><td class="mono">[1, 128, 384]</td><td><span class="badge l-unsupported">fail</span></td>' +
        '<td class="num">0.971200</td><td class="num">0.2134</td><td class="num">0.6402</td><td class="num">0.2134</td><td class="num">—</td>' +
        '<td>cosine 0.9712 (limit 0.99); relative distance 0.2134 (limit 0.05)</td></tr>',
    );
    expect(b910).toContain(
      '<strong>First drifting node:</strong> <span class="mono">/encoder/layer.3/attention/Softmax</span> (Softmax, node #311), ' +
        'output <span class="mono">/encoder/layer.3/attention/Softmax_output_0</span>: cosine 0.9731 against a limit of 0.99.',
    );
    expect(b910).toContain('1180 intermediate values compared, 37 past a threshold.');
    expect(b910).toContain('<td>beyond fp16’s range (±65504)</td><td><span class="mono">/encoder/layer.3/attention/MatMul</span> (MatMul, node #309)</td>');
    expect(b910).toContain('<td class="num">12 of 196608</td><td class="num">81230</td>');
    expect(b910).toContain('<pre class="keep-dtype">/encoder/layer.3/attention/MatMul\n/encoder/layer.3/attention/Softmax</pre>');
    expect(b910).toContain('<li>212 fp32 weights (initializers) converted to fp16 and back to fp32 (force_fp16)</li>');
    expect(b910).toContain('<li>rounding inside a node is not emulated</li>');
    const c910 = precision.slice(precision.indexOf('<h3>Huawei Ascend 910C'));
    expect(c910).toContain('<span class="badge l-supported">within thresholds</span>');
    expect(c910).toContain('<td class="num">1 − 6.0e-7</td>');
    expect(c910).toContain('<strong>First drifting node:</strong> none.');
    expect(precision).toContain('Not emulated: <strong>NVIDIA H20</strong>');
  });

  it('draws drift on a log axis with each threshold marked, red where the output missed it', () => {
    const chart = parse(svg(html, 'Precision drift per output on Huawei Ascend 910B'));
    const bars = chart.rect.filter((r) => r.title);
    expect(bars.map((b) => [b.title, b.fill])).toEqual([
      ['last_hidden_state: 1 − cosine 0.0288 (limit 0.01), past the threshold', '#c62828'],
      ['last_hidden_state: relative distance 0.2134 (limit 0.05), past the threshold', '#c62828'],
      ['pooler_output: 1 − cosine 9.00e-5 (limit 0.01)', '#2e7d32'],
      ['pooler_output: relative distance 0.0123 (limit 0.05)', '#2e7d32'],
    ]);
    // Log scale: 10⁻⁸ at the left edge, 1 at the right, 400 px over 8 decades.
    const left = bars[0]!.x!;
    const at = (v: number) => left + ((Math.log10(v) + 8) / 8) * 400;
    expect(left + bars[0]!.width!).toBeCloseTo(at(1 - 0.9712), 1);
    expect(left + bars[3]!.width!).toBeCloseTo(at(0.0123), 1);
    // The threshold marks (stroke-width 2) sit at 1 − 0.99 and 0.05, past the passing bars' ends.
    // (The legend's sample mark sits above the plot, at y 2.)
    const marks = chart.line.filter((l) => (l as { 'stroke-width'?: number })['stroke-width'] === 2 && l.y1! > 16);
    const xs = [...new Set(marks.map((m) => Math.round(m.x1!)))].sort((a, b) => a - b);
    expect(xs).toEqual([Math.round(at(0.01)), Math.round(at(0.05))]);
  });

  it('shows the estimate side by side: latency, bottleneck, memory fit, chips, confidence', () => {
    const est = section(html, 'Speed and memory on the targets (estimate)');
    expect(row(est, 'Latency per inference \\(roofline, lower bound\\)')).toEqual(['38.20 ms', '24.90 ms', '12.10 ms']);
    expect(row(est, 'Bottleneck')).toEqual(['compute (peak FLOPS)', 'compute (peak FLOPS)', 'compute (peak FLOPS)']);
    expect(row(est, 'Memory needed')).toEqual(['100 GiB', '100 GiB', '100 GiB']);
    expect(row(est, 'Device memory \\(usable\\)')).toEqual(['96.0 GiB (90.0% usable)', '64.0 GiB (90.0% usable)', '128 GiB (90.0% usable)']);
    expect(row(est, 'Fits / chips needed')).toEqual(['needs 2 chips', 'needs 2 chips', 'fits on 1 chip']);
    expect(row(est, 'Confidence')).toEqual(['medium', 'medium', 'high']);
    expect(row(est, 'Nodes costed')).toEqual(['1198 of 1204', '1198 of 1204', '1198 of 1204']);
  });

  it('compares NVLink with HCCS on the same split, and says which target needs no link', () => {
    const est = section(html, 'Speed and memory on the targets (estimate)');
    const link = est.slice(est.indexOf('<h3>Interconnect</h3>'), est.indexOf('<h3>Where the estimated time goes</h3>'));
    expect(link).toContain('<th scope="col">NVIDIA H20</th><th scope="col">Huawei Ascend 910B</th>');
    expect(row(link, 'Link')).toEqual(['NVLink, 450 GB/s per chip', 'HCCS, 56 GB/s per chip']);
    expect(row(link, 'Communication per inference')).toEqual(['21.0 µs', '168.0 µs']);
    expect(row(link, 'Communication share')).toEqual(['0.1%', '1.3%']);
    expect(link).toContain('Huawei Ascend 910C: fits on one chip, no chip-to-chip traffic.');
    const chart = parse(svg(html, 'Estimated latency per target'));
    const comm = chart.rect.filter((r) => r.title?.endsWith('chip-to-chip communication'));
    expect(comm.map((r) => r.title)).toEqual(['NVIDIA H20: chip-to-chip communication', 'Huawei Ascend 910B: chip-to-chip communication']);
  });

  it('lists the top op types per target and every assumption behind the numbers', () => {
    const est = section(html, 'Speed and memory on the targets (estimate)');
    expect(est).toContain(
      '<tr><th scope="row"><span class="mono">com.microsoft::Attention</span> <span class="muted">12 nodes</span></th>' +
        '<td>7.64 ms · 20.0% <span class="muted">memory</span></td><td>4.98 ms · 20.0% <span class="muted">memory</span></td>' +
        '<td>2.42 ms · 20.0% <span class="muted">memory</span></td></tr>',
    );
    const assumptions = est.slice(est.indexOf('<h3>Assumptions behind these numbers</h3>'));
    for (const t of sampleRunReport().targets) {
      expect(assumptions).toContain(`<h4>${t.name}</h4>`);
      for (const a of t.estimate!.assumptions) expect(assumptions).toContain(`<li>${a.replace(/'/g, '&#39;')}</li>`);
    }
    expect(assumptions).toContain('Not costed (6 nodes, first 1): <span class="mono">/embeddings/NonZero</span> (NonZero: data-dependent output shape).');
    expect(html).toContain('Speed and memory figures are estimates: a roofline on each target&#39;s published peaks');
  });

  it('escapes every model string in the new sections and keeps their SVG well-formed', () => {
    const hostile = formatHtml([hostileRunReport()], opts);
    expect(hostile).not.toMatch(/<script/i);
    expect(hostile).not.toContain('\u001b');
    expect(hostile).not.toContain(']]>');
    for (const s of hostile.match(/<svg[\s\S]*?<\/svg>/g) ?? []) expect(XMLValidator.validate(s)).toBe(true);
    const escaped = '&lt;script&gt;window.__pwned=1&lt;/script&gt;]]&gt;&amp;amp;RED';
    for (const what of ['howto', 'reason', 'assumed', 'drift', 'keep-node', 'overflow-out', 'HCCS', 'nc', 'in', 'detail', 'policy']) {
      expect(hostile, what).toContain(`${what}${escaped}`);
    }
  });

  it('is the same bytes for the same report', () => {
    expect(formatHtml([sampleRunReport()], opts)).toBe(html);
  });

  it('says so when the model could not run, or a target could not be emulated', () => {
    const r = sampleRunReport();
    r.run = { status: 'failed', reason: 'input sr: a scalar int64 is needed', providers: r.run!.providers, backends: [], inputs: [], assumptions: [] };
    r.targets[1]!.precision = { ...r.targets[1]!.precision!, status: 'failed', reason: 'the model does not run on the CPU provider', outputs: [] };
    const failed = formatHtml([r], opts);
    expect(failed).toContain('<strong>The model could not run here:</strong> input sr: a scalar int64 is needed.');
    expect(failed).not.toContain('<h3>Latency</h3>');
    expect(failed).toContain('<h3>Huawei Ascend 910B <span class="badge l-unknown">not emulated</span></h3>');
    expect(failed).toContain('<strong>Not emulated:</strong> the model does not run on the CPU provider');
    expect(failed).toContain('<dt>Precision</dt><dd>not emulated</dd>');
  });

  it('says under a verdict of the several-model matrix when the model needs more than one chip', () => {
    const several = formatHtml([sampleRunReport(), sampleReport({ path: 'models/other.onnx' })], opts);
    const matrix = several.slice(several.indexOf('<section id="summary" class="summary">'), several.indexOf('</section>'));
    expect(matrix).toContain('<span class="badge v-blocked">Blocked</span> 2 blockers<div class="muted">needs 2 chips</div>');
    expect(matrix).toContain('<span class="badge v-ready">Ready</span></td>');
  });
});

describe('html of a real check() with run', () => {
  let report: Report;
  let html: string;
  beforeAll(async () => {
    report = await check('models/resnet-block.onnx', { targets: ['h20', 'ascend-910b'], run: { iterations: 2 } });
    html = formatHtml([report], { rules: RULES });
  }, 60_000);

  it('has the run, precision and estimate sections with the measured numbers', () => {
    const run = report.run!;
    expect(run.status).toBe('ok');
    const cpu = run.backends.find((b) => b.provider === 'cpu' && b.status === 'ok')!;
    const text = html.replace(/<[^>]+>/g, ' ');
    expect(text).toContain('The run on this machine');
    expect(html).toContain(`<tr><th scope="row" class="mono nowrap">cpu</th><td><span class="badge l-supported">works here</span>`);
    expect(html).toContain(`<td class="num">${cpu.iterations}</td>`);
    expect(svg(html, 'Time share per op type on cpu')).toContain('Conv');
    const p = report.targets.find((t) => t.id === 'ascend-910b')!.precision!;
    expect(p.status).toBe('ok');
    expect(svg(html, 'Precision drift per output on Huawei Ascend 910B')).toContain('logits');
    expect(html).toMatch(/<td class="mono">logits<\/td><td class="mono">\[1, 10\]<\/td><td><span class="badge l-supported">pass<\/span><\/td>/);
    const est = section(html, 'Speed and memory on the targets (estimate)');
    expect(row(est, 'Fits / chips needed')).toEqual(['fits on 1 chip', 'fits on 1 chip']);
    expect(est).toContain('no chip-to-chip traffic to estimate');
    for (const t of report.targets) for (const a of t.estimate!.assumptions) expect(est).toContain(a.replace(/'/g, '&#39;'));
  });
});
