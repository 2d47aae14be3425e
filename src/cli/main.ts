import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { CheckOptions } from '../check.js';
import { DEFAULT_TARGETS } from '../check-options.js';
import { planFromConfig, type ServeOptions } from '../plan-serving.js';
import { formatServingReport } from '../report/serving/document.js';
import { parseServe } from '../serve/index.js';
import { RULES } from '../rules.js';
import { applyIgnores, resolveConfig, inputsFor, type PortCheckConfig } from '../config/index.js';
import { closestName } from '../did-you-mean.js';
import { PortCheckError, UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { printable } from '../printable.js';
import { ruleDocsPath } from '../report/rule-docs-url.js';
import { describeTargets } from '../profiles/load.js';
import { applyBaseline, formatBaseline, parseBaseline } from '../report/baseline.js';
import { githubJobSummary } from '../report/github.js';
import type { FormatOptions } from '../report/format-options.js';
import { FORMAT_NAMES } from '../report/format-names.js';
import { formatterFor } from '../report/index.js';
import { MARKDOWN_MAX_CHARS } from '../report/markdown.js';
import { mergeReports } from '../report/merge.js';
import type { Report } from '../report/types.js';
import { toolVersion } from '../version.js';
import { checkAll } from './check-pool.js';
import { addPlanCommand } from './plan-command.js';
import { findRepoRoot } from './repo-root.js';
import { EXIT, exitCodeFor, FAIL_ON_CHOICES, type FailOn } from './exit-code.js';
import { expandModels, parseShard, takeShard } from './expand-models.js';
import type { CliIO } from './io.js';
import { collect, estimateOptionsFrom, RUN_FLAG_HELP, runOptionsFrom, type RunFlags } from './run-flags.js';
import { createSpinner } from './spinner.js';

interface CheckFlags extends RunFlags {
  target?: string;
  profile?: string[];
  format?: string;
  output?: string;
  failOn?: FailOn;
  color?: boolean;
  verbose?: boolean;
  debug?: boolean;
  config?: string;
  baseline?: string;
  jobs: string;
  shard?: string;
  root?: string;
  maxChars?: string;
  title?: string;
  customer?: string;
  author?: string;
  date?: string;
  serve?: string;
  tpotMs?: string;
  llmConfig?: string;
}

/** Colour only on a terminal, never with NO_COLOR, always with FORCE_COLOR; --no-color wins. */
function useColor(flags: CheckFlags, io: CliIO, toFile: boolean): boolean {
  if (flags.color === false || toFile) return false;
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTTY;
}

function parseJobs(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs takes a whole number from 1 to 64, got '${text}'`);
  return n;
}

/** Flags win over the config file, which wins over the defaults. */
function settle(flags: CheckFlags, config: PortCheckConfig | undefined) {
  return {
    targets: flags.target ?? config?.targets?.join(',') ?? DEFAULT_TARGETS.join(','),
    format: flags.format ?? config?.format ?? 'text',
    failOn: flags.failOn ?? config?.failOn ?? 'error',
    output: flags.output ?? config?.output,
  };
}

function configFor(flags: CheckFlags, io: CliIO): PortCheckConfig | undefined {
  return resolveConfig({ cwd: io.cwd, ...(flags.config !== undefined && { file: resolve(io.cwd, flags.config) }) });
}

/** The serving plan asked for by flags or the config (flags win): undefined when neither asks. */
function serveOptionsFrom(flags: CheckFlags, config: PortCheckConfig | undefined, io: CliIO): ServeOptions | undefined {
  const text = flags.serve ?? config?.serve;
  const tpot = flags.tpotMs ?? (config?.tpotMs !== undefined ? String(config.tpotMs) : undefined);
  const llmConfig = flags.llmConfig !== undefined ? resolve(io.cwd, flags.llmConfig) : config?.llmConfig;
  if (text === undefined && tpot === undefined && llmConfig === undefined) return undefined;
  return { request: parseServe(text ?? '', tpot), ...(llmConfig !== undefined && { llmConfig }) };
}

async function checkModels(args: string[], flags: CheckFlags, io: CliIO, config: PortCheckConfig | undefined): Promise<Report[]> {
  const settled = settle(flags, config);
  if (args.length === 0) throw new UsageError('no model given: port-check MODEL.onnx --target ascend-910c (see --help)');
  let models = await expandModels(args, io.cwd);
  if (flags.shard) models = takeShard(models, parseShard(flags.shard));
  const targets = settled.targets.split(',').map((s) => s.trim()).filter(Boolean);
  if (targets.length === 0) throw new UsageError('--target is empty: name at least one target (port-check targets lists them)');
  const profileFiles = (flags.profile ?? []).map((p) => resolve(io.cwd, p));
  const baseRun = runOptionsFrom(flags);
  const estimate = estimateOptionsFrom(flags);
  const serve = serveOptionsFrom(flags, config, io);

  const jobs = models.map((model) => {
    const options: CheckOptions = {
      targets, profileFiles, displayPath: model, estimate,
      ...(serve !== undefined && { serve }),
      ...(config?.effortDays !== undefined && { effortDays: config.effortDays }),
    };
    if (baseRun) {
      const fromConfig = config ? inputsFor(config.inputs, model, { configDir: config.dir, baseDir: io.cwd }) : undefined;
      options.run = {
        ...baseRun,
        dims: { ...fromConfig?.dims, ...baseRun.dims },
        shapes: { ...fromConfig?.shapes, ...baseRun.shapes },
        inputValues: { ...scalarValues(fromConfig?.values), ...baseRun.inputValues },
      };
      if (flags.precision) options.precision = { mode: flags.precision };
    }
    return { modelPath: resolve(io.cwd, model), options };
  });

  const spinner = createSpinner(io, baseRun ? 'running' : 'checking');
  try {
    let reports = await checkAll(jobs, parseJobs(flags.jobs), (done) => spinner.update(`${done}/${jobs.length} models`));
    if (serve) {
      for (const r of reports.filter((r) => !r.serving)) {
        io.stderr(`port-check: ${printable(r.model.path, 500)}: not a decoder LLM (no KV cache inputs, no logits output): no serving plan; describe it with --llm-config config.json\n`);
      }
    }
    if (config && config.ignore.length > 0) {
      reports = applyIgnores(reports, config.ignore, { configDir: config.dir, baseDir: io.cwd }).reports;
    }
    if (flags.baseline) {
      const file = resolve(io.cwd, flags.baseline);
      const applied = applyBaseline(reports, parseBaseline(readText(file, '--baseline'), flags.baseline), {
        baseDir: io.cwd,
        rootDir: findRepoRoot(io.cwd, { flag: flags.root, config: config?.root }),
      });
      reports = applied.reports;
      if (applied.suppressedCount > 0) {
        io.stderr(`port-check: ${applied.suppressedCount} finding(s) already in ${flags.baseline} do not count (listed as suppressed in the report)\n`);
      }
    }
    return reports;
  } finally {
    spinner.stop();
  }
}

/** The config's one-number input values (lists of values are for --input files, not synthesis). */
function scalarValues(values: Record<string, number | number[]> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(values ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${what} ${file}: ${code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(err)})`}`);
  }
}

function parseMaxChars(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1000 || n > 10_000_000) throw new UsageError(`--max-chars takes a whole number from 1000 to 10000000, got '${text}'`);
  return n;
}

function parseDate(text: string | undefined): string {
  if (text === undefined) return new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) throw new UsageError(`--date takes YYYY-MM-DD, got '${text}'`);
  return text;
}

function emit(
  reports: Report[], format: string, output: string | undefined, flags: CheckFlags, failOn: FailOn, io: CliIO, configRoot?: string,
): void {
  const formatter = formatterFor(format);
  const options: FormatOptions = {
    color: useColor(flags, io, output !== undefined),
    verbose: flags.verbose === true,
    rules: RULES,
    baseDir: io.cwd,
    rootDir: findRepoRoot(io.cwd, { flag: flags.root, config: configRoot }),
    toolVersion: toolVersion(),
    failOn,
    ...(flags.maxChars !== undefined && { maxChars: parseMaxChars(flags.maxChars) }),
    document: {
      ...(flags.title !== undefined && { title: flags.title }),
      ...(flags.customer !== undefined && { customer: flags.customer }),
      ...(flags.author !== undefined && { author: flags.author }),
      date: parseDate(flags.date),
    },
  };
  const text = formatter(reports, options);
  if (output) writeFileSync(resolve(io.cwd, output), text);
  else io.stdout(text);
  if (format === 'github' && io.env.GITHUB_STEP_SUMMARY) {
    appendFileSync(io.env.GITHUB_STEP_SUMMARY, githubJobSummary(reports, { ...options, color: false }));
  }
}

/** `port-check --llm-config FILE --serve ...` without a model: the serving plan is the whole report. */
function planOnly(flags: CheckFlags, io: CliIO, config: PortCheckConfig | undefined): void {
  const settled = settle(flags, config);
  const serve = serveOptionsFrom(flags, config, io)!;
  const targets = settled.targets.split(',').map((s) => s.trim()).filter(Boolean);
  const report = planFromConfig(serve.llmConfig!, {
    targets,
    profileFiles: (flags.profile ?? []).map((p) => resolve(io.cwd, p)),
    request: serve.request,
    displayPath: flags.llmConfig ?? serve.llmConfig!,
  });
  const text = formatServingReport(report, settled.format, { color: useColor(flags, io, settled.output !== undefined) });
  if (settled.output) writeFileSync(resolve(io.cwd, settled.output), text);
  else io.stdout(text);
}

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

function buildProgram(io: CliIO, outcome: { code: number }): Command {
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
      const config = configFor(flags, io);
      if (models.length === 0 && (flags.llmConfig ?? config?.llmConfig) !== undefined) {
        planOnly(flags, io, config);
        outcome.code = EXIT.clean;
        return;
      }
      const reports = await checkModels(models, flags, io, config);
      const settled = settle(flags, config);
      emit(reports, settled.format, settled.output, flags, settled.failOn, io, config?.root);
      outcome.code = exitCodeFor(reports, settled.failOn);
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

  program
    .command('rules')
    .description('list the rules and their message codes; with an id, print that rule\'s page')
    .argument('[id]', 'a rule id, e.g. op-support')
    .action((id: string | undefined) => {
      if (id !== undefined) {
        io.stdout(rulePageText(id));
        outcome.code = EXIT.clean;
        return;
      }
      const lines = RULES.flatMap((r) => [
        `${r.id}: ${r.summary.replace(/`/g, '')}`,
        ...Object.entries(r.messages).map(([code, m]) => `  ${r.id}/${code} (${m.severity}): ${m.description}`),
      ]);
      io.stdout(lines.join('\n') + '\n');
      outcome.code = EXIT.clean;
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
      const config = configFor(flags, io);
      const reports = await checkModels(models, { ...flags, baseline: undefined }, io, config);
      // The same root as --baseline applies it with, so that a baseline made in a subfolder matches from the root.
      const rootDir = findRepoRoot(io.cwd, { flag: flags.root, config: config?.root });
      writeFileSync(resolve(io.cwd, flags.output!), formatBaseline(reports, { baseDir: io.cwd, rootDir }));
      const count = reports.reduce((n, r) => n + r.targets.reduce((m, t) => m + t.findings.length, 0), 0);
      io.stderr(`port-check: wrote ${count} finding(s) of ${reports.length} model(s) to ${flags.output}\n`);
      outcome.code = EXIT.clean;
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
  ).action((files: string[], flags: CheckFlags) => {
    const set = mergeReports(files.map((file) => ({ file, text: readText(resolve(io.cwd, file), 'report') })));
    emit(set.reports, flags.format ?? 'json', flags.output, flags, flags.failOn ?? 'error', io);
    outcome.code = exitCodeFor(set.reports, flags.failOn ?? 'error');
  });

  addPlanCommand(program, io, outcome, (file) => resolveConfig({ cwd: io.cwd, ...(file !== undefined && { file: resolve(io.cwd, file) }) }));

  // Subcommands have options of the same names (-o, --format): the program's apply before one only.
  program.enablePositionalOptions();
  program.exitOverride();
  program.configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} });
  }
  return program;
}

/** A rule's page (docs/rules/<id>.md, shipped with the package); the id in any case, typos get a "did you mean". */
function rulePageText(given: string): string {
  const ids = RULES.map((r) => r.id);
  const id = ids.find((r) => r.toLowerCase() === given.toLowerCase());
  if (id === undefined) {
    const near = closestName(given, ids);
    throw new UsageError(`unknown rule '${printable(given, 80)}'${near ? `: did you mean '${near}'?` : ''} (port-check rules lists them)`);
  }
  return readText(join(packageRoot(), ruleDocsPath(id)), 'rule page');
}

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

/** One line, controls escaped: usage errors repeat what the user typed (a glob, a target id). */
function oneLine(s: string): string {
  return printable(s.replace(/[\r\n]+/g, ' ').trim(), 2000);
}
