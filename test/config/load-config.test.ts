import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile, loadConfigFile, parseConfigText, resolveConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';

const FULL = `# port-check.config.yaml
targets: [h20, ascend-910b, ascend-910c]
failOn: warning
format: sarif
output: reports/port-check.sarif
ignore:
  - rule: op-support/unknown-op
    op: NonZero
    reason: verified by a trial compile
  - target: h20
  - model: "legacy/**"
inputs:
  - model: "models/**/*.onnx"
    dims: { batch: 1, sequence: 128 }
  - model: encoder.onnx
    shapes: { input_ids: [1, 128] }
    values: { attention_mask: 1 }
`;

function errorOf(text: string): ConfigError {
  try {
    parseConfigText(text, 'port-check.config.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('config file', () => {
  it('reads every key', () => {
    expect(parseConfigText(FULL, 'port-check.config.yaml')).toEqual({
      targets: ['h20', 'ascend-910b', 'ascend-910c'],
      failOn: 'warning',
      format: 'sarif',
      output: 'reports/port-check.sarif',
      ignore: [
        { rule: 'op-support/unknown-op', op: 'NonZero', reason: 'verified by a trial compile' },
        { target: 'h20' },
        { model: 'legacy/**' },
      ],
      inputs: [
        { model: 'models/**/*.onnx', dims: { batch: 1, sequence: 128 } },
        { model: 'encoder.onnx', shapes: { input_ids: [1, 128] }, values: { attention_mask: 1 } },
      ],
    });
  });

  it('takes targets as a comma-separated string too, and an empty file as an empty config', () => {
    expect(parseConfigText('targets: "h20, ascend-910c"', 'c.yaml').targets).toEqual(['h20', 'ascend-910c']);
    expect(parseConfigText('', 'c.yaml')).toEqual({ ignore: [], inputs: [] });
    expect(parseConfigText('# only a comment\n', 'c.yaml')).toEqual({ ignore: [], inputs: [] });
  });

  it.each([
    ['an unknown key', 'targets: [h20]\nfailon: error\n', 'port-check.config.yaml:2: failon: unknown key \'failon\''],
    ['a bad failOn', 'failOn: fatal\n', "port-check.config.yaml:1: failOn: expected one of error|warning|info|never, got \"fatal\""],
    ['a bad format', 'format: pdf\n', 'port-check.config.yaml:1: format: expected one of text|json|markdown|html|sarif|junit|github|codeclimate, got "pdf"'],
    ['an empty ignore entry', 'ignore:\n  - reason: why\n', 'port-check.config.yaml:2: ignore.0: an ignore entry needs at least one of rule, op, target or model'],
    ['a shape that is not a list', 'inputs:\n  - model: a.onnx\n    shapes:\n      x: 3\n', 'port-check.config.yaml:4: inputs.0.shapes.x: expected a list, got 3'],
    ['a missing model glob', 'inputs:\n  - dims: { batch: 1 }\n', "port-check.config.yaml:2: inputs.0.model: missing required key 'model'"],
    ['a negative dim', 'inputs:\n  - model: a.onnx\n    dims: { batch: -1 }\n', 'port-check.config.yaml:3: inputs.0.dims.batch: expected more than 0, got -1'],
    ['too many dims in a shape', 'inputs:\n  - model: a.onnx\n    shapes: { x: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1] }\n', 'port-check.config.yaml:3: inputs.0.shapes.x: expected at most 16 items'],
    ['a bad glob', 'ignore:\n  - model: "models/{a,b"\n', "port-check.config.yaml:2: ignore.0.model: unclosed '{' in glob 'models/{a,b'"],
    ['a list at the top', '- h20\n', 'port-check.config.yaml:1: expected a mapping (key: value pairs) at the top level, got a list'],
    ['broken YAML', 'targets: [h20\n', 'port-check.config.yaml:2: YAML syntax error:'],
    ['a duplicate key', 'failOn: error\nfailOn: info\n', 'port-check.config.yaml:2: YAML syntax error: Map keys must be unique'],
  ])('rejects %s with the file, line and key', (_what, text, message) => {
    const err = errorOf(text);
    expect(err.message.startsWith(message), err.message).toBe(true);
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toContain('\n');
  });

  it('survives an alias bomb without expanding it', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n' +
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n';
    expect(errorOf(bomb).message).toMatch(/^port-check\.config\.yaml: cannot read the YAML/);
  });
});

describe('finding the config', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'port-check-config-'));
  const deep = path.join(root, 'repo', 'models', 'vision');
  mkdirSync(deep, { recursive: true });
  writeFileSync(path.join(root, 'repo', 'port-check.config.yaml'), 'targets: [ascend-910b]\noutput: out/report.html\n');

  it('walks up from the working directory to the nearest config', () => {
    expect(findConfigFile(deep)).toBe(path.join(root, 'repo', 'port-check.config.yaml'));
    const config = resolveConfig({ cwd: deep })!;
    expect(config.targets).toEqual(['ascend-910b']);
    expect(config.dir).toBe(path.join(root, 'repo'));
    // output is relative to the config file, not to where port-check ran.
    expect(config.output).toBe(path.join(root, 'repo', 'out', 'report.html'));
  });

  it('prefers the nearest of several, and takes .yml too', () => {
    writeFileSync(path.join(root, 'repo', 'models', 'port-check.config.yml'), 'failOn: info\n');
    expect(findConfigFile(deep)).toBe(path.join(root, 'repo', 'models', 'port-check.config.yml'));
  });

  it('finds none above a folder without one', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'port-check-none-'));
    // tmpdir itself could hold one left by someone else; only assert when it does not.
    if (findConfigFile(tmpdir()) === undefined) expect(resolveConfig({ cwd: elsewhere })).toBeUndefined();
  });

  it('loads a given file, relative to the working directory, and says when it is missing', () => {
    expect(resolveConfig({ cwd: path.join(root, 'repo'), file: 'port-check.config.yaml' })!.targets).toEqual(['ascend-910b']);
    expect(() => resolveConfig({ cwd: root, file: 'nope.yaml' })).toThrow(`${path.join(root, 'nope.yaml')}: file not found`);
    expect(() => loadConfigFile(root)).toThrow(`${root}: not a file`);
  });
});
