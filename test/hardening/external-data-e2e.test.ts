/**
 * Hostile external-data references through the CLI: each is an external-data finding (exit 1)
 * and is never read. "Never read" is proven with FIFOs, which block a reader until a writer comes
 * (a read would hang the run past its time bound), and checked afterwards: opening a FIFO for
 * writing without blocking fails with ENXIO exactly when no one has it open for reading. A sparse
 * 64 GiB file that is in order shows that even valid references are stat'ed, not read.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../src/onnx/model-spec.js';
import { modelAround, msg } from '../onnx/raw-proto.js';
import { cliJson, f32, modelOf, tempFolder, writeModel } from './hostile-files.js';
import { message } from '../helpers/words.js';

const root = tempFolder('external');
const modelDir = join(root, 'model');
const outside = join(root, 'outside');
mkdirSync(modelDir);
mkdirSync(outside);

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}
const outsideFifo = join(outside, 'secret.fifo');
const insideFifo = join(modelDir, 'weights.fifo');
mkfifo(outsideFifo);
mkfifo(insideFifo);
symlinkSync(outsideFifo, join(modelDir, 'link-out.bin'));
symlinkSync(outside, join(modelDir, 'dir-link'));
writeFileSync(join(modelDir, 'short.bin'), new Uint8Array(64));
const sparse = join(modelDir, 'sparse-64g.bin');
writeFileSync(sparse, '');
truncateSync(sparse, 64 * 2 ** 30);

/** True when some process has the FIFO open for reading (or is blocked opening it). */
function fifoHasReader(path: string): boolean {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') return false;
    throw err;
  }
}

function modelWithWeight(external: NonNullable<TensorSpec['external']>, dims = [4]) {
  return modelOf({
    nodes: [{ opType: 'Add', name: 'add', inputs: ['x', 'w'], outputs: ['y'] }],
    inputs: [f32('x', dims)],
    outputs: [f32('y', dims)],
    initializers: [{ name: 'w', dtype: 'FLOAT', dims, external }],
  });
}

/** Runs the CLI with a bound: a read of a FIFO would block it forever. */
async function checkBounded(file: string, extra: string[] = []) {
  const started = performance.now();
  const r = await cliJson(file, modelDir, extra);
  expect(performance.now() - started).toBeLessThan(20_000);
  return r;
}

const REFUSED: { name: string; location: string; problem: RegExp }[] = [
  { name: 'an absolute path to a FIFO outside the folder', location: outsideFifo, problem: /is an absolute path/ },
  { name: 'a .. escape to a FIFO outside the folder', location: '../outside/secret.fifo', problem: /contains "\.\.", which could leave the model's folder; refused/ },
  { name: 'a .. hidden mid-path', location: 'dir-link/../../outside/secret.fifo', problem: /contains "\.\."/ },
  { name: 'a symlink in the folder that points at a FIFO outside', location: 'link-out.bin', problem: /is a link that leads outside the model's folder; refused/ },
  { name: 'a file under a symlinked folder outside', location: 'dir-link/secret.fifo', problem: /is a link that leads outside the model's folder; refused/ },
  { name: 'a FIFO inside the folder', location: 'weights.fifo', problem: /is not a regular file/ },
  { name: 'a missing file', location: 'missing.bin', problem: /does not exist next to the model/ },
  { name: 'a Windows drive path', location: 'C:\\Windows\\win.ini', problem: /is an absolute path/ },
];

describe('hostile external data: an external-data finding on every target, never read', () => {
  it.each(REFUSED.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const c = REFUSED[i]!;
    const file = `refused-${i}.onnx`;
    writeModel(modelDir, file, modelWithWeight({ location: c.location }));
    const r = await checkBounded(file);
    expect(r.code, r.stderr).toBe(1);
    for (const t of r.report!.targets) {
      const [finding] = t.findings.filter((f) => f.rule === 'external-data');
      expect(finding, t.id).toMatchObject({ code: 'unreadable-external-data', severity: 'error' });
      expect(message(finding!)).toMatch(c.problem);
      expect(message(finding!)).toMatch(/1 tensor \(w\) cannot be loaded: .*; refused, never read$/);
    }
    expect(fifoHasReader(outsideFifo)).toBe(false);
    expect(fifoHasReader(insideFifo)).toBe(false);
  });

  it('offset + length past the end of the file, and an offset far past a 64 GiB file', async () => {
    writeModel(modelDir, 'past-end.onnx', modelWithWeight({ location: 'short.bin', offset: 48, length: 32 }));
    const r = await checkBounded('past-end.onnx');
    expect(r.code, r.stderr).toBe(1);
    expect(message(r.report!.targets[0]!.findings.find((f) => f.rule === 'external-data')!)).toMatch(
      /external data "short\.bin" needs bytes 48\.\.80 but the file has 64 bytes/,
    );

    writeModel(modelDir, 'past-sparse.onnx', modelWithWeight({ location: 'sparse-64g.bin', offset: 2 ** 40, length: 16 }));
    const far = await checkBounded('past-sparse.onnx');
    expect(far.code, far.stderr).toBe(1);
    expect(message(far.report!.targets[0]!.findings.find((f) => f.rule === 'external-data')!)).toMatch(/needs bytes 1099511627776\.\.1099511627792 but the file has 68719476736 bytes/);
  });

  it('a valid reference to a 64 GiB (sparse) file is stat\'ed, not read: no finding, in seconds, with little memory', async () => {
    const length = 64 * 2 ** 30;
    writeModel(modelDir, 'sparse-ok.onnx', modelWithWeight({ location: 'sparse-64g.bin', offset: 0, length }, [length / 4]));
    const before = process.memoryUsage();
    const r = await checkBounded('sparse-ok.onnx');
    const after = process.memoryUsage();
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(r.report!.targets.flatMap((t) => t.findings).filter((f) => f.rule === 'external-data')).toEqual([]);
    expect(r.report!.model.externalDataBytes).toBe(length);
    expect(after.rss - before.rss).toBeLessThan(1024 * 2 ** 20);
  });

  it('two "location" entries in one tensor (ONNX Runtime refuses those) are refused too, the safe-looking one not trusted', async () => {
    const entry = (k: string, v: string) => [13, 'bytes', msg([1, 'bytes', k], [2, 'bytes', v])] as const;
    const tensor = msg([1, 'varint', 4], [2, 'varint', 1], [8, 'bytes', 'w'], entry('location', 'short.bin'), entry('location', '../outside/secret.fifo'), [14, 'varint', 1]);
    const x = msg([1, 'bytes', 'x'], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 1], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 4])])])])]);
    const node = msg([1, 'bytes', 'x'], [1, 'bytes', 'w'], [2, 'bytes', 'y'], [4, 'bytes', 'Add']);
    writeModel(modelDir, 'two-locations.onnx', modelAround(msg([1, 'bytes', node], [5, 'bytes', tensor], [11, 'bytes', x], [12, 'bytes', msg([1, 'bytes', 'y'])])));
    const r = await checkBounded('two-locations.onnx');
    expect(r.code, r.stderr).toBe(1);
    expect(message(r.report!.targets[0]!.findings.find((f) => f.rule === 'external-data')!)).toMatch(/its external_data has 2 'location' entries/);
  });

  it('--run with a weight in a FIFO outside the folder: the run is refused, ONNX Runtime never opens it', async () => {
    writeModel(modelDir, 'run-refused.onnx', modelWithWeight({ location: '../outside/secret.fifo' }));
    const r = await checkBounded('run-refused.onnx', ['--run', '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(1);
    const all = r.report!.targets.flatMap((t) => t.findings);
    expect(all.some((f) => f.rule === 'external-data')).toBe(true);
    expect(JSON.stringify(r.report!.run ?? {})).toMatch(/not run: tensor 'w'.*refused/);
    expect(fifoHasReader(outsideFifo)).toBe(false);
  }, 60_000);
});
