import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { closestName } from '../did-you-mean.js';
import { UsageError } from '../errors.js';
import { FORMAT_NAMES, MARKDOWN_MAX_CHARS } from '../report/format-names.js';
import { toolVersion } from '../version.js';
import type { CheckFlags } from './commands.js';
import { EXIT, FAIL_ON_CHOICES } from './exit-code.js';
import type { CliIO } from './io.js';
import { addPlanCommand } from './plan-command.js';
import { collect, RUN_FLAG_HELP } from './run-flags.js';

/**
 * What the commands do is loaded when one runs (the library, the formatters, zod, YAML, the
 * worker pool): building the program for `--version` and `--help` needs only commander and the
 * flag tables, so start-up stays close to a bare `node` (bench/startup.mjs measures the ratio).
 */
const commands = () => import('./commands.js');

function addCheckOptions(cmd: Command): Command {
  return cmd
    .option('-t, --target <ids>', 'comma-separated target ids (port-check targets lists them; default ascend-910c)')
    .option('--profile <file>', 'a target profile YAML of your own (repeatable); its id can be used in --target', collect)
    .option('--config <file>', 'config file (default: port-check.config.yaml found upward from here)')
    .option('--jobs <n>', 'check this many models in parallel', '1')
    .option('--shard <i/n>', 'check only the i-th of n slices of the models (CI matrix); join with port-check merge')
    .option('--debug', 'print stack traces of errors');
}

/** Where locations are relative to, and what the document formats need: shared by check and merge. */
function addReportOptions(cmd: Command): Command {
  return cmd
    .option('--root <dir>', 'repository root that SARIF, Code Climate, JUnit and annotations locate models from (default: found from .git)')
    .option('--max-chars <n>', `markdown: at most this many characters, a summary past it (default ${MARKDOWN_MAX_CHARS})`)
    .option('--title <text>', "html: the document's title (default: Porting report)")
    .option('--customer <name>', 'html: who the report is for, on the title page')
    .option('--author <name>', 'html: who prepared it, on the title page')
    .option('--date <yyyy-mm-dd>', "html: the date on the title page (default: today)");
}

export function buildProgram(io: CliIO, outcome: { code: number }): Command {
  const program = addCheckOptions(
    new Command('port-check')
      .description(
        'Tells, operator by operator, what an ONNX model needs ported to run on a target\n' +
          '(NVIDIA H20-like GPU, Huawei Ascend 910B/910C-like NPU), with the evidence for each verdict.',
      )
      .version(toolVersion(), '-V, --version')
      .argument('[models...]', 'ONNX model files, folders (searched for *.onnx) or globs'),
  )
    .addOption(new Option('-f, --format <name>', 'output format (default text)').choices([...FORMAT_NAMES]))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (default error)').choices(FAIL_ON_CHOICES))
    .option('--baseline <file>', 'findings already in this baseline file (port-check baseline) do not count')
    .option('--serve <spec>', 'LLM serving plan per target: batch=B,context=C,output=O[,precision=bf16|fp8|int8|int4,kv=...,chips=N,throughput=T]')
    .option('--tpot-ms <ms>', 'with --serve: the chips per instance that meet this time per output token')
    .option('--llm-config <file>', "plan the LLM a Hugging Face config.json describes (no model needed: port-check --llm-config config.json --serve ...)")
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)')
    .option('-v, --verbose', 'text format: each finding\'s nodes, remedy and sources, and the full estimate');
  addReportOptions(program);
  for (const add of RUN_FLAG_HELP) add(program);
  program
    .addHelpText(
      'after',
      '\nExit codes: 0 no finding at or above --fail-on, 1 some, 2 bad input or usage, 3 internal error.\n' +
        'Examples:\n' +
        '  port-check models/resnet-block.onnx --target h20,ascend-910b,ascend-910c\n' +
        "  port-check 'models/**/*.onnx' --target ascend-910b --format sarif -o port-check.sarif\n" +
        '  port-check model.onnx --target ascend-910b --run --dim batch=1 --format html -o report.html\n' +
        '  port-check plan model.onnx --target ascend-910b -o kit/     (ATC command, ops to keep in fp32, effort)\n' +
        '  port-check --llm-config config.json --serve batch=64,context=4096,output=512,precision=int8 --target h20,ascend-910c',
    )
    .action(async (models: string[], flags: CheckFlags) => {
      refuseMistypedCommand(models, program.commands.map((c) => c.name()), io.cwd);
      outcome.code = await (await commands()).checkCommand(models, flags, io);
    });

  program
    .command('targets')
    .description('list the built-in targets')
    .action(async () => {
      outcome.code = await (await commands()).targetsCommand(io);
    });

  program
    .command('rules')
    .description('list the rules and their message codes; with an id, print that rule\'s page')
    .argument('[id]', 'a rule id, e.g. op-support')
    .action(async (id: string | undefined) => {
      outcome.code = (await commands()).rulesCommand(io, id);
    });

  addCheckOptions(
    program
      .command('baseline')
      .description('write the current findings to a baseline file; --baseline FILE then counts only new ones')
      .argument('<models...>', 'ONNX model files, folders or globs'),
  )
    .option('-o, --output <file>', 'the baseline file', 'port-check-baseline.json')
    .option('--root <dir>', 'repository root the baseline names models from (default: found from .git)')
    .action(async (models: string[], flags: CheckFlags) => {
      outcome.code = await (await commands()).baselineCommand(models, flags, io);
    });

  addReportOptions(
    program
      .command('merge')
      .description('join JSON reports (e.g. from --shard runs) into one report')
      .argument('<reports...>', 'JSON report files')
      .addOption(new Option('-f, --format <name>', 'output format').choices([...FORMAT_NAMES]).default('json'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(FAIL_ON_CHOICES).default('error'))
      .option('--no-color', 'no colour'),
  ).action(async (files: string[], flags: CheckFlags) => {
    outcome.code = await (await commands()).mergeCommand(files, flags, io);
  });

  addPlanCommand(program, io, outcome);

  // Subcommands have options of the same names (-o, --format): the program's apply before one only.
  program.enablePositionalOptions();
  program.exitOverride();
  const output = {
    writeOut: io.stdout, writeErr: io.stderr, outputError: () => {},
    getOutHelpWidth: () => HELP_WIDTH, getErrHelpWidth: () => HELP_WIDTH,
  };
  program.configureOutput(output);
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput(output);
  }
  return program;
}

/**
 * Help is laid out at one width on every terminal, so that `port-check --help` can print the text
 * rendered at build time (scripts/bundle-cli.ts writes dist/cli/help.txt; bin/port-check.js prints
 * it) instead of loading commander and the flag tables: that was a third of `--help`'s time.
 */
export const HELP_WIDTH = 80;

/**
 * `port-check taregts` would otherwise be read as a model path and fail as a missing file: a bare
 * word that is no file and is close to a command's name gets a "did you mean".
 */
function refuseMistypedCommand(args: string[], commands: string[], cwd: string): void {
  for (const arg of args) {
    if (!/^[a-z][a-z-]*$/i.test(arg) || existsSync(resolve(cwd, arg))) continue;
    const near = closestName(arg, commands);
    if (near !== undefined) throw new UsageError(`unknown command '${arg}': did you mean '${near}'? (a model must be an existing file)`);
  }
}

