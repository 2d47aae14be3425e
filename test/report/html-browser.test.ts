/**
 * The HTML report as a person sees it: opened in headless Chromium (Debian's package), with every
 * request the page makes recorded, a screenshot taken, and the visible text checked.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { RULES } from '../../src/checks/index.js';
import { formatHtml } from '../../src/report/html.js';
import type { Report } from '../../src/report/types.js';
import { SAMPLE_RULES, hostileReport, sampleReport, unknownReport } from './fixture.js';

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
    expect(text).toContain('Remedy: Un-fuse Attention into MatMul/Softmax/MatMul, or map it to npu_fusion_attention.');
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
    expect(await page.locator('body').innerText()).toContain(`Remedy: ${blocker!.remedy}`);
    await page.screenshot({ path: path.join(shotDir, 'real.png'), fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  });

  it('prints to PDF', async () => {
    const { page } = await open([sampleReport(), unknownReport()]);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Two models: a page break before the second model's article at least.
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(2);
    await page.close();
  });
});
