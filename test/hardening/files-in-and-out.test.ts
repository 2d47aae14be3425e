/**
 * What port-check reads besides models and what it writes. A config from a pull request may not
 * write outside its folder, over a model, or over a file port-check did not write (-o on the
 * command line stays free). Baselines, reports to merge and --input files get the checks profiles
 * get: no device (/dev/zero never ends), no FIFO (opening it would hang), no huge file. A write
 * that fails is one line and exit 2. Profile figures where zero means nothing are refused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { f32, modelOf, tempFolder, usageErrorLine, writeModel } from './hostile-files.js';

const root = tempFolder('files-io');
const repo = join(root, 'repo');
const outside = join(root, 'outside');
mkdirSync(repo);
mkdirSync(outside);
const relu = modelOf({ nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')] });
writeModel(repo, 'm.onnx', relu);
writeModel(repo, 'm2.onnx', relu);
const m2 = readFileSync(join(repo, 'm2.onnx'));
writeFileSync(join(repo, 'README.md'), '# my project\n');
symlinkSync(outside, join(repo, 'out-link'));
const fifo = join(root, 'in.fifo');
execFileSync('mkfifo', [fifo]);

async function withConfigOutput(output: string, extra: string[] = []) {
  writeFileSync(join(repo, 'port-check.config.yaml'), `targets: [h20]\nformat: json\noutput: ${JSON.stringify(output)}\n`);
  return runCli(['m.onnx', ...extra], { cwd: repo });
}

describe("a config's output: inside its folder, never over a model or a file port-check did not write", () => {
  it.each([
    ['an absolute path outside', join(outside, 'abs.json'), /is outside the config's folder/],
    ['a .. escape', '../outside/dots.json', /is outside the config's folder/],
    ['a folder link leading out', 'out-link/linked.json', /is outside the config's folder/],
    ['a model', 'm2.onnx', /looks like a model/],
    ['a file port-check did not write', 'README.md', /exists and is not a report port-check wrote/],
    ['the config folder itself', '.', /outside|not a regular file/],
  ])('%s is refused with one line, and nothing is written', async (_name, output, reason) => {
    const line = usageErrorLine(await withConfigOutput(output));
    expect(line).toMatch(new RegExp(`^port-check: ${join(repo, 'port-check.config.yaml')}: output: `));
    expect(line).toMatch(reason);
    expect(line).toMatch(/pass -o on the command line to write there$/);
    expect(readdirOutside()).toEqual([]);
    expect(readFileSync(join(repo, 'm2.onnx'))).toEqual(m2);
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# my project\n');
  });

  it('a new file in a subfolder is written, and replaced on the next run (port-check wrote it)', async () => {
    mkdirSync(join(repo, 'reports'), { recursive: true });
    expect((await withConfigOutput('reports/r.json')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(repo, 'reports/r.json'), 'utf8')).tool.name).toBe('port-check');
    expect((await withConfigOutput('reports/r.json')).code).toBe(0);
  });

  it('-o on the command line is the user\'s choice: it may write anywhere', async () => {
    const r = await withConfigOutput('README.md', ['-o', join(outside, 'cli.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(outside, 'cli.json'))).toBe(true);
  });
});

function readdirOutside(): string[] {
  return execFileSync('ls', ['-A', outside], { encoding: 'utf8' }).split('\n').filter((n) => n !== '' && n !== 'cli.json');
}

describe('files read besides models: no device, no FIFO, no hang', () => {
  it.each([
    ['--baseline /dev/zero', ['m.onnx', '--baseline', '/dev/zero'], /^port-check: --baseline \/dev\/zero: not a file$/],
    ['--baseline FIFO', ['m.onnx', '--baseline', fifo], /^port-check: --baseline \S+in\.fifo: not a file$/],
    ['merge /dev/zero', ['merge', '/dev/zero'], /^port-check: report \/dev\/zero: not a file$/],
    ['merge FIFO', ['merge', fifo], /^port-check: report \S+in\.fifo: not a file$/],
    ['merge a folder', ['merge', outside], /^port-check: report \S+outside: not a file$/],
    ['--input FIFO', ['m.onnx', '--run', '--input', `x=${fifo}`], /^port-check: --input x=\S+in\.fifo: not a file$/],
    ['--input /dev/zero', ['m.onnx', '--run', '--input', 'x=/dev/zero'], /^port-check: --input x=\/dev\/zero: not a file$/],
  ])('%s: exit 2 with one line, at once', async (_name, args, message) => {
    writeFileSync(join(repo, 'port-check.config.yaml'), 'targets: [h20]\n');
    const started = performance.now();
    const r = await runCli(args, { cwd: repo });
    expect(performance.now() - started).toBeLessThan(10_000);
    const line = usageErrorLine(r);
    expect(line).toMatch(message);
  });
});

describe('write failures: one line, exit 2', () => {
  it.each([
    ['-o into a missing folder', join(root, 'missing', 'r.json'), /its folder does not exist$/],
    ['-o onto a folder', outside, /it is a folder$/],
    ['-o /dev/full', '/dev/full', /no space left on the device$/],
  ])('%s', async (_name, output, reason) => {
    writeFileSync(join(repo, 'port-check.config.yaml'), 'targets: [h20]\n');
    const line = usageErrorLine(await runCli(['m.onnx', '-o', output], { cwd: repo }));
    expect(line).toMatch(/^port-check: cannot write /);
    expect(line).toMatch(reason);
  });
});

describe('profile figures where zero means nothing', () => {
  const fixture = readFileSync(join(import.meta.dirname, '..', 'profiles', 'fixtures', 'my-npu.yaml'), 'utf8');
  it.each([
    ['memoryGiB', 'memoryGiB: { value: 32', 'memoryGiB: { value: 0'],
    ['memoryBandwidthTBs', 'memoryBandwidthTBs: { value: 1', 'memoryBandwidthTBs: { value: 0'],
    ['a peak', 'fp16: { value: 100', 'fp16: { value: 0'],
  ])('%s: 0 is refused, naming the line and the path', async (field, find, replace) => {
    expect(fixture).toContain(find);
    const file = join(root, `zero-${field}.yaml`);
    writeFileSync(file, fixture.replace(find, replace));
    const line = usageErrorLine(await runCli(['m.onnx', '--profile', file, '--target', 'my-npu'], { cwd: repo }));
    expect(line).toMatch(new RegExp(`^port-check: ${file}:\\d+: hardware\\.\\S*value: `));
  });
});
