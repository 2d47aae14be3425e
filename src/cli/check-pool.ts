import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { check, type CheckOptions } from '../check.js';
import { PortCheckError } from '../errors.js';
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
 * Checks every model, `jobs` at a time, and returns the reports in the order given. One job runs
 * in-process; more run in worker threads (the static check is CPU-bound, so threads are what
 * gives a speed-up). The first failure stops the run: bad input is exit 2 whatever the count.
 */
export async function checkAll(jobs: ModelJob[], parallel: number, onDone?: (done: number) => void): Promise<Report[]> {
  const workerFile = workerPath();
  if (parallel <= 1 || jobs.length <= 1 || !workerFile) {
    const reports: Report[] = [];
    for (const job of jobs) {
      reports.push(await check(job.modelPath, job.options));
      onDone?.(reports.length);
    }
    return reports;
  }
  const reports: Report[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const workers = Array.from({ length: Math.min(parallel, jobs.length) }, () => new Worker(workerFile));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolvePromise, reject) => {
            const send = (): void => {
              if (next >= jobs.length) return resolvePromise();
              const id = next++;
              const job = jobs[id]!;
              worker.postMessage({ id, modelPath: job.modelPath, options: job.options } satisfies WorkerTask);
            };
            worker.on('message', (reply: WorkerReply) => {
              if ('error' in reply) {
                const err = reply.error.usage ? new WorkerUsageError(reply.error.message) : new Error(reply.error.message);
                if (reply.error.stack) err.stack = reply.error.stack;
                return reject(err);
              }
              reports[reply.id] = reply.report;
              onDone?.(++done);
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return reports;
}

/** The compiled worker; under vitest (TypeScript sources) that is the one in dist/, if built. */
function workerPath(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'check-worker.js');
  const built = join(packageRoot(), 'dist', 'src', 'cli', 'check-worker.js');
  return existsSync(built) ? built : undefined;
}
