import { PortCheckError } from '../errors.js';
import { oneLine } from '../printable.js';
import { showOrtLogs } from '../runtime/load-ort.js';
import { toolVersion } from '../version.js';
import { EXIT } from './exit-code.js';
import type { CliIO } from './io.js';

/**
 * The entry of the CLI. It loads as little as it can: `port-check --version` answers from
 * package.json alone; anything else loads the program (commander and the flag tables,
 * program.ts), which loads what a command needs when it runs (commands.ts). Start-up stays close
 * to a bare `node -e 0` (bench/startup.mjs prints the ratio).
 */
/** Runs the CLI and returns the exit code; never throws, never calls process.exit. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const outcome = { code: EXIT.clean as number };
  const debug = argv.includes('--debug');
  if (debug) showOrtLogs();
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout(`${toolVersion()}\n`);
    return EXIT.clean;
  }
  try {
    const { buildProgram } = await import('./program.js');
    await buildProgram(io, outcome).parseAsync(argv, { from: 'user' });
    return outcome.code;
  } catch (err) {
    const { CommanderError } = await import('commander');
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.clean;
      io.stderr(`port-check: ${err.message.replace(/^error: /, '')}\n`);
      return EXIT.usage;
    }
    if (err instanceof PortCheckError) {
      io.stderr(`port-check: ${oneLine(err.message)}\n`);
      if (debug && err.stack) io.stderr(err.stack + '\n');
      return EXIT.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`port-check: internal error: ${oneLine(message)} (this is a bug; rerun with --debug for the stack trace)\n`);
    if (debug && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
    return EXIT.internal;
  }
}


