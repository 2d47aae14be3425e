#!/usr/bin/env node
import { statSync } from 'node:fs';

/**
 * The CLI as one bundle (dist/cli/, scripts/bundle-cli.ts): node links one file instead of
 * resolving some 400 modules. The modules tsc wrote (dist/src/) are used when the bundle is
 * missing or older than them (`tsc` run alone during development), so a stale bundle never
 * answers for newer code.
 */
function entry() {
  try {
    const bundle = statSync(new URL('../dist/cli/main.js', import.meta.url)).mtimeMs;
    if (bundle >= statSync(new URL('../dist/src/cli/main.js', import.meta.url)).mtimeMs) return '../dist/cli/main.js';
  } catch {
    // No bundle (or no dist/src): the modules below say what is missing.
  }
  return '../dist/src/cli/main.js';
}
const { main } = await import(entry());

// `port-check ... | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
});
process.exitCode = code;
