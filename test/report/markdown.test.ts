import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../../src/report/baseline.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/types.js';
import { SAMPLE_RULES, finding, hostileReport, sampleReport, target, unknownReport } from './fixture.js';
import { hostileRunReport, sampleRunReport } from './fixture-run.js';

const opts = { rules: SAMPLE_RULES };

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

describe('markdown', () => {
  it('has a verdict table with a row per model and a column per target', () => {
    const md = formatMarkdown([sampleReport(), unknownReport()], opts);
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| Model |'));
    expect(cells(lines[head]!)).toEqual(['Model', 'NVIDIA H20', 'Huawei Ascend 910B', 'Huawei Ascend 910C']);
    expect(cells(lines[head + 2]!)).toEqual(['models/encoder\\.onnx', '✅ Ready', '⛔ Blocked · 2 blockers', '⚠️ Runs with changes · 3 warnings']);
    expect(cells(lines[head + 3]!)).toEqual(['models/vad/silero\\.onnx', '✅ Ready', '❓ Unknown · 1 warning', '❓ Unknown · 1 warning']);
  });

  it('lists the blockers with their remedies, and only the blockers', () => {
    const md = formatMarkdown([sampleReport()], opts);
    const blockers = md.slice(md.indexOf('### Blockers'), md.indexOf('<details>'));
    expect(blockers).toContain('**models/encoder\\.onnx** on **Huawei Ascend 910B** (effort: 1 high, 2 medium, 3 low)');
    expect(blockers).toContain('- ⛔ **com\\.microsoft::Attention** (12 nodes): com\\.microsoft::Attention has no CANN kernel and no ATC parser');
    expect(blockers).toContain('  - Remedy: Un\\-fuse Attention into MatMul/Softmax/MatMul, or map it to npu\\_fusion\\_attention\\. (effort: high)');
    expect(blockers).not.toContain('Gelu');
    expect(blockers.match(/^- ⛔/gm)).toHaveLength(2);
  });

  it('collapses every finding into a <details> block per model and target', () => {
    const md = formatMarkdown([sampleReport({ timeShares: true })], opts);
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md).toContain('<summary>models/encoder.onnx on Huawei Ascend 910B: 7 findings</summary>');
    const row = md.split('\n').find((l) => l.includes('**Gelu**') && l.startsWith('| ⚠️'))!;
    expect(cells(row)).toEqual([
      '⚠️',
      '**Gelu** (6 nodes): Gelu is decomposed into Erf, Mul and Add on this target (6.0% of time)',
      '/encoder/layer\\.0/intermediate/Gelu, /encoder/layer\\.1/intermediate/Gelu +4 more',
      'Expect extra kernels; fuse with the npu\\_gelu custom op if it shows in profiles\\.',
      'low',
      'op\\-support/degraded\\-op',
    ]);
    // GitHub needs a blank line between <summary> and a table for the table to render.
    expect(md).toMatch(/<\/summary>\n\n\| \| Finding/);
  });

  it('says "No blockers." when there are none, and counts baseline-suppressed findings', () => {
    const report = sampleReport();
    const { reports } = applyBaseline([report], createBaseline([report]));
    const md = formatMarkdown(reports, opts);
    expect(md).toContain('### Blockers\n\nNo blockers.');
    expect(md).toContain('12 findings suppressed by the baseline (not counted above).');
  });

  it('stays within a comment for a huge model: long lists are cut with a count', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      finding({ rule: 'op-support', code: 'unsupported-op', severity: 'error', level: 'unsupported', op: `Custom${i}`, domain: 'acme', args: { op: `Custom${i}` }, remedy: 'Write a kernel.', effort: 'high' }),
    );
    const report: Report = { ...sampleReport(), targets: [target('ascend-910b', 'Huawei Ascend 910B', many, { supported: 0, degraded: 0, unsupported: 500, unknown: 0 })] };
    const md = formatMarkdown([report], opts);
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('- … and 475 more blockers (see the full report).');
    expect(md).toContain('… and 440 more (see the full report).');
  });

  it('renders hostile strings as text: no tag, link, code span, mention or broken table', () => {
    const md = formatMarkdown([hostileReport()], opts);
    expect(md).not.toMatch(/<script/i);
    // Markdown lines (the <summary> line is HTML, where Markdown syntax is plain text).
    const markdownLines = md.split('\n').filter((l) => !l.startsWith('<summary>')).join('\n');
    expect(markdownLines).not.toContain('](javascript');
    expect(markdownLines).not.toMatch(/(?<!\\)`/);
    expect(md).not.toContain('@octocat');
    expect(md).not.toContain('\u001b');
    const head = md.split('\n').findIndex((l) => l.startsWith('| Model |'));
    const row = md.split('\n')[head + 2]!;
    expect(cells(row)).toHaveLength(2);
    // The summary line is one line of HTML-escaped text.
    const summary = md.split('\n').find((l) => l.startsWith('<summary>'))!;
    expect(summary.endsWith('</summary>')).toBe(true);
    expect(summary).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;]]&gt;&amp;amp;RED line2');
  });

  it('has no speed / memory / precision section when the report has none of them', () => {
    expect(formatMarkdown([sampleReport()], opts)).not.toContain('### Speed, memory and precision');
  });

  it('has a short table per model: estimate, memory, chips, interconnect and drift per target, then the run', () => {
    const md = formatMarkdown([sampleRunReport()], opts);
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| Target | Est. latency'));
    expect(lines.indexOf('### Speed, memory and precision')).toBeLessThan(head);
    expect(cells(lines[head]!)).toEqual(['Target', 'Est. latency', 'Bound', 'Memory', 'Chips', 'Interconnect', 'Precision', 'Confidence']);
    expect(cells(lines[head + 2]!)).toEqual([
      'NVIDIA H20', '38.20 ms', 'compute', '100 GiB of 96.0 GiB', '⚠️ needs 2 chips', 'NVLink 450 GB/s: 21.0 µs per inference (0.1%)', '—', 'medium',
    ]);
    expect(cells(lines[head + 3]!)).toEqual([
      'Huawei Ascend 910B', '24.90 ms', 'compute', '100 GiB of 64.0 GiB', '⚠️ needs 2 chips', 'HCCS 56 GB/s: 168.0 µs per inference (1.3%)',
      '⚠️ 1 of 2 outputs within thresholds', 'medium',
    ]);
    expect(cells(lines[head + 4]!)).toEqual([
      'Huawei Ascend 910C', '12.10 ms', 'compute', '100 GiB of 128 GiB', '✅ fits on 1 chip', '—', '✅ 2 of 2 outputs within thresholds', 'high',
    ]);
    expect(md).toContain('- **Huawei Ascend 910B**: drift starts at /encoder/layer\\.3/attention/Softmax (Softmax); keeping 2 nodes in their precision (ATC --keep_dtype) is suggested.');
    const run = lines.findIndex((l) => l.startsWith('| Provider | p50'));
    expect(lines[run - 2]).toBe('Run on ONNX Runtime 1\\.30\\.0, on this machine (not the targets):');
    expect(cells(lines[run + 2]!)).toEqual(['cpu', '18.40 ms', '19.90 ms', '21.30 ms', '18.80 ms', '612 MB']);
    expect(cells(lines[run + 3]!)).toEqual(['webgpu', 'failed: no WebGPU adapter', '', '', '', '']);
    expect(md).toContain('Blockers account for 41.0% of the run time.');
    expect(md).toContain('Providers not usable here: cuda, tensorrt (the HTML report says how to get them).');
    // The assumptions behind the numbers, collapsed, once per target.
    expect(md).toMatch(/<summary>Assumptions behind the estimate<\/summary>\n\n\*\*NVIDIA H20\*\*\n\n- roofline at 100% of the target's figures \\\(96 GiB\\\): a lower bound on latency/);
  });

  it('lists each assumption once per target however many models share it', () => {
    const md = formatMarkdown([sampleRunReport(), { ...sampleRunReport(), model: { ...sampleRunReport().model, path: 'models/b.onnx' } }], opts);
    expect(md.match(/- interconnect time at 100% of HCCS's 56 GB\/s per chip, no overlap with compute/g)).toHaveLength(1);
    expect(md).toContain('**models/b\\.onnx**');
  });

  it('keeps hostile strings in the new table inert', () => {
    const md = formatMarkdown([hostileRunReport()], opts);
    expect(md).not.toMatch(/<script/i);
    expect(md).not.toContain('@octocat');
    expect(md).not.toContain('\u001b');
    const row = md.split('\n').find((l) => l.startsWith('| Target') )!;
    const body = md.split('\n')[md.split('\n').indexOf(row) + 2]!;
    expect(cells(body)).toHaveLength(8);
  });
});
