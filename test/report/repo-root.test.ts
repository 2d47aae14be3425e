/**
 * A team runs port-check from the repository root in one job and from a subfolder in another:
 * SARIF, Code Climate and JUnit must name the same file either way, relative to the root that
 * `.git` marks (or `--root` / the config's `root` names), so that code scanning keeps its alerts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CodeClimateIssue } from '../../src/report/codeclimate.js';
import { runCli } from '../cli/run-cli.js';
import { validateSarif } from './sarif-validator.js';

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'port-check-repo-'));
  mkdirSync(path.join(repo, '.git'));
  mkdirSync(path.join(repo, 'ml', 'models'), { recursive: true });
  copyFileSync('models/control-flow.onnx', path.join(repo, 'ml', 'models', 'flow.onnx'));
});

async function sarifFrom(cwd: string, args: string[] = []): Promise<Sarif.Log> {
  const out = await runCli([...args, '--target', 'ascend-910b', '--format', 'sarif'], { cwd });
  expect(out.stderr).toBe('');
  const log = JSON.parse(out.stdout) as Sarif.Log;
  expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
  return log;
}

const uris = (log: Sarif.Log) => [...new Set(log.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri))];
const fingerprints = (log: Sarif.Log) => log.runs[0]!.results!.map((r) => Object.values(r.partialFingerprints!)[0]);

describe('locations relative to the repository root', () => {
  it('are the same from the root and from a subfolder (found from .git)', async () => {
    const fromRoot = await sarifFrom(repo, ['ml/models/flow.onnx']);
    const fromSub = await sarifFrom(path.join(repo, 'ml'), ['models/flow.onnx']);
    expect(uris(fromRoot)).toEqual(['ml/models/flow.onnx']);
    expect(uris(fromSub)).toEqual(['ml/models/flow.onnx']);
    expect(fingerprints(fromSub)).toEqual(fingerprints(fromRoot));
    expect(fromSub.runs[0]!.results!.every((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uriBaseId === 'SRCROOT')).toBe(true);
  });

  it('follow --root, and the config file\'s root', async () => {
    const sub = path.join(repo, 'ml');
    expect(uris(await sarifFrom(sub, ['models/flow.onnx', '--root', '.']))).toEqual(['models/flow.onnx']);
    const configured = path.join(repo, 'configured');
    mkdirSync(path.join(configured, 'models'), { recursive: true });
    copyFileSync('models/control-flow.onnx', path.join(configured, 'models', 'flow.onnx'));
    writeFileSync(path.join(configured, 'port-check.config.yaml'), 'root: ..\n');
    expect(uris(await sarifFrom(path.join(configured, 'models'), ['flow.onnx']))).toEqual(['configured/models/flow.onnx']);
    const bad = await runCli(['models/flow.onnx', '--root', 'no-such-folder'], { cwd: sub });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^port-check: --root .*no-such-folder: not a folder\n$/);
  });

  it('hold for baselines: one made in a subfolder matches from the root', async () => {
    const sub = path.join(repo, 'ml');
    const made = await runCli(['baseline', 'models/flow.onnx', '--target', 'ascend-910b', '-o', '../baseline.json'], { cwd: sub });
    expect(made.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(repo, 'baseline.json'), 'utf8')).entries[0].model).toBe('ml/models/flow.onnx');
    const applied = await runCli(['ml/models/flow.onnx', '--target', 'ascend-910b', '--baseline', 'baseline.json'], { cwd: repo });
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(/finding\(s\) already in baseline\.json do not count/);
  });

  it('hold for Code Climate and JUnit as well', async () => {
    const cc = await runCli(['models/flow.onnx', '--target', 'ascend-910b', '--format', 'codeclimate'], { cwd: path.join(repo, 'ml') });
    const issues = JSON.parse(cc.stdout) as CodeClimateIssue[];
    expect(new Set(issues.map((i) => i.location.path))).toEqual(new Set(['ml/models/flow.onnx']));
    const junit = await runCli(['models/flow.onnx', '--target', 'ascend-910b', '--format', 'junit'], { cwd: path.join(repo, 'ml') });
    expect(junit.stdout).toContain('file="ml/models/flow.onnx"');
  });
});
