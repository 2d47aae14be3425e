import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModel } from '../check.js';
import { ModelLoadError, PortCheckError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import type { Report } from '../report/types.js';
import type { ModelJob } from './check-pool.js';
import type { RunBudget } from './run-budget.js';
import type { RunChildReply, RunChildTask } from './run-child.js';

export type { RunBudget };

/**
 * `--run` executes a model from a pull request: a Loop with a trip count of 2^62 never ends, one
 * that doubles a tensor 64 times eats the machine, and ONNX Runtime runs native code that can
 * crash. So each model's run is made in a child process, watched from outside: past `timeoutMs`,
 * past `memoryMb` of resident memory (polled from /proc, which counts ONNX Runtime's native
 * buffers, not just the JS heap), or dead of a signal, the child is killed and the model gets its
 * static report plus a `run/run-aborted` finding; the other models go on.
 *
 * The child is started first and the parent makes the static analysis meanwhile: the child's start,
 * its loading of ONNX Runtime and its sessions overlap the parent's decoding and checking. The
 * child ships back what the run gave (JSON over IPC), and the report is built once, here.
 */
const POLL_MS = 100;

export async function checkWithIsolatedRun(job: ModelJob, budget: RunBudget): Promise<Report> {
  const outcome = runChild(job, budget);
  let report: Report;
  try {
    report = await checkModel(job.modelPath, job.options, outcome.then((o) => ('ran' in o ? o.ran : undefined)));
  } catch (err) {
    outcome.stop();
    if (err instanceof ModelLoadError) throw new ModelLoadError(job.options.displayPath ?? job.modelPath, err.reason);
    throw err;
  }
  const done = await outcome;
  if ('ran' in done) return report;
  if ('error' in done) {
    if (done.error.loadReason !== undefined) throw new ModelLoadError(job.options.displayPath ?? job.modelPath, done.error.loadReason);
    if (done.error.usage) throw new PortCheckError(done.error.message);
    throw new Error(done.error.message);
  }
  // The run died or was stopped: the static report and the reason as a finding.
  const { run: _run, precision: _precision, ...staticOptions } = job.options;
  const [{ check }, { RUN_RULE }, { compareFindings }, { withFindings }, { verdictOf }] = await Promise.all([
    import('../check.js'), import('../runtime/run-findings.js'), import('../findings/order.js'), import('../report/recount.js'), import('../report/build.js'),
  ]);
  const staticReport = await check(job.modelPath, { ...staticOptions, precision: false });
  const finding = RUN_RULE.finding('run-aborted', { args: { reason: done.aborted }, source: ['port-check run budget (--run-timeout, --run-memory-mb)'] });
  staticReport.targets = staticReport.targets.map((t) => {
    const findings = [...t.findings, finding].sort(compareFindings);
    return { ...withFindings(t, findings, t.suppressed), verdict: verdictOf(findings) };
  });
  return staticReport;
}

type ChildOutcome = RunChildReply | { aborted: string };

/** The child's outcome; `stop` kills it (the parent's own check failed: its run is of no use). */
function runChild(job: ModelJob, budget: RunBudget): Promise<ChildOutcome> & { stop: () => void } {
  let stop = (_reason: string): void => {};
  const outcome = new Promise<ChildOutcome>((resolve) => {
    const child = fork(childPath(), [], {
      execArgv: [`--max-old-space-size=${budget.memoryMb}`],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'advanced',
    });
    let settled = false;
    let stopped: string | undefined;
    const finish = (outcome: ChildOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      resolve(outcome);
    };
    stop = (reason: string) => {
      stopped ??= reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(`it ran past --run-timeout ${budget.timeoutMs / 1000} s`), budget.timeoutMs);
    const watch = setInterval(() => {
      const rss = residentMb(child.pid);
      if (rss !== undefined && rss > budget.memoryMb) stop(`it used ${rss} MB, past --run-memory-mb ${budget.memoryMb}`);
    }, POLL_MS);
    child.on('message', (reply: RunChildReply) => {
      finish(reply);
      // Its work is done: not waiting for it to unload ONNX Runtime and exit.
      child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (stopped) return finish({ aborted: stopped });
      // Out of JS heap (V8 aborts), or a native crash in ONNX Runtime.
      finish({ aborted: `the run process ended without a report (${signal ? `signal ${signal}` : `exit code ${code}`}), past --run-memory-mb ${budget.memoryMb} or a crash in ONNX Runtime` });
    });
    child.on('error', (err) => finish({ aborted: `the run process could not start: ${err.message}` }));
    child.send({ modelPath: job.modelPath, options: job.options } satisfies RunChildTask);
  });
  return Object.assign(outcome, { stop: () => stop('the check stopped') });
}

/** Resident memory of a process in MB (Linux /proc); undefined where it cannot be read. */
function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Math.round((pages * 4096) / 2 ** 20);
  } catch {
    return undefined;
  }
}

/** The compiled child script; under vitest (TypeScript sources) the one in dist/. */
function childPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'run-child.js');
  const built = join(packageRoot(), 'dist', 'src', 'cli', 'run-child.js');
  if (!existsSync(built)) throw new Error('isolated runs need the built dist/ (npm run build)');
  return built;
}
