/**
 * Broken profiles (--profile) and config files (--config, or found upward) through the CLI: exit
 * 2 and one line naming the file, the line and what was expected. A config file arrives with the
 * repository it sits in, so it is hostile input too: its strings cannot forge terminal output and
 * its globs cannot make a run hang.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_GLOB_CHARS } from '../../src/config/glob.js';
import { runCli } from '../cli/run-cli.js';
import { tempFolder, usageErrorLine } from './hostile-files.js';

const dir = tempFolder('broken-config');
/** A project folder whose port-check.config.yaml is found upward, with no --config. */
const project = tempFolder('upward');
const model = join(process.cwd(), 'models', 'resnet-block.onnx');
const goodProfile = readFileSync(join(import.meta.dirname, '..', 'profiles', 'fixtures', 'my-npu.yaml'), 'utf8');

/** The fixture profile with one edit; returns its path and the 1-based line of the edit. */
function profileWith(name: string, find: string, replace: string): { file: string; line: number } {
  const at = goodProfile.indexOf(find);
  if (at < 0) throw new Error(`fixture has no '${find}'`);
  const file = join(dir, name);
  writeFileSync(file, goodProfile.slice(0, at) + replace + goodProfile.slice(at + find.length));
  return { file, line: goodProfile.slice(0, at).split('\n').length };
}

async function withProfile(file: string): Promise<string> {
  return usageErrorLine(await runCli([model, '--profile', file, '--target', 'my-npu'], { cwd: dir }));
}

async function withConfig(name: string, text: string): Promise<string> {
  writeFileSync(join(dir, name), text);
  return usageErrorLine(await runCli([model, '--config', name], { cwd: dir }));
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

describe('broken profiles: exit 2, file:line, what was expected', () => {
  it('the intact fixture is accepted', async () => {
    const r = await runCli([model, '--profile', join(import.meta.dirname, '..', 'profiles', 'fixtures', 'my-npu.yaml'), '--target', 'my-npu'], { cwd: dir });
    expect(r.code, r.stderr).toBeLessThan(2);
  });

  it('a YAML syntax error', async () => {
    const { file, line } = profileWith('syntax.yaml', '  runtime: myrt', '  runtime: [myrt');
    expect(await withProfile(file)).toMatch(new RegExp(`^port-check: ${file}:(${line}|${line + 1}): YAML syntax error: \\S`));
  });

  it('a schema violation names the path and the expected type', async () => {
    const { file, line } = profileWith('type.yaml', 'memoryGiB: { value: 32,', 'memoryGiB: { value: lots,');
    expect(await withProfile(file)).toBe(`port-check: ${file}:${line}: hardware.memoryGiB.value: expected a number, got "lots"`);
  });

  it('a wrong enum value lists the choices', async () => {
    const { file, line } = profileWith('enum.yaml', '  controlFlow: { level: unsupported,', '  controlFlow: { level: sometimes,');
    expect(await withProfile(file)).toBe(
      `port-check: ${file}:${line}: limits.controlFlow.level: expected one of supported|degraded|unsupported|unknown, got "sometimes"`,
    );
  });

  it('an unknown key', async () => {
    const { file, line } = profileWith('unknown.yaml', '  runtime: myrt', '  runtime: myrt\n  turbo: true');
    expect(await withProfile(file)).toBe(`port-check: ${file}:${line + 1}: software.turbo: unknown key 'turbo'`);
  });

  it('an unknown key holding ANSI escapes and a bidi override is shown escaped, not executed', async () => {
    const { file, line } = profileWith('ansi.yaml', '  runtime: myrt', '  runtime: myrt\n  "\\e[31mred\\e]8;;http://x\\a\\u202e": 1');
    const lineOut = await withProfile(file);
    expect(lineOut).not.toMatch(CONTROL);
    expect(lineOut).toBe(
      `port-check: ${file}:${line + 1}: software.\\u001b[31mred\\u001b]8;;http://x\\u0007\\u202e: unknown key '\\u001b[31mred\\u001b]8;;http://x\\u0007\\u202e'`,
    );
  });

  it('a FIFO given as a profile is refused without being opened', async () => {
    const fifo = join(dir, 'profile.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await withProfile(fifo)).toBe(`port-check: ${fifo}: not a file`);
  });
});

describe('broken config files: exit 2, file:line, what was expected', () => {
  it('a YAML syntax error', async () => {
    expect(await withConfig('syntax.yaml', 'targets: [h20\nfailOn: error\n')).toMatch(/^port-check: \S*syntax\.yaml:\d+: YAML syntax error: \S/);
  });

  it('a schema violation lists the choices', async () => {
    expect(await withConfig('enum.yaml', 'targets: [h20]\nfailOn: sometimes\n')).toBe(
      `port-check: ${join(dir, 'enum.yaml')}:2: failOn: expected one of error|warning|info|never, got "sometimes"`,
    );
  });

  it('a wrong type', async () => {
    expect(await withConfig('type.yaml', 'ignore:\n  - rule: op-support\n    op: [Conv]\n')).toBe(
      `port-check: ${join(dir, 'type.yaml')}:3: ignore.0.op: expected a string, got a list`,
    );
  });

  it('an unknown key', async () => {
    expect(await withConfig('unknown.yaml', 'targets: [h20]\nformats: json\n')).toBe(
      `port-check: ${join(dir, 'unknown.yaml')}:2: formats: unknown key 'formats'`,
    );
  });

  it('a config found upward from the working directory is validated the same way', async () => {
    writeFileSync(join(project, 'port-check.config.yaml'), 'targets: [h20]\ncolour: always\n');
    const line = usageErrorLine(await runCli([model], { cwd: project }));
    expect(line).toBe(`port-check: ${join(project, 'port-check.config.yaml')}:2: colour: unknown key 'colour'`);
  });

  it('ANSI escapes and newlines in keys and values are shown escaped', async () => {
    const line = await withConfig('ansi.yaml', '"\\e[2J\\e[31mwiped\\nline2": 1\n');
    expect(line).not.toMatch(CONTROL);
    expect(line).toContain("unknown key '\\u001b[2J\\u001b[31mwiped\\u000aline2'");
    const value = await withConfig('ansi-value.yaml', 'format: "\\e[31mhtml\\u0085"\n');
    expect(value).not.toMatch(CONTROL);
    expect(value).toMatch(/format: expected one of text\|json.*, got "\\u001b\[31mhtml\\u0085"$/);
  });

  it('a glob that would backtrack for hours in a RegExp matches in linear time', async () => {
    // *a*a*...*b against aaaa...a: a backtracking RegExp tries every split of the a's.
    const name = `${'a'.repeat(60)}.onnx`;
    writeFileSync(join(dir, name), readFileSync(model));
    writeFileSync(join(dir, 'redos.yaml'), `targets: [h20]\nignore:\n  - model: "${'*a'.repeat(20)}b"\n  - model: "${'**/'.repeat(20)}zz"\n`);
    const started = performance.now();
    const r = await runCli([name, '--config', 'redos.yaml'], { cwd: dir });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(r.code, r.stderr).toBeLessThan(2);
  });

  it(`a glob longer than ${MAX_GLOB_CHARS} characters is refused with its line`, async () => {
    const line = await withConfig('long-glob.yaml', `targets: [h20]\nignore:\n  - model: "${'x'.repeat(MAX_GLOB_CHARS + 1)}"\n`);
    expect(line).toMatch(new RegExp(`^port-check: \\S*long-glob\\.yaml:3: ignore\\.0\\.model: glob of ${MAX_GLOB_CHARS + 1} characters; at most ${MAX_GLOB_CHARS}`));
  });

  it('a FIFO given as --config is refused without being opened', async () => {
    const fifo = join(dir, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(usageErrorLine(await runCli([model, '--config', 'config.fifo'], { cwd: dir }))).toBe(`port-check: ${fifo}: not a file`);
  });
});
