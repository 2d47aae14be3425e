import { parentPort } from 'node:worker_threads';
import { checkModel, type CheckOptions } from '../check.js';
import { ModelLoadError, PortCheckError } from '../errors.js';

/** A worker of `--jobs N`: checks the models it is sent, one at a time, and posts each report back. */
export interface WorkerTask {
  id: number;
  modelPath: string;
  options: CheckOptions;
}

export type WorkerReply =
  | { id: number; report: Awaited<ReturnType<typeof checkModel>> }
  | { id: number; error: { message: string; stack?: string; usage: boolean; loadReason?: string } };

parentPort?.on('message', (task: WorkerTask) => {
  checkModel(task.modelPath, task.options).then(
    (report) => parentPort?.postMessage({ id: task.id, report } satisfies WorkerReply),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      parentPort?.postMessage({
        id: task.id,
        error: {
          message: e.message,
          ...(e.stack !== undefined && { stack: e.stack }),
          usage: err instanceof PortCheckError,
          ...(err instanceof ModelLoadError && { loadReason: err.reason }),
        },
      } satisfies WorkerReply);
    },
  );
});
