#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';

/**
 * The CLI as bundled at build time (dist/cli/, scripts/bundle-cli.ts): node reads a few dozen
 * chunks instead of resolving some 400 modules. The modules tsc wrote (dist/src/) are used when the bundle is
 * missing or older than them (`tsc` run alone during development), so a stale bundle never
 * answers for newer code.
 */
function mtimeOf(path) {
  try {
    return statSync(new URL(path, import.meta.url)).mtimeMs;
  } catch {
    return undefined;
  }
}

function entry() {
  const bundle = mtimeOf('../dist/cli/main.js');
  const modules = mtimeOf('../dist/src/cli/main.js');
  return bundle !== undefined && (modules === undefined || bundle >= modules) ? '../dist/cli/main.js' : '../dist/src/cli/main.js';
}
const args = process.argv.slice(2);
const chosen = entry();
const bundled = chosen === '../dist/cli/main.js';
// `--help` alone: the text the bundle's build rendered (scripts/bundle-cli.ts), when it is as new as
// the bundle; the program (commander and the flag tables) is not loaded for it.
const helpText = bundled && args.length === 1 && (args[0] === '--help' || args[0] === '-h') && (mtimeOf('../dist/cli/help.txt') ?? -1) >= mtimeOf('../dist/cli/main.js')
  ? readFileSync(new URL('../dist/cli/help.txt', import.meta.url), 'utf8')
  : undefined;
const { main } = helpText === undefined ? await import(chosen) : { main: async (_argv, io) => (io.stdout(helpText), 0) };

// `port-check ... | head` closes the pipe early: that is the reader's choice, not an error. Each
// stream is set up when first written to: creating process.stderr on a pipe loads node:net, which
// `port-check --version` has no use for.
const guarded = new Set();
function guard(stream) {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    stream.on('error', (err) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return stream;
}

const code = await main(args, {
  stdout: (s) => guard(process.stdout).write(s),
  stderr: (s) => guard(process.stderr).write(s),
  env: process.env,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  get stderrIsTTY() {
    return Boolean(process.stderr.isTTY);
  },
  cwd: process.cwd(),
});
process.exitCode = code;
