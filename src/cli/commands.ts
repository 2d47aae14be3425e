import { appendFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckOptions } from '../check.js';
import { DEFAULT_TARGETS } from '../default-targets.js';
import type { ServeOptions } from '../plan-serving.js';
import { RULES } from '../rules.js';
import { configFileFor } from '../config/find-config.js';
import type { PortCheckConfig } from '../config/load-config.js';
import { UsageError } from '../errors.js';
import { closestName } from '../did-you-mean.js';
import { packageRoot } from '../package-root.js';
import { ruleDocsPath } from '../report/rule-docs-url.js';
import { oneLine, printable } from '../printable.js';
import { readRegularFile } from '../read-file.js';
import type { FormatOptions } from '../report/format-options.js';
import { loadFormatter } from '../report/load-formatter.js';
import { logSafe } from '../report/log-safe.js';
import type { Report } from '../report/types.js';
import { toolVersion } from '../version.js';
import { checkAll } from './check-pool.js';
import { findRepoRoot } from './repo-root.js';
import { EXIT, exitCodeFor, type FailOn } from './exit-code.js';
import { expandModels, parseShard, takeShard } from './expand-models.js';
import type { CliIO } from './io.js';
import { estimateOptionsFrom, runBudgetFrom, runOptionsFrom, type RunFlags } from './run-flags.js';
import { createSpinner } from './spinner.js';
import { maxOf } from '../arrays.js';

/**
 * What each command of the CLI does, behind main.ts's argument parsing (loaded only when a
 * command runs). Each returns the exit code. What only some runs need is imported where it is
 * used (the config file's YAML and schema, the serving plan, baselines, merge, the one formatter
 * asked for): a static check loads none of the rest (bench/startup.mjs).
 */

export interface CheckFlags extends RunFlags {
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
async function settle(flags: CheckFlags, config: PortCheckConfig | undefined) {
  return {
    targets: flags.target ?? config?.targets?.join(',') ?? DEFAULT_TARGETS.join(','),
    format: flags.format ?? config?.format ?? 'text',
    failOn: flags.failOn ?? config?.failOn ?? 'error',
    output: flags.output ?? (config?.output !== undefined ? (await import('../config/output-path.js')).checkConfigOutput(config, config.output) : undefined),
  };
}

/** The config file's YAML parser and schema are loaded only when there is a config file. */
async function configFor(flags: CheckFlags, io: CliIO): Promise<PortCheckConfig | undefined> {
  const file = configFileFor({ cwd: io.cwd, ...(flags.config !== undefined && { file: flags.config }) });
  return file === undefined ? undefined : (await import('../config/load-config.js')).loadConfigFile(file);
}

/** The serving plan asked for by flags or the config (flags win): undefined when neither asks. */
async function serveOptionsFrom(flags: CheckFlags, config: PortCheckConfig | undefined, io: CliIO): Promise<ServeOptions | undefined> {
  const text = flags.serve ?? config?.serve;
  const tpot = flags.tpotMs ?? (config?.tpotMs !== undefined ? String(config.tpotMs) : undefined);
  const llmConfig = flags.llmConfig !== undefined ? resolve(io.cwd, flags.llmConfig) : config?.llmConfig;
  if (text === undefined && tpot === undefined && llmConfig === undefined) return undefined;
  const { parseServe } = await import('../serve/index.js');
  return { request: parseServe(text ?? '', tpot), ...(llmConfig !== undefined && { llmConfig }) };
}

async function checkModels(args: string[], flags: CheckFlags, io: CliIO, config: PortCheckConfig | undefined): Promise<Report[]> {
  const settled = await settle(flags, config);
  if (args.length === 0) throw new UsageError('no model given: port-check MODEL.onnx --target ascend-910c (see --help)');
  let models = await expandModels(args, io.cwd);
  if (flags.shard) models = takeShard(models, parseShard(flags.shard));
  const targets = settled.targets.split(',').map((s) => s.trim()).filter(Boolean);
  if (targets.length === 0) throw new UsageError('--target is empty: name at least one target (port-check targets lists them)');
  const profileFiles = (flags.profile ?? []).map((p) => resolve(io.cwd, p));
  const baseRun = runOptionsFrom(flags);
  const estimate = estimateOptionsFrom(flags);
  const serve = await serveOptionsFrom(flags, config, io);
  const { inputsFor, applyIgnores } = config ? await import('../config/index.js') : {};

  const jobs = models.map((model) => {
    const options: CheckOptions = {
      targets, profileFiles, displayPath: model, estimate,
      ...(serve !== undefined && { serve }),
      ...(config?.effortDays !== undefined && { effortDays: config.effortDays }),
    };
    if (baseRun) {
      const fromConfig = config && inputsFor ? inputsFor(config.inputs, model, { configDir: config.dir, baseDir: io.cwd }) : undefined;
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

  const spinner = await createSpinner(io, baseRun ? 'running' : 'checking');
  try {
    const parallel = parseJobs(flags.jobs);
    let reports = await checkAll(jobs, parallel, (done) => spinner.update(`${done}/${jobs.length} models`), runBudgetFrom(flags, parallel));
    if (serve) {
      for (const r of reports.filter((r) => !r.serving && r.loadError === undefined)) {
        io.stderr(`port-check: ${printable(r.model.path, 500)}: not a decoder LLM (no KV cache inputs, no logits output): no serving plan; describe it with --llm-config config.json\n`);
      }
    }
    if (config && applyIgnores && config.ignore.length > 0) {
      reports = applyIgnores(reports, config.ignore, { configDir: config.dir, baseDir: io.cwd }).reports;
    }
    if (flags.baseline) {
      const { applyBaseline, parseBaseline } = await import('../report/baseline.js');
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

/** Says each model that could not be read (its report carries the reason too); returns how many. */
function loadFailures(reports: Report[], io: CliIO): number {
  const failed = reports.filter((r) => r.loadError !== undefined);
  for (const r of failed) io.stderr(`port-check: ${oneLine(`${r.model.path}: ${r.loadError}`)}\n`);
  return failed.length;
}

/** The config's one-number input values (lists of values are for --input files, not synthesis). */
function scalarValues(values: Record<string, number | number[]> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(values ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

/**
 * A baseline or a JSON report to merge is at most this large: a report of 10,000 models with
 * hundreds of findings each fits, and JSON.parse of it stays within a CI runner's memory.
 */
export const MAX_JSON_INPUT_BYTES = 256 * 2 ** 20;

function readText(file: string, what: string): string {
  const read = readRegularFile(file, { maxBytes: MAX_JSON_INPUT_BYTES, says: `a ${what} file may be at most 256 MiB` });
  if (!read.ok) throw new UsageError(`${what} ${file}: ${read.problem}`);
  return read.bytes.toString('utf8');
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

async function emit(
  reports: Report[], format: string, output: string | undefined, flags: CheckFlags, failOn: FailOn, io: CliIO, configRoot?: string,
): Promise<void> {
  const formatter = await loadFormatter(format);
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
  if (output) writeOut(resolve(io.cwd, output), text);
  else io.stdout(text);
  if (format === 'github' && io.env.GITHUB_STEP_SUMMARY) {
    const { githubJobSummary } = await import('../report/github.js');
    const summary = logSafe('markdown', githubJobSummary(reports, { ...options, color: false }));
    writeOut(io.env.GITHUB_STEP_SUMMARY, summary, { append: true });
  }
}

/** Writes a report; a folder that is missing, a full disk, no permission: one line and exit 2. */
function writeOut(file: string, text: string, options: { append?: boolean } = {}): void {
  try {
    if (options.append) appendFileSync(file, text);
    else writeFileSync(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why: Record<string, string> = {
      ENOENT: 'its folder does not exist',
      ENOTDIR: 'a part of its path is not a folder',
      EISDIR: 'it is a folder',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      ENOSPC: 'no space left on the device',
      EROFS: 'the file system is read-only',
    };
    throw new UsageError(`cannot write ${printable(file)}: ${(code && Object.hasOwn(why, code) ? why[code] : undefined) ?? (code ?? String(err))}`);
  }
}

/** `port-check --llm-config FILE --serve ...` without a model: the serving plan is the whole report. */
async function planOnly(flags: CheckFlags, io: CliIO, config: PortCheckConfig | undefined): Promise<void> {
  const settled = await settle(flags, config);
  const serve = (await serveOptionsFrom(flags, config, io))!;
  const { planFromConfig } = await import('../plan-serving.js');
  const { formatServingReport } = await import('../report/serving/document.js');
  const targets = settled.targets.split(',').map((s) => s.trim()).filter(Boolean);
  const report = planFromConfig(serve.llmConfig!, {
    targets,
    profileFiles: (flags.profile ?? []).map((p) => resolve(io.cwd, p)),
    request: serve.request,
    displayPath: flags.llmConfig ?? serve.llmConfig!,
  });
  const text = logSafe(settled.format, formatServingReport(report, settled.format, { color: useColor(flags, io, settled.output !== undefined) }));
  if (settled.output) writeOut(resolve(io.cwd, settled.output), text);
  else io.stdout(text);
}

export async function checkCommand(models: string[], flags: CheckFlags, io: CliIO): Promise<number> {
  const config = await configFor(flags, io);
  if (models.length === 0 && (flags.llmConfig ?? config?.llmConfig) !== undefined) {
    await planOnly(flags, io, config);
    return EXIT.clean;
  }
  const reports = await checkModels(models, flags, io, config);
  const settled = await settle(flags, config);
  await emit(reports, settled.format, settled.output, flags, settled.failOn, io, config?.root);
  return loadFailures(reports, io) > 0 ? EXIT.usage : exitCodeFor(reports, settled.failOn);
}

export async function targetsCommand(io: CliIO): Promise<number> {
  const rows = (await import('../profiles/load.js')).describeTargets();
  const width = maxOf(rows.map((r) => r.id.length), 0);
  io.stdout(rows.map((r) => `${r.id.padEnd(width)}  ${r.name}: ${r.summary}`).join('\n') + '\n');
  return EXIT.clean;
}

export function rulesCommand(io: CliIO, id?: string): number {
  if (id !== undefined) {
    io.stdout(rulePageText(id));
    return EXIT.clean;
  }
  const lines = RULES.flatMap((r) => [
    `${r.id}: ${r.summary.replace(/`/g, '')}`,
    ...Object.entries(r.messages).map(([code, m]) => `  ${r.id}/${code} (${m.severity}): ${m.description}`),
  ]);
  io.stdout(lines.join('\n') + '\n');
  return EXIT.clean;
}

export async function baselineCommand(models: string[], flags: CheckFlags, io: CliIO): Promise<number> {
  const config = await configFor(flags, io);
  const reports = await checkModels(models, { ...flags, baseline: undefined }, io, config);
  const { formatBaseline } = await import('../report/baseline.js');
  // The same root as --baseline applies it with, so that a baseline made in a subfolder matches from the root.
  const rootDir = findRepoRoot(io.cwd, { flag: flags.root, config: config?.root });
  writeOut(resolve(io.cwd, flags.output!), logSafe('json', formatBaseline(reports, { baseDir: io.cwd, rootDir })));
  const count = reports.reduce((n, r) => n + r.targets.reduce((m, t) => m + t.findings.length, 0), 0);
  io.stderr(`port-check: wrote ${count} finding(s) of ${reports.length} model(s) to ${flags.output}\n`);
  return EXIT.clean;
}

export async function mergeCommand(files: string[], flags: CheckFlags, io: CliIO): Promise<number> {
  const { mergeReports } = await import('../report/merge.js');
  const set = mergeReports(files.map((file) => ({ file, text: readText(resolve(io.cwd, file), 'report') })));
  await emit(set.reports, flags.format ?? 'json', flags.output, flags, flags.failOn ?? 'error', io);
  return loadFailures(set.reports, io) > 0 ? EXIT.usage : exitCodeFor(set.reports, flags.failOn ?? 'error');
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
