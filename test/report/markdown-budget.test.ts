/**
 * A pull-request comment for a folder of 40 models against three targets: GitHub refuses comments
 * over 65,536 characters, so the report must keep to its budget and say what it left out.
 */
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MARKDOWN_MAX_CHARS } from '../../src/report/markdown.js';
import { runCli } from '../cli/run-cli.js';

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'port-check-40-'));
  const samples = readdirSync('models').filter((f) => f.endsWith('.onnx'));
  for (let i = 1; i <= 10; i++) {
    for (const m of samples) copyFileSync(path.join('models', m), path.join(folder, `${path.basename(m, '.onnx')}-${i}.onnx`));
  }
});

const TARGETS = ['--target', 'h20,ascend-910b,ascend-910c'];

describe('markdown budget', () => {
  it('keeps 40 models under the default budget with every model in the table and a note on what was left out', async () => {
    const full = await runCli(['.', ...TARGETS, '--format', 'markdown', '--max-chars', '10000000'], { cwd: folder });
    expect(full.stdout.length).toBeGreaterThan(4 * MARKDOWN_MAX_CHARS);
    const out = await runCli(['.', ...TARGETS, '--format', 'markdown'], { cwd: folder });
    expect(out.code).toBe(1);
    expect(out.stdout.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(out.stdout.length).toBeGreaterThan(MARKDOWN_MAX_CHARS * 0.9);
    // Every model has its row in the verdict table.
    for (const name of readdirSync(folder)) expect(out.stdout).toContain(`| ${name.replace(/[-.]/g, (c) => `\\${c}`)} |`);
    expect(out.stdout).toContain('### Blockers');
    expect(out.stdout).not.toContain('<details>');
    expect(out.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^> Shortened to fit 60,000 characters: (\d+ blockers not listed; )?warnings, notes and details of the 440 findings left out\. For the full report, .*raise `--max-chars`\.$/,
    );
  });

  it('honours --max-chars, and refuses a budget too small to say anything', async () => {
    const small = await runCli(['.', ...TARGETS, '--format', 'markdown', '--max-chars', '5000'], { cwd: folder });
    expect(small.stdout.length).toBeLessThanOrEqual(5000);
    expect(small.stdout).toMatch(/Shortened to fit 5,000 characters: \d+ blockers not listed/);
    const tiny = await runCli(['.', ...TARGETS, '--format', 'markdown', '--max-chars', '2000'], { cwd: folder });
    expect(tiny.stdout.length).toBeLessThanOrEqual(2000);
    expect(tiny.stdout).toMatch(/Shortened to fit 2,000 characters: \d+ models left out of the table; 140 blockers not listed/);
    const bad = await runCli(['.', ...TARGETS, '--format', 'markdown', '--max-chars', '12abc'], { cwd: folder });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("port-check: --max-chars takes a whole number from 1000 to 10000000, got '12abc'\n");
  });
});
