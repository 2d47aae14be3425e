/**
 * Small files that once crashed with exit 3 "Maximum call stack size exceeded": a call that spread
 * an array whose length the model decides (`push(...xs)`, `Math.max(...xs)`). Each shape gets a
 * report or a one-line exit 2, and a static walk of src/ refuses any spread into a call.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { concat, msg } from '../onnx/raw-proto.js';
import { field, floodModel, joined, node, repeated, valueInfo } from './floods.js';
import { cliJson, tempFolder, writeModel } from './hostile-files.js';

const dir = tempFolder('spreads');

describe('the three shapes that overflowed the stack', () => {
  it('150k graphs in one GRAPHS attribute: a report', async () => {
    const graph = concat(field(1, node('Foo', ['nowhere'], ['z'], msg([7, 'bytes', 'custom.domain']))));
    const attribute = concat(msg([1, 'bytes', 'branches'], [20, 'varint', 10]), repeated(11, graph, 150_000));
    const model = floodModel(field(1, node('Identity', ['x'], ['w'], field(5, attribute))));
    const r = await cliJson(writeModel(dir, 'graphs.onnx', model), dir);
    expect(r.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(r.code);
    expect(r.report!.targets.length).toBe(3);
  }, 120_000);

  it('Sum with 200k inputs feeding Softmax: a report', async () => {
    const sum = node('Sum', new Array<string>(200_000).fill('x'), ['s']);
    const model = floodModel(concat(field(1, sum), field(1, node('Softmax', ['s'], ['p'])), field(12, valueInfo('p'))));
    const r = await cliJson(writeModel(dir, 'sum.onnx', model), dir);
    expect(r.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(r.code);
  }, 120_000);

  it('130k graph inputs with symbolic dims: a report', async () => {
    const r = await cliJson(writeModel(dir, 'inputs.onnx', floodModel(joined(130_000, (i) => field(11, valueInfo(`in${i}`, `n${i}`))))), dir);
    expect(r.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(r.code);
  }, 120_000);
});

describe('no call in src/ spreads an array into its arguments', () => {
  function* files(folder: string): Generator<string> {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) yield* files(path);
      else if (name.endsWith('.ts')) yield path;
    }
  }

  it('every call and `new` in src/ takes its arguments one by one (src/arrays.ts has append and maxOf)', () => {
    const found: string[] = [];
    for (const file of files(join(import.meta.dirname, '../../src'))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        if (ts.isSpreadElement(n) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent))) {
          const { line } = source.getLineAndCharacterOfPosition(n.getStart());
          found.push(`${file.slice(file.indexOf('src/'))}:${line + 1}: ${n.parent.getText().slice(0, 80)}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
