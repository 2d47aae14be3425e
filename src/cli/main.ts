import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { check } from '../check.js';
import { RULES } from '../checks/index.js';
import { PortCheckError, UsageError } from '../errors.js';
import { describeTargets } from '../profiles/load.js';
import { formatterFor, FORMATTERS } from '../report/index.js';
import type { Report } from '../report/types.js';
import { toolVersion } from '../version.js';
import { EXIT, exitCodeFor, FAIL_ON_CHOICES, type FailOn } from './exit-code.js';
import type { CliIO } from './io.js';

interface CheckFlags {
  target: string;
  profile: string[];
  format: string;
  output?: string;
  failOn: FailOn;
  color?: boolean;
  debug?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Colour only on a terminal, never with NO_COLOR, always with FORCE_COLOR; --no-color wins. */
function useColor(flags: CheckFlags, io: CliIO): boolean {
  if (flags.color === false) return false;
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTTY && !flags.output;
}

async function runCheck(models: string[], flags: CheckFlags, io: CliIO): Promise<number> {
  if (models.length === 0) throw new UsageError('no model given: port-check MODEL.onnx --target ascend-910c (see --help)');
  const formatter = formatterFor(flags.format);
  const targets = splitList(flags.target);
  if (targets.length === 0) throw new UsageError('--target is empty: name at least one target (port-check targets lists them)');
  const profileFiles = flags.profile.map((p) => resolve(io.cwd, p));
  const reports: Report[] = [];
  for (const model of models) {
    reports.push(await check(resolve(io.cwd, model), { targets, profileFiles, displayPath: model }));
  }
  const text = formatter(reports, { color: useColor(flags, io), rules: RULES });
  if (flags.output) writeFileSync(resolve(io.cwd, flags.output), text);
  else io.stdout(text);
  return exitCodeFor(reports, flags.failOn);
}

function buildProgram(io: CliIO, outcome: { code: number }): Command {
  const program = new Command('port-check')
    .description(
      'Tells, operator by operator, what an ONNX model needs ported to run on a target\n' +
        '(NVIDIA H20-like GPU, Huawei Ascend 910B/910C-like NPU), with the evidence for each verdict.',
    )
    .version(toolVersion(), '-V, --version')
    .argument('[models...]', 'ONNX model files')
    .option('-t, --target <ids>', 'comma-separated target ids (port-check targets lists them)', 'ascend-910c')
    .option('--profile <file>', 'a target profile YAML of your own (repeatable); its id can be used in --target', collect, [])
    .addOption(new Option('-f, --format <name>', 'output format').choices(Object.keys(FORMATTERS)).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(FAIL_ON_CHOICES).default('error'))
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)')
    .option('--debug', 'print stack traces of errors')
    .addHelpText(
      'after',
      '\nExit codes: 0 no finding at or above --fail-on, 1 some, 2 bad input or usage, 3 internal error.\n' +
        'Example: port-check models/resnet-block.onnx --target h20,ascend-910b,ascend-910c',
    )
    .action(async (models: string[], flags: CheckFlags) => {
      outcome.code = await runCheck(models, flags, io);
    });

  program
    .command('targets')
    .description('list the built-in targets')
    .action(() => {
      const rows = describeTargets();
      const width = Math.max(...rows.map((r) => r.id.length));
      io.stdout(rows.map((r) => `${r.id.padEnd(width)}  ${r.name}: ${r.summary}`).join('\n') + '\n');
      outcome.code = EXIT.clean;
    });

  program.exitOverride();
  program.configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} });
  return program;
}

/** Runs the CLI and returns the exit code; never throws, never calls process.exit. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const outcome = { code: EXIT.clean as number };
  const debug = argv.includes('--debug');
  try {
    await buildProgram(io, outcome).parseAsync(argv, { from: 'user' });
    return outcome.code;
  } catch (err) {
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

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}
