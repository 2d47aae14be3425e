/**
 * A sparse initializer has two tensors, values and indices, and each may keep its data in an
 * external file. Both references are checked like an initializer's: an absolute or `..` location
 * in either one is an external-data finding, and such a model is never handed to ONNX Runtime.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concat, msg } from '../onnx/raw-proto.js';
import { field, floodModel } from './floods.js';
import { cliJson, tempFolder } from './hostile-files.js';

const dir = tempFolder('sparse-external');
writeFileSync(join(dir, 'ok.bin'), new Uint8Array(64));

/** TensorProto: name, dtype, dims, and either inline raw data or an external location. */
function tensor(name: string, dtype: number, dims: number[], location?: string): Uint8Array {
  const head = msg([8, 'bytes', name], [2, 'varint', dtype], ...dims.map((d) => [1, 'varint', d] as const));
  if (location === undefined) return concat(head, msg([9, 'bytes', new Uint8Array(dims.reduce((a, b) => a * b, 1) * (dtype === 7 ? 8 : 4))]));
  return concat(head, field(13, msg([1, 'bytes', 'location'], [2, 'bytes', location])), msg([14, 'varint', 1]));
}

/** A graph holding sparse initializer `s` ([4, 4], 2 non-zeros) with values and indices where given. */
function sparseModel(valuesAt: string | undefined, indicesAt: string | undefined): Uint8Array {
  const sparse = concat(
    field(1, tensor('s', 1, [2], valuesAt)),
    field(2, tensor('s_indices', 7, [2], indicesAt)),
    msg([3, 'varint', 4], [3, 'varint', 4]),
  );
  return floodModel(field(15, sparse));
}

const CASES = [
  ['values inline, indices at an absolute path', undefined, '/etc/passwd', /absolute path/],
  ['values inline, indices escaping with ..', undefined, '../outside.bin', /contains "\.\."/],
  ['values escaping with .., indices inline', '../outside.bin', undefined, /contains "\.\."/],
  ['values in the folder, indices at an absolute path', 'ok.bin', '/etc/passwd', /absolute path/],
  ['values at an absolute path, indices in the folder', '/etc/passwd', 'ok.bin', /absolute path/],
] as const;

describe('sparse tensors: values and indices both checked', () => {
  it.each(CASES.map((c, i) => [c[0], i] as const))('%s: an external-data finding, and --run refuses to hand it over', async (_name, i) => {
    const [, valuesAt, indicesAt, problem] = CASES[i]!;
    const file = `sparse-${i}.onnx`;
    writeFileSync(join(dir, file), sparseModel(valuesAt, indicesAt));
    const r = await cliJson(file, dir);
    expect(r.code, r.stderr).toBe(1);
    const messages = r.report!.targets[0]!.findings.filter((f) => f.rule === 'external-data').map((f) => f.message);
    expect(messages.join('\n')).toMatch(problem);
    const run = await cliJson(file, dir, ['--run']);
    expect(run.report!.run?.status).not.toBe('ok');
    expect(JSON.stringify(run.report!.run)).toMatch(/not run: tensor 's'/);
  });

  it('both parts inside the folder: no external-data finding', async () => {
    writeFileSync(join(dir, 'fine.onnx'), sparseModel('ok.bin', 'ok.bin'));
    const r = await cliJson('fine.onnx', dir);
    expect(r.report!.targets[0]!.findings.filter((f) => f.rule === 'external-data')).toEqual([]);
  });
});
