/**
 * What a user installs and what their CI runs: the packed tarball installed offline into an empty
 * project, then the GitHub Action's steps and the GitLab job's script run with it on the sample
 * models, in a repository whose models sit in a subfolder. Every file they write is read back as
 * its consumer reads it: SARIF against the 2.1.0 schema, Code Climate JSON against GitLab's fields,
 * JUnit parsed as XML.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateCodeQuality } from '../report/codeclimate-schema.js';
import { validateSarif } from '../report/sarif-validator.js';
import { readAction, runActionSteps, runGitlabScript } from './ci-runner.js';
import { packAndInstall, type InstalledPackage } from './installed-package.js';

const SAMPLES = readdirSync('models').filter((f) => f.endsWith('.onnx')).sort();
let installed: InstalledPackage;
let repo: string;

beforeAll(() => {
  installed = packAndInstall();
  // A model repository: .git at the root, the models under ml/models/.
  repo = mkdtempSync(path.join(tmpdir(), 'port-check-ci-'));
  mkdirSync(path.join(repo, '.git'));
  mkdirSync(path.join(repo, 'ml', 'models'), { recursive: true });
  for (const m of SAMPLES) copyFileSync(path.join('models', m), path.join(repo, 'ml', 'models', m));
}, 240_000);

describe('the package', () => {
  it('ships what a user runs: the CLI (bundled), the library, profiles, sample models and the LICENSE; no source maps or build scripts', () => {
    const files = installed.files;
    for (const f of ['bin/port-check.js', 'dist/cli/main.js', 'dist/cli/check-worker.js', 'dist/cli/run-child.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/profiles/ascend-910b.json', 'LICENSE', 'README.md', 'package.json']) {
      expect(files, f).toContain(f);
    }
    for (const m of SAMPLES) expect(files).toContain(`models/${m}`);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/scripts/') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    // No shipped file points at a source map.
    const js = files.filter((f) => f.endsWith('.js'));
    for (const f of js) expect(readFileSync(path.join(installed.project, 'node_modules/port-check', f), 'utf8'), f).not.toContain('sourceMappingURL');
    const license = readFileSync(path.join(installed.project, 'node_modules/port-check/LICENSE'), 'utf8');
    expect(license).toContain('Apache License');
    expect(license).toContain('Version 2.0, January 2004');
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
  });

  it('installs offline and runs as `npx port-check` on a sample model', () => {
    const run = spawnSync('npx', ['--offline', 'port-check', 'node_modules/port-check/models/llm-attention-block.onnx', '--target', 'ascend-910b', '--format', 'json'], {
      cwd: installed.project, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true' },
    });
    // npm itself may warn about the calling environment's config; port-check says nothing on stderr.
    expect(run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn'))).toEqual([]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { targets: { id: string; verdict: string }[] };
    expect(report.targets).toEqual([expect.objectContaining({ id: 'ascend-910b', verdict: 'blocked' })]);
  });

  it('is importable as a library from the installed project', () => {
    const script =
      "import { check, FORMATTERS } from 'port-check';" +
      "const r = await check('node_modules/port-check/models/resnet-block.onnx');" +
      'console.log(r.targets.map((t) => t.id + " " + t.verdict).join(), Object.keys(FORMATTERS).length);';
    const out = execFileSync('node', ['--input-type=module', '-e', script], { cwd: installed.project, encoding: 'utf8' });
    expect(out.trim()).toBe('ascend-910c runs-with-changes 8');
  });
});

describe('the GitHub Action (action.yml)', () => {
  const action = readAction();

  it('passes inputs to scripts through env only, never as ${{ }} inside a script', () => {
    for (const step of action.runs.steps) if (step.run) expect(step.run, step.name).not.toContain('${{');
    expect(action.runs.using).toBe('composite');
  });

  it('runs on the sample models from a subfolder: SARIF from the repository root, the worst annotations, the summary, the gate', () => {
    const { steps, summary } = runActionSteps(action, {
      workspace: repo,
      with: { models: 'models/*.onnx', targets: 'h20,ascend-910b,ascend-910c', 'working-directory': 'ml' },
      skip: { install: { bin: installed.bin } },
    });
    const byName = (name: string) => steps.find((s) => s.name.startsWith(name))!;
    expect(byName('Check the models').code).toBe(0);
    const report = byName('Write SARIF');
    expect(report.code, report.stderr).toBe(0);
    expect(report.outputs['exit-code']).toBe('1');

    // Annotations: 10 errors and 10 warnings at most, the rest counted.
    const annotations = report.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations.filter((l) => l.startsWith('::error ')).length).toBe(10);
    expect(annotations.filter((l) => l.startsWith('::warning ')).length).toBe(10);
    expect(annotations.every((l) => l.includes('file=ml/models/'))).toBe(true);
    expect(report.stdout).toMatch(/port-check: .*not annotated \(GitHub shows 10 errors and 10 warnings per step\): see the job summary\./);
    expect(summary).toContain('| Model | NVIDIA H20 | Huawei Ascend 910B | Huawei Ascend 910C |');
    expect(summary).toMatch(/Annotated in the changed files: 10 errors and 10 warnings; not annotated: /);

    // The upload step would get a valid SARIF file, located from the repository root.
    const upload = byName('Upload SARIF');
    expect(upload.with!.category).toBe('port-check');
    const log = JSON.parse(readFileSync(upload.with!.sarif_file!, 'utf8')) as Sarif.Log;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const uris = new Set(log.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri));
    expect([...uris].sort()).toEqual(SAMPLES.map((m) => `ml/models/${m}`));
    expect(log.runs[0]!.tool.driver.rules!.every((r) => r.helpUri?.startsWith('https://github.com/port-check/port-check/blob/main/docs/rules/'))).toBe(true);

    // The gate fails the job with the exit code.
    const gate = byName('Fail on findings');
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain("port-check: exit 1: findings at or above 'error'");
  });

  it('passes the gate with fail-on never, and skips the upload when asked', () => {
    const { steps } = runActionSteps(action, {
      workspace: repo,
      with: { models: 'models/resnet-block.onnx', 'fail-on': 'never', 'upload-sarif': 'false', 'working-directory': 'ml' },
      skip: { install: { bin: installed.bin } },
    });
    expect(steps.map((s) => [s.name.split(' ')[0], s.code])).toEqual([
      ['Set', 0], ['Install', 0], ['Check', 0], ['Write', 0], ['Upload', undefined], ['Fail', 0],
    ]);
  });
});

describe('the GitLab job (ci/port-check.gitlab-ci.yml)', () => {
  it('writes a Code Quality report and JUnit GitLab can read, and fails on blockers', () => {
    const bin = path.dirname(installed.bin);
    const out = runGitlabScript('ci/port-check.gitlab-ci.yml', '.port-check', {
      cwd: repo, path: bin, variables: { PORT_CHECK_MODELS: 'ml/models', PORT_CHECK_TARGETS: 'h20,ascend-910b,ascend-910c' },
    });
    expect(out.code, out.stderr).toBe(1);
    expect(out.stdout).toContain('ml/models/llm-attention-block.onnx');

    const issues = JSON.parse(readFileSync(path.join(repo, 'gl-code-quality-report.json'), 'utf8')) as { location: { path: string }; severity: string }[];
    expect(validateCodeQuality(issues), JSON.stringify(validateCodeQuality.errors)).toBe(true);
    expect([...new Set(issues.map((i) => i.location.path))].sort()).toEqual(SAMPLES.map((m) => `ml/models/${m}`));
    expect(issues.some((i) => i.severity === 'blocker')).toBe(true);

    const xml = readFileSync(path.join(repo, 'port-check-junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml) as {
      testsuites: { failures: string; testsuite: { name: string; file: string; testcase: { name: string; file: string; time: string; failure?: unknown }[] }[] };
    };
    expect(doc.testsuites.testsuite).toHaveLength(SAMPLES.length * 3);
    expect(Number(doc.testsuites.failures)).toBeGreaterThan(0);
    for (const suite of doc.testsuites.testsuite) {
      expect(suite.file).toMatch(/^ml\/models\/[\w-]+\.onnx$/);
      const names = suite.testcase.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const c of suite.testcase) expect([c.file, c.time]).toEqual([suite.file, '0']);
    }
    expect(existsSync(path.join(repo, 'port-check.json'))).toBe(true);
  });
});
