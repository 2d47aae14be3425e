import { check, type CheckOptions } from '../check.js';
import { ModelLoadError, PortCheckError } from '../errors.js';
import type { Report } from '../report/types.js';

/**
 * The child process of an isolated run (see isolated-run.ts): checks one model with --run and
 * sends the report back over IPC. Whatever happens in here (a Loop that never ends, memory that
 * grows without bound, a native crash in ONNX Runtime) the parent sees and survives.
 */
export interface RunChildTask {
  modelPath: string;
  options: CheckOptions;
}

export type RunChildReply = { report: Report } | { error: { message: string; usage: boolean; loadReason?: string } };

process.once('message', (task: RunChildTask) => {
  check(task.modelPath, task.options).then(
    (report) => send({ report }),
    (err: unknown) =>
      send({
        error: {
          message: err instanceof Error ? err.message : String(err),
          usage: err instanceof PortCheckError,
          ...(err instanceof ModelLoadError && { loadReason: err.reason }),
        },
      }),
  );
});

function send(reply: RunChildReply): void {
  process.send?.(reply, () => process.exit(0));
}
