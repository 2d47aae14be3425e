/**
 * A CI job log runs GitHub Actions workflow commands: any output line that begins (after
 * whitespace) with `::`. A model named `::error file=README.md,line=1::x.onnx`, a node name with a
 * newline then `::add-mask::`, a merged JSON report whose rule ids carry ESC and `::`: none may
 * print such a line, in any format, nor leave an ESC or other C0/C1 control in the output.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATTERS } from '../../src/report/index.js';
import { logSafe } from '../../src/report/log-safe.js';
import { runCli } from '../cli/run-cli.js';
import { TARGET_FLAG, f32, modelOf, tempFolder, writeModel } from './hostile-files.js';

const dir = tempFolder('job-log');
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const COMMAND_LINE = /^\s*::/;

const NAMES = ['::error file=README.md,line=1::x.onnx', '::add-mask::x.onnx', 'a\n::stop-commands::tok\r::warning::b.onnx'];
const NODE = 'relu\n  ::add-mask::secret\u0085::error::c1\u001b[2J\r::notice::cr';

mkdirSync(join(dir, 'models'));
for (const name of NAMES) {
  writeModel(join(dir, 'models'), name, modelOf({
    nodes: [{ opType: 'Relu', name: NODE, inputs: ['x'], outputs: ['y'] }, { opType: `Evil\n::error::op`, domain: 'com.x', inputs: ['y'], outputs: ['z'] }],
    inputs: [f32('x')],
    outputs: [f32('z')],
  }));
}

/** The lines of `text` that a job log would run as commands, or that carry a control. */
function offending(text: string, format: string): string[] {
  return text.split('\n').filter((line) => {
    if (CONTROL.test(line)) return true;
    if (!COMMAND_LINE.test(line)) return false;
    // The github format's own annotations are commands; their data is percent-encoded instead.
    // Mid-line `::` in an annotation's data is inert: the runner only parses a line's start.
    return format !== 'github' || !/^::(error|warning|notice) (file|title)=/.test(line);
  });
}

describe('model file names and node names that are workflow commands', () => {
  for (const format of Object.keys(FORMATTERS)) {
    it(`--format ${format}: no output line starts a command, no control survives`, async () => {
      const r = await runCli(['models', '--target', TARGET_FLAG, '--format', format], { cwd: dir });
      expect(r.code, r.stderr).toBe(1);
      expect(offending(r.stdout, format)).toEqual([]);
      expect(offending(r.stderr, format)).toEqual([]);
      expect(r.stdout).toContain('add-mask'); // still shown, as inert text
    });
  }

  it('the text view shows such a path with its first colon escaped, visibly', async () => {
    const r = await runCli([join('models', NAMES[1]!), '--target', 'h20', '--no-color'], { cwd: dir });
    // The dense text view (#12) follows the path with the model's facts on the same line.
    expect(r.stdout.split('\n')[0]).toMatch(/^models\/::add-mask::x\.onnx · /);
    const alone = await runCli([NAMES[1]!, '--target', 'h20'], { cwd: join(dir, 'models') });
    expect(alone.stdout.split('\n')[0]!.startsWith('\\u003a:add-mask::x.onnx · ')).toBe(true);
  });

  it('port-check baseline writes a file free of controls', async () => {
    const r = await runCli(['baseline', 'models', '--target', 'h20', '-o', 'b.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(dir, 'b.json'), 'utf8');
    expect(offending(text, 'json')).toEqual([]);
  });
});

describe('merge: input JSON is validated and escaped as check does', () => {
  async function hostileReport(): Promise<string> {
    const r = await runCli([join('models', NAMES[0]!), '--target', 'h20', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    const f = report.targets[0].findings[0];
    f.rule = '\u001b[31m::error file=a::<img src=x onerror=alert(1)>';
    f.code = '\u009b2J\n::add-mask::x';
    const file = join(dir, 'hostile-report.json');
    writeFileSync(file, JSON.stringify(report));
    return file;
  }

  for (const format of Object.keys(FORMATTERS)) {
    it(`merge --format ${format}: no line starts a command, no control survives`, async () => {
      const r = await runCli(['merge', await hostileReport(), '--format', format], { cwd: dir });
      expect(r.code, r.stderr).toBe(1);
      expect(offending(r.stdout, format)).toEqual([]);
    });
  }

  it('SARIF help.markdown of a rule the registry does not know is escaped Markdown (no raw HTML)', async () => {
    const r = await runCli(['merge', await hostileReport(), '--format', 'sarif'], { cwd: dir });
    const sarif = JSON.parse(r.stdout);
    const rule = sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id.includes('onerror'));
    expect(rule.help.markdown).not.toMatch(/<img/);
    expect(rule.help.markdown).toContain('&lt;img');
  });

  it('a report that is not a report is refused with one line', async () => {
    writeFileSync(join(dir, 'not-report.json'), JSON.stringify({ schemaVersion: 1, nope: true }));
    const r = await runCli(['merge', 'not-report.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('logSafe, the last step of every format', () => {
  it('rewrites a leading :: per format, keeps the text view colours, escapes other controls', () => {
    expect(logSafe('text', ' \t::x\n::y')).toBe(' \t\\u003a:x\n\\u003a:y');
    expect(logSafe('markdown', '::x')).toBe('\\::x');
    expect(logSafe('html', '::x')).toBe('&#58;:x');
    expect(logSafe('json', '"\u0085"')).toBe('"\\u0085"');
    expect(logSafe('text', '\u001b[1m::x\u001b[0m', { color: true })).toBe('\u001b[1m\\u003a:x\u001b[0m');
    expect(logSafe('text', '\u001b]8;;x\u0007', { color: true })).toBe('\\u001b]8;;x\\u0007');
    expect(logSafe('github', '::error file=a::b\r')).toBe('::error file=a::b');
  });
});
