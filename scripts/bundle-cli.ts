/**
 * Bundles the CLI into dist/cli/ (bin/port-check.js loads it). Part of `npm run build`, after tsc.
 *
 * Why: node resolves, reads and links every ES module one by one; the static check loaded about
 * 400 of them (zod alone is 95) and that took longer than reading and decoding an 88 MB model.
 * One file per entry is parsed lazily by V8 and linked once. Dynamic imports stay separate
 * chunks, so `--version`, `--help` and a static check still never load onnxruntime-node or the
 * run/precision code. onnxruntime-node stays outside (native code, found in node_modules as
 * before); every other dependency is inside. The library entry (dist/src/index.js) is not
 * bundled: a program that imports port-check resolves its modules as before.
 *
 * The worker thread (check-worker) and the isolated run's child (run-child) are entries too:
 * check-pool.ts and isolated-run.ts start them from the folder their own code is in, so chunks
 * and entries share one folder, dist/cli/.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';
import { packageRoot } from '../src/package-root.js';

const root = packageRoot();
const out = join(root, 'dist', 'cli');
const from = join(root, 'dist', 'src', 'cli');

rmSync(out, { recursive: true, force: true });
await build({
  input: {
    main: join(from, 'main.js'),
    'check-worker': join(from, 'check-worker.js'),
    'run-child': join(from, 'run-child.js'),
  },
  platform: 'node',
  external: ['onnxruntime-node'],
  logLevel: 'warn',
  output: {
    dir: out,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // Third-party licence headers stay with the code they belong to; other comments go (less to parse).
    comments: { legal: true, annotation: false, jsdoc: false },
  },
});
