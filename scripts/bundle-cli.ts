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
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'rolldown';
import { packageRoot } from '../src/package-root.js';

/**
 * commander requires node:child_process when it loads, for executable subcommands, which
 * port-check has none of; loading it (with net and dgram) was a tenth of `--help`. The one use,
 * `childProcess.spawn`, now loads it when called. The build fails if commander's line changes,
 * rather than shipping without the change unnoticed.
 */
const LAZY_CHILD_PROCESS: Plugin = {
  name: 'commander-lazy-child-process',
  transform(code, id) {
    if (!id.endsWith(`${sep}commander${sep}lib${sep}command.js`)) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager)) throw new Error(`bundle-cli: ${id} no longer has the line "${eager}"; update LAZY_CHILD_PROCESS`);
    return code.replace(eager, "const childProcess = { spawn: (file, args, options) => require('node:child_process').spawn(file, args, options) };");
  },
};

const root = packageRoot();
const out = join(root, 'dist', 'cli');
const from = join(root, 'dist', 'src', 'cli');

/**
 * The modules a file loads before its code runs: itself and its static imports, transitively
 * (dynamic imports are where a command's own code starts). Read from tsc's output, whose import
 * lines are one per line; packages are followed to the file node would load.
 */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    const real = realpathSync(file);
    if (seen.has(real)) return;
    seen.add(real);
    const code = readFileSync(real, 'utf8');
    for (const m of code.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('node:')) continue;
      visit(spec.startsWith('.') ? join(dirname(real), spec) : createRequire(real).resolve(spec));
    }
    for (const m of code.matchAll(/\brequire\(['"]([^'"]+)['"]\)/g)) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || !spec.startsWith('.')) continue;
      visit(createRequire(real).resolve(spec));
    }
  };
  visit(entry);
  return seen;
}

/**
 * `--version` runs main.js and what it imports; `--help` adds program.js and what it imports.
 * Each of the two sets is one chunk, so that neither reads a dozen small files shared with the
 * rest of the bundle (each file read, compiled and linked is some 0.5 ms; `node -e 0` is 60).
 */
const versionPath = staticClosure(join(from, 'main.js'));
const helpPath = new Set([...staticClosure(join(from, 'program.js'))].filter((f) => !versionPath.has(f)));
/**
 * And a command: what commands.js imports (the library's static check) is a third chunk. The
 * isolated run's child (run-child.js) loads the decoder and the run's code, never the static
 * pipeline: what both load is a chunk of its own (shared-path), what only the child loads another
 * (run-path), so neither process reads the other's code.
 */
const outside = (f: string): boolean => !versionPath.has(f) && !helpPath.has(f);
const commandClosure = staticClosure(join(from, 'commands.js'));
const runClosure = staticClosure(join(from, 'run-child.js'));
const sharedPath = new Set([...commandClosure].filter((f) => outside(f) && runClosure.has(f)));
const commandPath = new Set([...commandClosure].filter((f) => outside(f) && !sharedPath.has(f)));
const runPath = new Set([...runClosure].filter((f) => outside(f) && !sharedPath.has(f)));

rmSync(out, { recursive: true, force: true });
await build({
  input: {
    main: join(from, 'main.js'),
    'check-worker': join(from, 'check-worker.js'),
    'run-child': join(from, 'run-child.js'),
  },
  platform: 'node',
  external: ['onnxruntime-node'],
  plugins: [LAZY_CHILD_PROCESS],
  logLevel: 'warn',
  output: {
    dir: out,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    codeSplitting: {
      groups: [
        { name: 'version-path', priority: 2, test: (id: string) => versionPath.has(id) },
        { name: 'help-path', priority: 1, test: (id: string) => helpPath.has(id) },
        { name: 'shared-path', priority: 0, test: (id: string) => sharedPath.has(id) },
        { name: 'command-path', priority: 0, test: (id: string) => commandPath.has(id) },
        { name: 'run-path', priority: 0, test: (id: string) => runPath.has(id) },
      ],
    },
    // Third-party licence headers stay with the code they belong to; other comments go (less to parse).
    comments: { legal: true, annotation: false, jsdoc: false },
  },
});

/**
 * `port-check --help` as the program prints it, rendered now (at one width: program.ts HELP_WIDTH)
 * for bin/port-check.js to print without loading the program. test/cli/check.test.ts compares it
 * with the live output.
 */
const { main } = (await import(pathToFileURL(join(from, 'main.js')).href)) as typeof import('../src/cli/main.js');
let help = '';
const helpCode = await main(['--help'], {
  stdout: (s: string) => { help += s; }, stderr: (s: string) => { throw new Error(`bundle-cli: --help wrote to stderr: ${s}`); },
  env: {}, stdoutIsTTY: false, stderrIsTTY: false, cwd: root,
});
if (helpCode !== 0 || help === '') throw new Error(`bundle-cli: --help exited ${helpCode}`);
writeFileSync(join(out, 'help.txt'), help);
