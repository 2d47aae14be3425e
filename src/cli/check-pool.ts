import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModel, type CheckOptions } from '../check.js';
import { DEFAULT_TARGETS } from '../default-targets.js';
import { ModelLoadError, PortCheckError } from '../errors.js';
import { resolveTargetsLazily } from '../profiles/builtin.js';
import { loadErrorReport } from '../report/load-error.js';
import type { RunBudget } from './isolated-run.js';
import { packageRoot } from '../package-root.js';
import type { Report } from '../report/types.js';
import type { WorkerReply, WorkerTask } from './check-worker.js';

export interface ModelJob {
  modelPath: string;
  options: CheckOptions;
}

/** An error that came back from a worker, rethrown with its kind (bad input vs internal) intact. */
class WorkerUsageError extends PortCheckError {}

/**
 * With several models, one that cannot be read becomes a load-error report in its place (see
 * report/load-error.ts) and the others are checked as usual; the caller exits 2. With one model
 * the load error is thrown, as it always was: one line, nothing else to report.
 */
async function loadErrorFor(job: ModelJob, reason: string): Promise<Report> {
  const profiles = await resolveTargetsLazily(job.options.targets ?? [...DEFAULT_TARGETS], job.options.profileFiles ?? []);
  return loadErrorReport(job.options.displayPath ?? job.modelPath, reason, profiles);
}

/** Tasks a worker holds at once, so it never waits for the main thread to hand it the next one. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Checks every model, `parallel` at a time, and returns the reports in the order given. The main
 * thread checks models too, beside `parallel - 1` worker threads: it has its modules loaded and its
 * code warm already, where each worker starts cold (the static check is CPU-bound, so threads are
 * what gives a speed-up). A model that cannot be read, among several, is a load-error report;
 * any other failure (a bad flag, a bug) stops the run.
 */
export async function checkAll(
  jobs: ModelJob[], parallel: number, onDone?: (done: number) => void, runBudget?: RunBudget,
): Promise<Report[]> {
  if (runBudget !== undefined) return checkIsolated(jobs, parallel, runBudget, onDone);
  const reports: Report[] = new Array(jobs.length);
  const workerFile = workerPath();
  const workerCount = workerFile ? Math.min(parallel - 1, jobs.length - 1) : 0;
  let next = 0;
  let done = 0;
  let failed = false;
  const finish = (id: number, report: Report): void => {
    reports[id] = report;
    onDone?.(++done);
  };

  // Threads (and the isolated run's child processes below) only when there are any: one model,
  // the common case, loads neither node:worker_threads nor node:child_process.
  const { Worker } = workerCount > 0 ? await import('node:worker_threads') : { Worker: undefined };
  const workers = Worker ? Array.from({ length: workerCount }, () => new Worker(workerFile!)) : [];
  const viaWorkers = workers.map(
    (worker) =>
      new Promise<void>((resolvePromise, reject) => {
        let inFlight = 0;
        const send = (): void => {
          while (!failed && inFlight < IN_FLIGHT_PER_WORKER && next < jobs.length) {
            const id = next++;
            const job = jobs[id]!;
            inFlight++;
            worker.postMessage({ id, modelPath: job.modelPath, options: job.options } satisfies WorkerTask);
          }
          if (inFlight === 0) resolvePromise();
        };
        worker.on('message', (reply: WorkerReply) => {
          if ('error' in reply && reply.error.loadReason !== undefined && jobs.length > 1) {
            // Still in flight until its report is made, so that the worker's promise waits for it.
            loadErrorFor(jobs[reply.id]!, reply.error.loadReason).then(
              (report) => {
                inFlight--;
                finish(reply.id, report);
                send();
              },
              (err: unknown) => {
                failed = true;
                reject(err);
              },
            );
            return;
          }
          inFlight--;
          if ('error' in reply) {
            failed = true;
            const err = reply.error.usage ? new WorkerUsageError(reply.error.message) : new Error(reply.error.message);
            if (reply.error.stack) err.stack = reply.error.stack;
            return reject(err);
          }
          finish(reply.id, reply.report);
          send();
        });
        worker.on('error', (err) => {
          failed = true;
          reject(err);
        });
        send();
      }),
  );
  const inMain = (async () => {
    while (!failed && next < jobs.length) {
      const id = next++;
      try {
        finish(id, await checkModel(jobs[id]!.modelPath, jobs[id]!.options));
      } catch (err) {
        if (err instanceof ModelLoadError && jobs.length > 1) {
          finish(id, await loadErrorFor(jobs[id]!, err.reason));
          continue;
        }
        failed = true;
        throw err;
      }
    }
  })();
  try {
    await Promise.all([inMain, ...viaWorkers]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return reports;
}

/**
 * With --run, each model is checked and run in a child process of its own (isolated-run.ts),
 * `parallel` at a time: the processes are the parallelism, and a runaway run stops only itself.
 */
async function checkIsolated(
  jobs: ModelJob[], parallel: number, budget: RunBudget, onDone?: (done: number) => void,
): Promise<Report[]> {
  const reports: Report[] = new Array(jobs.length);
  const { checkWithIsolatedRun } = await import('./isolated-run.js');
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const id = next++;
      try {
        reports[id] = await checkWithIsolatedRun(jobs[id]!, budget);
      } catch (err) {
        if (!(err instanceof ModelLoadError && jobs.length > 1)) throw err;
        reports[id] = await loadErrorFor(jobs[id]!, err.reason);
      }
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, lane));
  return reports;
}

/** The compiled worker; under vitest (TypeScript sources) that is the one in dist/, if built. */
function workerPath(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'check-worker.js');
  const built = join(packageRoot(), 'dist', 'src', 'cli', 'check-worker.js');
  return existsSync(built) ? built : undefined;
}
