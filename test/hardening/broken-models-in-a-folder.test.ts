/**
 * A folder where some models are broken: every model is reported, the broken ones as a load-error
 * entry (each format shows it; SARIF, JUnit and GitHub as an error on that file), the others as
 * usual; exit 2 because some model could not be read; the same output for --jobs 1, 2 and 4.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { FORMATTERS } from '../../src/report/index.js';
import { runCli } from '../cli/run-cli.js';
import { f32, modelOf, tempFolder, writeModel } from './hostile-files.js';

const dir = tempFolder('broken-folder');
const models = join(dir, 'models');
mkdirSync(models);
const relu = (i: number) => modelOf({ nodes: [{ opType: 'Relu', name: `r${i}`, inputs: ['x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')] });
for (let i = 0; i < 6; i++) writeModel(models, `good-${i}.onnx`, relu(i));
writeFileSync(join(models, 'broken-garbage.onnx'), new Uint8Array([0x08, 0x0a, 0x3a, 0xff, 0xff, 0xff]));
writeFileSync(join(models, 'broken-empty.onnx'), new Uint8Array(0));
writeFileSync(join(models, 'broken-text.onnx'), 'this is not a model\n');

const BROKEN = ['models/broken-empty.onnx', 'models/broken-garbage.onnx', 'models/broken-text.onnx'];

async function run(format: string, jobs: number) {
  return runCli(['models', '--target', 'h20,ascend-910b', '--format', format, '--jobs', String(jobs)], { cwd: dir });
}

describe('a folder with broken models', () => {
  it('JSON: every model has a report, the broken ones with loadError and a load/unreadable-model error per target; exit 2', async () => {
    const r = await run('json', 1);
    expect(r.code).toBe(2);
    const reports = (JSON.parse(r.stdout) as { reports: Report[] }).reports;
    expect(reports.map((x) => x.model.path).sort()).toEqual([...BROKEN, ...Array.from({ length: 6 }, (_, i) => `models/good-${i}.onnx`)].sort());
    const broken = reports.filter((x) => x.loadError !== undefined);
    expect(broken.map((x) => x.model.path).sort()).toEqual(BROKEN);
    for (const b of broken) {
      expect(b.targets.map((t) => t.findings.map((f) => `${f.rule}/${f.code}/${f.severity}`))).toEqual([['load/unreadable-model/error'], ['load/unreadable-model/error']]);
    }
    const good = reports.filter((x) => x.loadError === undefined);
    expect(good.every((x) => x.model.nodeCount === 1 && x.targets.every((t) => t.findings.every((f) => f.rule !== 'load')))).toBe(true);
    // One line on stderr per broken model.
    expect(r.stderr.trim().split('\n').sort()).toEqual(BROKEN.map((b) => expect.stringMatching(new RegExp(`^port-check: ${b}: `))));
  });

  it.each(Object.keys(FORMATTERS))('--format %s: the same output for --jobs 1, 2 and 4, naming each broken file', async (format) => {
    const outputs = [];
    for (const jobs of [1, 2, 4]) {
      const r = await run(format, jobs);
      expect(r.code, r.stderr).toBe(2);
      outputs.push({ stdout: r.stdout, stderr: r.stderr });
    }
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
    for (const b of BROKEN) expect(outputs[0]!.stdout).toContain(b.replace('models/', ''));
  });

  it('SARIF: an error result located on each broken file', async () => {
    const sarif = JSON.parse((await run('sarif', 2)).stdout);
    const errors = sarif.runs[0].results.filter((x: { ruleId: string }) => x.ruleId === 'load/unreadable-model');
    const files = new Set(errors.map((x: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => {
      expect(x.level).toBe('error');
      return x.locations[0]!.physicalLocation.artifactLocation.uri;
    }));
    expect([...files].sort()).toEqual(BROKEN);
  });

  it('JUnit: a failure per broken file and target; GitHub: an ::error annotation on each broken file', async () => {
    const junit = (await run('junit', 2)).stdout;
    for (const b of BROKEN) expect(junit).toMatch(new RegExp(`${b.replace(/[.]/g, '\\.')}[^]*?<failure[^>]*unreadable-model`));
    const github = (await run('github', 2)).stdout;
    for (const b of BROKEN) expect(github).toMatch(new RegExp(`^::error file=${b.replace(/[.]/g, '\\.')},[^\\n]*could not be read`, 'm'));
  });

  it('one broken model given alone is still the one-line error it always was', async () => {
    const r = await runCli(['models/broken-empty.onnx', '--target', 'h20'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^port-check: \S*models\/broken-empty\.onnx: is empty \(0 bytes\): not an ONNX model\n$/);
  });
});
