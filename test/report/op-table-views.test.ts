import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { RULES } from '../../src/rules.js';
import { formatHtml } from '../../src/report/html.js';
import { formatJson } from '../../src/report/json.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { reportFileSchema } from '../../src/report/report-schema.js';
import { f32 } from '../checks/models.js';
import { saveModel } from '../saved-models.js';

/** Relu (AI Core) → SequenceConstruct/SequenceAt (AI CPU) → Relu, and a custom op whose name is hostile. */
const model = saveModel('op-table-views', {
  opsets: { 'ai.onnx': 17, 'evil.domain': 1 },
  graph: {
    nodes: [
      { opType: 'Relu', name: 'r1', inputs: ['x'], outputs: ['a'] },
      { opType: 'SequenceConstruct', name: 'sc', inputs: ['a'], outputs: ['s'] },
      { opType: 'SequenceAt', name: 'sa', inputs: ['s', 'i'], outputs: ['t'] },
      { opType: 'Relu', name: 'r2', inputs: ['t'], outputs: ['u'] },
      { opType: 'A|B<script>', domain: 'evil.domain', name: 'evil', inputs: ['u'], outputs: ['y'] },
    ],
    inputs: [f32('x', [1, 4])],
    outputs: [f32('y', [1, 4])],
    initializers: [{ name: 'i', dtype: 'INT64', dims: [], int64s: [0] }],
    valueInfo: [f32('t', [1, 4])],
  },
});

describe('the op table in each view', async () => {
  const report = await check(model.path, { targets: ['h20', 'ascend-910b'] });

  it('is in the JSON report, valid against the report schema, one row per op type', () => {
    expect(reportFileSchema.safeParse(JSON.parse(formatJson([report], { rules: RULES }))).success).toBe(true);
    const ascend = report.targets.find((t) => t.id === 'ascend-910b')!;
    expect(ascend.ops!.map((r) => `${r.op} ${r.level} ${r.engine}`)).toEqual([
      'Relu supported aicore',
      'SequenceAt degraded aicpu',
      'SequenceConstruct degraded aicpu',
      'A|B<script> unsupported none',
    ]);
    expect(ascend.ops!.find((r) => r.op === 'SequenceAt')!.evidence).toEqual({
      key: 'ops.entries SequenceAt@11-18', sources: ['atc-parsers', 'cann-imply-types'],
    });
  });

  it('is a collapsed table per target in Markdown, escaped, with the partitions and evidence versions', () => {
    const md = formatMarkdown([report], { rules: RULES });
    expect(md).toMatch(/<summary>Op table: .* on Huawei Ascend 910B \(4 op types; 3 partitions, 1 AI CPU island, 2 crossings \(32 B\)\)<\/summary>/);
    expect(md).toContain('| SequenceAt | 17 | 1 | degraded | AI CPU | SequenceAt | ops\\.entries SequenceAt@\u200b11\\-18 \\[atc\\-parsers, cann\\-imply\\-types\\] |');
    expect(md).not.toContain('A|B<script>');
    expect(md).toMatch(/Evidence: hicann\/ops\\-nn@\u200be5c3fa932/);
  });

  it('is a table per target in HTML, escaped', () => {
    const html = formatHtml([report], { rules: RULES });
    expect(html).toContain('<h2>F. Op tables</h2>');
    expect(html).toMatch(/<td class="mono">SequenceAt<\/td><td>17<\/td><td>1<\/td><td><span class="badge l-degraded">degraded<\/span><\/td><td>AI CPU<\/td>/);
    expect(html).toContain('A|B&lt;script&gt;');
    expect(html).not.toContain('A|B<script>');
    expect(html).toMatch(/3 partitions: 1 AI CPU island \(SequenceAt, SequenceConstruct\) between AI Core ones; 2 tensor crossings move 32 B per inference \(inferred shapes\)/);
  });
});
