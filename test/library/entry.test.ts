/**
 * The library entry as a JavaScript or TypeScript user meets it: `check(path)` with nothing else,
 * options with mistakes in them, and FORMATTERS looked up by a name that is not a format.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { check, FORMATTERS, formatterFor, UsageError } from '../../src/index.js';

describe('check() from the library', () => {
  it('defaults the targets to the CLI default, the Ascend 910C', async () => {
    const report = await check('models/resnet-block.onnx');
    expect(report.targets.map((t) => t.id)).toEqual(['ascend-910c']);
  });

  it.each([
    ['a misspelt option', { target: ['h20'] }, "check(): options: Unrecognized key: \"target\""],
    ['targets as a string', { targets: 'h20' }, 'check(): options.targets: Invalid input: expected array, received string'],
    ['no target at all', { targets: [] }, 'check(): options.targets: Too small: expected array to have >=1 items'],
    ['a run option of the wrong type', { run: { iterations: '10' } }, 'check(): options.run.iterations: Invalid input: expected number, received string'],
    ['options that are not an object', 'h20', 'check(): options: Invalid input: expected object, received string'],
  ])('rejects %s with a UsageError naming the option', async (_what, options, message) => {
    const err = await check('models/resnet-block.onnx', options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(message);
  });

  it('rejects a model that is not a path', async () => {
    const err = await check(undefined as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('check(): the model must be a path (a non-empty string), got nothing');
  });
});

describe('FORMATTERS', () => {
  it('has a formatter for every format name and refuses others with the list of choices', () => {
    expect(Object.keys(FORMATTERS)).toEqual(['text', 'json', 'markdown', 'html', 'sarif', 'junit', 'github', 'codeclimate']);
    expect(() => formatterFor('pdf')).toThrow('unknown format \'pdf\': choose one of text, json, markdown, html, sarif, junit, github, codeclimate');
  });

  it('is typed by format name: TypeScript refuses a name that is not a format', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'port-check-types-'));
    const file = path.join(dir, 'use.ts');
    const entry = path.resolve('dist/src/index.js');
    writeFileSync(
      file,
      `import { FORMATTERS, type FormatName } from ${JSON.stringify(entry)};\n` +
        `const ok: FormatName = 'codeclimate';\n` +
        `FORMATTERS[ok]([], { rules: [] });\n` +
        `FORMATTERS.sarif([], { rules: [] });\n` +
        `FORMATTERS.pdf([], { rules: [] });\n`,
    );
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
      strict: true, noEmit: true, skipLibCheck: true, types: [],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ({
      line: d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    expect(errors).toEqual([{ line: 5, text: expect.stringContaining("Property 'pdf' does not exist") }]);
  }, 60_000);
});
