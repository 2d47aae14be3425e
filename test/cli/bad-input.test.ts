import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'port-check-bad-'));
const sample = 'models/resnet-block.onnx';

function expectUsageError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^port-check: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bad input: one line, exit 2, no stack trace', () => {
  it('missing file', async () => {
    expectUsageError(await runCli([join(dir, 'nope.onnx')]), /not found/i);
  });

  it('a directory without models (a folder is searched for *.onnx)', async () => {
    mkdirSync(join(dir, 'folder.onnx'));
    expectUsageError(await runCli([join(dir, 'folder.onnx')]), /no \.onnx file under/i);
  });

  it('a glob that matches nothing', async () => {
    expectUsageError(await runCli([join(dir, 'nothing-*.onnx')]), /no model matches/i);
  });

  it('an empty file', async () => {
    writeFileSync(join(dir, 'empty.onnx'), '');
    expectUsageError(await runCli([join(dir, 'empty.onnx')]), /empty/i);
  });

  it('a text file', async () => {
    writeFileSync(join(dir, 'notes.onnx'), '# my model\nthis is not a model\n');
    expectUsageError(await runCli([join(dir, 'notes.onnx')]), /text file/i);
  });

  it('random bytes', async () => {
    let x = 12345;
    const bytes = Buffer.alloc(4096, 0).map(() => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24));
    writeFileSync(join(dir, 'random.onnx'), bytes);
    expectUsageError(await runCli([join(dir, 'random.onnx')]), /not a valid ONNX model|not an ONNX model/i);
  });

  it('a truncated model', async () => {
    const bytes = readFileSync(sample);
    writeFileSync(join(dir, 'truncated.onnx'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectUsageError(await runCli([join(dir, 'truncated.onnx')]), /not a valid ONNX model|truncated/i);
  });

  it('an unknown target lists the choices', async () => {
    expectUsageError(await runCli([sample, '--target', 'tpu-v9']), /unknown target 'tpu-v9'.*ascend-910b/);
  });

  it('a broken profile names the file and the line', async () => {
    const p = join(dir, 'broken.yaml');
    writeFileSync(p, 'schemaVersion: 1\nid: my-npu\nname: [unclosed\n');
    expectUsageError(await runCli([sample, '--profile', p, '--target', 'my-npu']), /broken\.yaml:\d+/);
  });

  it('an unknown format lists the choices', async () => {
    const r = await runCli([sample, '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pdf/);
    expect(r.stderr).toMatch(/json/);
  });

  it('no model at all', async () => {
    expectUsageError(await runCli([]), /no model given/);
  });

  it('--debug adds the stack trace', async () => {
    const r = await runCli([join(dir, 'nope.onnx'), '--debug']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').length).toBeGreaterThan(2);
  });
});
