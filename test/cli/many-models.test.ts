import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const SAMPLES = ['control-flow', 'llm-attention-block', 'quantized-fp8', 'resnet-block'].map((m) => `models/${m}.onnx`);

function parse(stdout: string): { reports: { model: { path: string } }[] } {
  return JSON.parse(stdout);
}

describe('many models: folders, globs, --jobs, --shard, merge', () => {
  it('a folder is searched for .onnx files; a glob expands; both sorted', async () => {
    const byFolder = await runCli(['models', '--format', 'json', '--fail-on', 'never']);
    const byGlob = await runCli(['models/*.onnx', '--format', 'json', '--fail-on', 'never']);
    expect(byFolder.code).toBe(0);
    expect(parse(byFolder.stdout).reports.map((r) => r.model.path)).toEqual(SAMPLES);
    expect(byGlob.stdout).toBe(byFolder.stdout);
  });

  it('--jobs 2 gives the same report as --jobs 1', async () => {
    const one = await runCli(['models', '--target', 'h20,ascend-910b', '--format', 'json', '--jobs', '1']);
    const two = await runCli(['models', '--target', 'h20,ascend-910b', '--format', 'json', '--jobs', '2']);
    expect(two.stdout).toBe(one.stdout);
    expect(two.code).toBe(one.code);
  });

  it('shards cover every model once, and merge joins them into the full report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'port-check-shard-'));
    const full = await runCli(['models', '--target', 'ascend-910c', '--format', 'json']);
    const files: string[] = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const out = join(dir, `shard-${shard[0]}.json`);
      await runCli(['models', '--target', 'ascend-910c', '--format', 'json', '--shard', shard, '-o', out]);
      files.push(out);
    }
    const merged = await runCli(['merge', ...files]);
    expect(merged.code).toBe(full.code);
    expect(parse(merged.stdout).reports).toEqual(parse(full.stdout).reports);
  });

  it('one bad model among many: exit 2, one line naming it, and the other models still reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'port-check-jobs-bad-'));
    for (const m of SAMPLES) copyFileSync(m, join(dir, m.split('/')[1]!));
    writeFileSync(join(dir, 'zz-notes.onnx'), 'not a model\n');
    const r = await runCli([dir, '--jobs', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/zz-notes\.onnx.*text file/);
    for (const m of SAMPLES) expect(r.stdout).toContain(m.split('/')[1]!);
    expect(r.stdout).toMatch(/zz-notes\.onnx\n\s+✖ could not be read: .*text file/);
  });

  it('--shard must be i/n', async () => {
    const r = await runCli(['models', '--shard', '4/3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard takes i\/n/);
  });
});

describe('gates: baseline and config', () => {
  it('a baseline makes only new findings count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'port-check-baseline-'));
    mkdirSync(join(dir, 'models'));
    copyFileSync('models/llm-attention-block.onnx', join(dir, 'models/a.onnx'));
    const written = await runCli(['baseline', 'models/a.onnx', '--target', 'ascend-910b', '-o', 'baseline.json'], { cwd: dir });
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/wrote \d+ finding/);

    const gated = await runCli(['models/a.onnx', '--target', 'ascend-910b', '--baseline', 'baseline.json', '--format', 'json'], { cwd: dir });
    expect(gated.code).toBe(0);
    expect(gated.stderr).toMatch(/finding\(s\) already in baseline\.json do not count/);
    const report = JSON.parse(gated.stdout);
    expect(report.targets[0].findings).toEqual([]);
    expect(report.targets[0].suppressed.length).toBeGreaterThan(0);

    // A new blocker (a quantized model next to it) still fails the gate.
    copyFileSync('models/quantized-fp8.onnx', join(dir, 'models/b.onnx'));
    const withNew = await runCli(['models', '--target', 'ascend-910b', '--baseline', 'baseline.json'], { cwd: dir });
    expect(withNew.code).toBe(1);
  });

  it('a config file found upward sets targets, fail-on and ignores; flags win', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'port-check-config-'));
    copyFileSync('models/llm-attention-block.onnx', join(dir, 'block.onnx'));
    writeFileSync(
      join(dir, 'port-check.config.yaml'),
      'targets: [ascend-910b]\nfailOn: error\nignore:\n  - { rule: contrib-ops }\n  - { rule: dynamic-shapes }\n',
    );
    mkdirSync(join(dir, 'sub'));
    const r = await runCli(['../block.onnx', '--format', 'json'], { cwd: join(dir, 'sub') });
    const report = JSON.parse(r.stdout);
    expect(report.targets.map((t: { id: string }) => t.id)).toEqual(['ascend-910b']);
    const rules = report.targets[0].findings.map((f: { rule: string }) => f.rule);
    expect(rules).not.toContain('contrib-ops');
    expect(rules).not.toContain('dynamic-shapes');
    expect(r.code).toBe(0);
    const flagged = await runCli(['../block.onnx', '--target', 'h20', '--format', 'json'], { cwd: join(dir, 'sub') });
    expect(JSON.parse(flagged.stdout).targets[0].id).toBe('h20');
  });

  it('a broken config is exit 2 with file:line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'port-check-config-bad-'));
    writeFileSync(join(dir, 'port-check.config.yaml'), 'targets: [h20]\nfailOn: sometimes\n');
    const r = await runCli([join(process.cwd(), 'models/resnet-block.onnx')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/port-check\.config\.yaml:2/);
  });
});

describe('formats from the CLI', () => {
  it.each(['text', 'json', 'markdown', 'html', 'sarif', 'junit', 'github'])('--format %s renders the sample models', async (format) => {
    const r = await runCli(['models', '--target', 'h20,ascend-910c', '--format', format]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.length).toBeGreaterThan(200);
    expect(r.stdout).toMatch(/quantized-fp8/);
  });

  it('--format github also writes the job summary to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'port-check-gh-')), 'summary.md');
    writeFileSync(summary, '');
    const r = await runCli(['models/quantized-fp8.onnx', '--target', 'ascend-910c', '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.stdout).toMatch(/^::error file=models\/quantized-fp8\.onnx/m);
    expect(readFileSync(summary, 'utf8')).toMatch(/Huawei Ascend 910C.*\n.*\n.*quantized.*Blocked/);
  });
});
