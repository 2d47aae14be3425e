import { describe, expect, test } from 'vitest';
import { plan, type Kit } from '../../src/plan/plan.js';
import { loadModel } from '../../src/onnx/load.js';
import { realModel } from '../fixtures/real-models.js';
import { textPageJson } from '../fixtures/text-page.js';
import { fileIn } from '../saved-models.js';

function file(kit: Kit, name: string): string | undefined {
  return kit.files.find(([f]) => f === name)?.[1];
}

describe('the kit on real models', () => {
  test('PaddleOCR det on a page of text: nothing to keep at msit\'s thresholds; the input shape is the page\'s', async () => {
    const page = fileIn('plan-page-128.json', textPageJson(128, 128));
    const kit = await plan(realModel('paddleocrDet'), { targets: ['ascend-910b'], inputs: { x: page }, shapes: { x: [1, 3, 128, 128] } });
    const [t] = kit.targets;
    expect(t!.search).toMatchObject({ status: 'not-needed', probes: 1, keep: [] });
    expect(t!.search!.before[0]!.metrics!.cosine).toBeGreaterThan(0.999);
    expect(file(kit, 'atc.sh')).toContain("--input_shape='x:1,3,128,128'");
    expect(file(kit, 'keep_dtype.cfg')).toBeUndefined();
    expect(file(kit, 'atc.sh')).not.toContain('--keep_dtype');
  }, 300_000);

  test('PaddleOCR det with a strict threshold: the search keeps real nodes of the model within its budget, and says how it ended', async () => {
    const page = fileIn('plan-page-128b.json', textPageJson(128, 128));
    const budget = 12;
    const kit = await plan(realModel('paddleocrDet'), {
      targets: ['ascend-910b'], inputs: { x: page }, shapes: { x: [1, 3, 128, 128] }, thresholds: { relativeEuclidean: 0.002 }, budget,
    });
    const s = kit.targets[0]!.search!;
    expect(s.before[0]!.verdict).toBe('fail');
    expect(s.probes).toBeLessThanOrEqual(budget);
    expect(['found', 'none-sufficed']).toContain(s.status);
    expect(s.nodes.length).toBeGreaterThan(0);
    if (s.status === 'found') expect(s.after[0]!.verdict).toBe('pass');
    const model = await loadModel(realModel('paddleocrDet'));
    const names = new Set(model.graphs[0]!.nodes.map((n) => n.name));
    const lines = file(kit, 'keep_dtype.cfg')!.trimEnd().split('\n');
    expect(lines).toHaveLength(s.nodes.length);
    for (const line of lines) expect(names.has(line)).toBe(true);
    const porting = file(kit, 'PORTING.md')!;
    expect(porting).toMatch(s.status === 'found' ? /Keeping \d+ nodes in fp32 brings every output back/ : /No set sufficed within \d+ emulation passes/);
  }, 300_000);

  test('PaddleOCR rec: nothing to keep; --input_shape from --shape', async () => {
    const kit = await plan(realModel('paddleocrRec'), { targets: ['ascend-910c'], shapes: { x: [1, 3, 48, 160] } });
    expect(kit.targets[0]!.search!.status).toBe('not-needed');
    expect(file(kit, 'atc.sh')).toContain("--input_shape='x:1,3,48,160'");
    expect(file(kit, 'atc.sh')).toContain("--soc_version='Ascend910_9391'");
  }, 300_000);

  test('ISNet fp16 for 910B and 910C: one emulation serves both (same policy), nothing to keep', async () => {
    const kit = await plan(realModel('isnetFp16'), { targets: ['ascend-910b', 'ascend-910c'] });
    expect(kit.files.map(([f]) => f)).toEqual(['atc-ascend-910b.sh', 'atc-ascend-910c.sh', 'PORTING.md', 'report.json']);
    const [b, c] = kit.targets;
    expect(b!.search).toMatchObject({ status: 'not-needed', probes: 1 });
    expect(c!.search).toBe(b!.search);
    expect(file(kit, 'atc-ascend-910b.sh')).toContain("--input_shape='input:1,3,1024,1024'");
  }, 600_000);
});
