/**
 * The HTML report as a person sees it: opened in headless Chromium (Debian's package), with every
 * request the page makes recorded, a screenshot taken, and the visible text checked.
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { RULES } from '../../src/rules.js';
import { formatHtml } from '../../src/report/html.js';
import type { Report } from '../../src/report/types.js';
import { SAMPLE_RULES, hostileReport, sampleReport, unknownReport } from './fixture.js';
import { hostileRunReport, sampleRunReport } from './fixture-run.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`html-browser tests skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);
}

/** Where screenshots go; PORT_CHECK_SCREENSHOTS=dir keeps them somewhere to look at. */
const shotDir = process.env.PORT_CHECK_SCREENSHOTS ?? mkdtempSync(path.join(tmpdir(), 'port-check-html-'));

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the report with every request recorded (and refused), as a customer would open the file. */
  async function open(reports: Report[], rules = SAMPLE_RULES): Promise<{ page: Page; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    await page.route('**/*', async (route) => {
      requests.push(route.request().url());
      await route.abort();
    });
    await page.setContent(formatHtml(reports, { rules }), { waitUntil: 'load' });
    return { page, requests };
  }

  it('shows the verdict per target, the blockers and their remedies, and fetches nothing', async () => {
    const { page, requests } = await open([sampleReport({ timeShares: true })]);
    const summary = await page.locator('#summary').innerText();
    expect(summary).toContain('NVIDIA H20');
    expect(summary).toMatch(/Huawei Ascend 910B\s+ascend-910b\s+Blocked/);
    expect(summary).toMatch(/Huawei Ascend 910C\s+ascend-910c\s+Runs with changes/);
    expect(summary).toMatch(/NVIDIA H20\s+h20\s+Ready/);
    expect(summary).toContain('2 blockers to port first');
    const text = await page.locator('body').innerText();
    expect(text).toMatch(/com\.microsoft::Attention has no CANN kernel and no ATC parser\.\s+Must be ported on Huawei Ascend 910B\s+high\s+Un-fuse Attention into MatMul\/Softmax\/MatMul, or map it to npu_fusion_attention\./);
    expect(text).toContain('Where the time goes');
    expect(text).toContain('Assumptions and method');
    // The charts are real, visible SVG.
    expect(await page.locator('svg[aria-label="Operator coverage per target"]').isVisible()).toBe(true);
    expect(await page.locator('svg[aria-label^="Share of reference run time"]').isVisible()).toBe(true);
    const file = path.join(shotDir, 'report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(20_000);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('renders a hostile model inert: no script runs, the payload shows as text', async () => {
    const { page, requests } = await open([hostileReport()]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    const text = await page.locator('body').innerText();
    expect(text).toContain('<script>window.__pwned=1</script>]]>&amp;');
    expect(text).not.toContain('\u001b');
    await page.screenshot({ path: path.join(shotDir, 'hostile.png'), fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  });

  it('shows a real check() report: every target with its verdict and a blocker with its remedy', async () => {
    const report = await check('models/llm-attention-block.onnx', { targets: ['h20', 'ascend-910b', 'ascend-910c'] });
    const { page, requests } = await open([report], RULES);
    const summary = await page.locator('#summary').innerText();
    for (const t of report.targets) expect(summary).toContain(t.name);
    const blocker = report.targets.flatMap((t) => t.findings).find((f) => f.severity === 'error' && f.remedy);
    expect(blocker).toBeDefined();
    expect(await page.locator('table.work').first().innerText()).toContain(blocker!.remedy.slice(0, 40));
    await page.screenshot({ path: path.join(shotDir, 'real.png'), fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  });

  it('shows the run, precision drift and the estimate as sections a reader can find', async () => {
    const { page, requests } = await open([sampleRunReport()]);
    const summary = await page.locator('#summary').innerText();
    expect(summary).toMatch(/Est\. latency\s+24\.90 ms, compute-bound\s+Memory\s+100 GiB of 64\.0 GiB: needs 2 chips\s+Precision\s+1 of 2 outputs within thresholds/);
    const run = await page.locator('section.run').innerText();
    expect(run).toContain('The run on this machine');
    expect(run).toMatch(/cuda\s+listed, not usable\s+the CUDA provider library is not installed in onnxruntime-node\s+How to get it: npm install onnxruntime-node/);
    expect(run).toMatch(/cpu\s+18\.40 ms\s+19\.90 ms\s+21\.30 ms\s+18\.80 ms/);
    expect(run).toContain('Blockers account for 41.0% of the run time');
    expect(run).toMatch(/input_ids\s+INT64\s+\[1, 128\]\s+synthesised/);
    const precision = await page.locator('section.precision').innerText();
    expect(precision).toMatch(/Huawei Ascend 910B\s+1 output past thresholds/);
    expect(precision).toMatch(/last_hidden_state\s+\[1, 128, 384\]\s+fail\s+0\.971200/);
    expect(precision).toContain('First drifting node: /encoder/layer.3/attention/Softmax (Softmax, node #311)');
    expect(precision).toContain('/encoder/layer.3/attention/MatMul\n/encoder/layer.3/attention/Softmax');
    const estimate = await page.locator('section.estimate').innerText();
    expect(estimate).toMatch(/Latency per inference \(roofline, lower bound\)\s+38\.20 ms\s+24\.90 ms\s+12\.10 ms/);
    expect(estimate).toMatch(/Link\s+NVLink, 450 GB\/s per chip\s+HCCS, 56 GB\/s per chip/);
    expect(estimate).toMatch(/Fits \/ chips needed\s+needs 2 chips\s+needs 2 chips\s+fits on 1 chip/);
    expect(estimate).toContain('Assumptions behind these numbers');
    for (const label of ['Time share per op type on cpu', 'Precision drift per output on Huawei Ascend 910B', 'Estimated latency per target']) {
      expect(await page.locator(`svg[aria-label="${label}"]`).isVisible(), label).toBe(true);
    }
    await page.screenshot({ path: path.join(shotDir, 'run.png'), fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  });

  it('renders hostile strings in the run, precision and estimate inert', async () => {
    const { page, requests } = await open([hostileRunReport()]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    const text = await page.locator('section.precision').innerText();
    expect(text).toContain('keep-node<script>window.__pwned=1</script>]]>&amp;');
    expect(requests).toEqual([]);
    await page.close();
  });

  it('shows a real check() with run: the measured run, the drift on the 910B and the estimate', async () => {
    const report = await check('models/resnet-block.onnx', { targets: ['h20', 'ascend-910b'], run: { iterations: 2 } });
    const { page, requests } = await open([report], RULES);
    const run = await page.locator('section.run').innerText();
    expect(run).toMatch(/cpu\s+works here/);
    expect(run).toMatch(/Conv/);
    expect(run).toMatch(/image\s+FLOAT\s+\[1, 3, 32, 32\]\s+synthesised/);
    const precision = await page.locator('section.precision').innerText();
    expect(precision).toMatch(/Huawei Ascend 910B\s+within thresholds/);
    expect(precision).toMatch(/logits\s+\[1, 10\]\s+pass/);
    const estimate = await page.locator('section.estimate').innerText();
    expect(estimate).toMatch(/Fits \/ chips needed\s+fits on 1 chip\s+fits on 1 chip/);
    for (const t of report.targets) expect(estimate).toContain(t.estimate!.assumptions[0]!);
    await page.screenshot({ path: path.join(shotDir, 'real-run.png'), fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('prints the 4 sample models to about 8 A4 pages, with no internal path and no rule id before the appendix', async () => {
    const models = readdirSync('models').filter((f) => f.endsWith('.onnx')).sort();
    expect(models).toHaveLength(4);
    const reports = await Promise.all(models.map((m) => check(`models/${m}`, { targets: ['h20', 'ascend-910b', 'ascend-910c'] })));
    const page = await browser.newPage();
    const html = formatHtml(reports, { rules: RULES, document: { customer: 'ACME Robotics', author: 'J. Doe', date: '2026-11-30' } });
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(pages).toBeLessThanOrEqual(9);
    // What the reader sees: the title page, no file of port-check's own, no "< 1 ns".
    const text = await page.locator('body').innerText();
    expect(text).toContain('Prepared for\nACME Robotics');
    expect(text).not.toMatch(/knowledge\/|\.tsv\b|hw_profiles|porting_feature_map|src\/|dist\//);
    expect(text).not.toContain('< 1 ns');
    // Rule ids and raw levels wait for the appendix.
    const beforeAppendix = text.slice(0, text.indexOf('Appendix'));
    expect(beforeAppendix).not.toMatch(/\b(op-support|contrib-ops|opset-window|control-flow\/|quantization\/|level degraded|unsupported-op)\b/);
    // Sources are links a reader can follow, each with its kind.
    const links = await page.locator('#sources a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).toBeGreaterThan(5);
    for (const href of links) expect(href).toMatch(/^https:\/\//);
    const kinds = new Set(await page.locator('#sources .kind').allInnerTexts());
    expect(kinds).toEqual(new Set(['vendor documentation', 'source code', 'press']));
    await page.close();
  }, 60_000);
});
