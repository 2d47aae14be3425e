import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, FORMATTERS, RULES } from '../../src/index.js';
import { runCli } from './run-cli.js';

const resnet = 'models/resnet-block.onnx';

/** The bin runs dist/cli/ when `npm run build` made it after tsc's dist/src/ (bin/port-check.js). */
function bundleIsFresh(): boolean {
  return existsSync('dist/cli/main.js') && existsSync('dist/src/cli/main.js') && statSync('dist/cli/main.js').mtimeMs >= statSync('dist/src/cli/main.js').mtimeMs;
}
const attention = 'models/llm-attention-block.onnx';

describe('port-check MODEL --target ...', () => {
  it('prints a verdict line per target, then a line per finding; --verbose adds remedies and sources', async () => {
    const r = await runCli([attention, '--target', 'h20,ascend-910b,ascend-910c']);
    expect(r.stderr).toBe('');
    const head = r.stdout.split('\n').slice(0, 8).join('\n');
    expect(head).toMatch(/^\s+h20\s+\S/m);
    expect(head).toMatch(/^\s+ascend-910b\s+BLOCKED/m);
    expect(head).toMatch(/^\s+ascend-910c\s+BLOCKED/m);
    expect(r.stdout).not.toMatch(/→ |source: /);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour when stdout is not a terminal
    expect(r.code).toBe(1);
    const verbose = await runCli([attention, '--target', 'h20,ascend-910b,ascend-910c', '--verbose']);
    expect(verbose.stdout).toMatch(/→ /);
    expect(verbose.stdout).toMatch(/source: /);
    expect(verbose.stdout).toMatch(/contrib-ops\/contrib-op-counterpart/);
  });

  it('exit code follows --fail-on', async () => {
    expect((await runCli([attention, '--target', 'ascend-910c', '--fail-on', 'never'])).code).toBe(0);
    expect((await runCli([attention, '--target', 'ascend-910c', '--fail-on', 'error'])).code).toBe(1);
  });

  it('the sample ResNet block has no blocker on ascend-910c', async () => {
    const r = await runCli([resnet, '--target', 'ascend-910c', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const errors = report.targets[0].findings.filter((f: { severity: string }) => f.severity === 'error');
    expect(errors).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('JSON has the documented shape and is byte-identical across runs', async () => {
    const a = await runCli([attention, '--target', 'h20,ascend-910c', '--format', 'json']);
    const b = await runCli([attention, '--target', 'h20,ascend-910c', '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.model).toMatchObject({ path: attention, irVersion: expect.any(Number), nodeCount: expect.any(Number) });
    expect(Object.keys(report.model.opsets)).toContain('ai.onnx');
    expect(report.targets.map((t: { id: string }) => t.id)).toEqual(['h20', 'ascend-910c']);
    for (const t of report.targets) {
      expect(['ready', 'runs-with-changes', 'blocked', 'unknown']).toContain(t.verdict);
      for (const f of t.findings) {
        expect(f).toMatchObject({
          rule: expect.any(String), severity: expect.stringMatching(/^(error|warning|info)$/),
          level: expect.stringMatching(/^(supported|degraded|unsupported|unknown)$/),
          message: expect.any(String), remedy: expect.any(String), source: expect.any(Array),
          nodes: expect.any(Array),
        });
      }
    }
  });

  it('-o writes the report to a file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'port-check-o-')), 'r.json');
    const r = await runCli([resnet, '--format', 'json', '-o', out]);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).model.path).toBe(resnet);
  });

  it('the library entry returns the report the CLI prints', async () => {
    const report = await check(attention, { targets: ['ascend-910b'] });
    const r = await runCli([attention, '--target', 'ascend-910b', '--format', 'json']);
    expect(r.stdout).toBe(FORMATTERS.json([report], { rules: RULES }));
  });

  it('port-check targets lists every built-in target with a line each', async () => {
    const r = await runCli(['targets']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(expect.arrayContaining(['h20', 'ascend-910b', 'ascend-910c']));
  });

  it.skipIf(!existsSync('dist/src/cli/main.js'))('the installed bin runs (built dist)', () => {
    const r = spawnSync(process.execPath, ['bin/port-check.js', resnet, '--target', 'ascend-910c'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ascend-910c/);
    const help = execFileSync(process.execPath, ['bin/port-check.js', '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/Exit codes/);
  });

  it.skipIf(!bundleIsFresh())('the bin runs the bundle: a static check loads a few dozen files of it, and not what it does not need (zod, YAML, other formats)', () => {
    // A loader hook (run by node beside the program) writes down every module node loads.
    const log = join(mkdtempSync(join(tmpdir(), 'port-check-modules-')), 'loaded.txt');
    const hooks = `import { appendFileSync } from 'node:fs'; export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, 'bin/port-check.js', resnet, '--format', 'json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = readFileSync(log, 'utf8').trim().split('\n').filter((u) => u.startsWith('file:')).map((u) => relative(process.cwd(), fileURLToPath(u)));
    expect(files[0]).toBe('bin/port-check.js');
    expect(files.slice(1).filter((f) => !f.startsWith('dist/cli/'))).toEqual([]);
    // Before the bundle and the lazy imports: some 390 modules.
    expect(files.length).toBeGreaterThan(5);
    expect(files.length).toBeLessThan(60);
    const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(code).toMatch(/formatJson/);
    // zod's and yaml's own class names; HTML's and SARIF's formatters.
    for (const absent of ['ZodError', 'YAMLParseError', 'Content-Security-Policy', 'sarif-2.1.0']) expect(code).not.toContain(absent);
  });

  it.skipIf(!bundleIsFresh())('--help prints the text rendered at build time, the same as the program prints, without loading the program', async () => {
    const live = await runCli(['--help']);
    expect(live.code).toBe(0);
    for (const flag of ['--help', '-h']) {
      const r = spawnSync(process.execPath, ['bin/port-check.js', flag], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(live.stdout);
    }
    expect(readFileSync('dist/cli/help.txt', 'utf8')).toBe(live.stdout);
    // A subcommand's help and help with other flags still come from the program.
    const sub = spawnSync(process.execPath, ['bin/port-check.js', 'plan', '--help'], { encoding: 'utf8' });
    expect(sub.stdout).toMatch(/migration kit/);
    expect(sub.stdout).toBe((await runCli(['plan', '--help'])).stdout);
  });

  it.skipIf(!existsSync('dist/src/index.js'))('a static check never loads onnxruntime-node', () => {
    const script =
      "const m = await import('./dist/src/index.js');" +
      "await m.check('models/llm-attention-block.onnx', { targets: ['h20', 'ascend-910c'] });" +
      "const maps = (await import('node:fs')).readFileSync('/proc/self/maps', 'utf8');" +
      "console.log(maps.includes('onnxruntime') ? 'loaded' : 'not loaded');";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('not loaded');
  });

  it.skipIf(!existsSync('dist/src/cli/main.js'))('a reader closing the pipe early (| head) is no error', () => {
    const r = spawnSync('bash', ['-c', 'node bin/port-check.js models --target h20,ascend-910b,ascend-910c --format json | head -c 10; exit ${PIPESTATUS[0]}'], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect([0, 1]).toContain(r.status);
  });
});
