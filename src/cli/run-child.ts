import { analyseRun, type RunAnalysis } from '../analysis/analyse-run.js';
import type { CheckOptions } from '../check.js';
import { DEFAULT_TARGETS } from '../default-targets.js';
import { ModelLoadError, PortCheckError } from '../errors.js';
import { inspectModel } from '../inspect/inspect.js';
import { loadModel } from '../onnx/load.js';
import { resolveTargetsLazily } from '../profiles/builtin.js';

/**
 * The child process of an isolated run (see isolated-run.ts): runs one model (the timed session,
 * the profiled run, the emulations: analyseRun) and sends what the run gave back over IPC, while
 * the parent makes the static analysis. Whatever happens in here (a Loop that never ends, memory
 * that grows without bound, a native crash in ONNX Runtime) the parent sees and survives. It loads
 * the decoder and the run's code, not the static pipeline (checks, estimate, report).
 */
export interface RunChildTask {
  modelPath: string;
  options: CheckOptions;
}

export type RunChildReply = { ran: RunAnalysis } | { error: { message: string; usage: boolean; loadReason?: string } };

async function runTask({ modelPath, options }: RunChildTask): Promise<RunAnalysis> {
  // The model is decoded here as well: its external data must be checked to stay inside its folder
  // before ONNX Runtime is handed the file, and the inputs follow its declared types.
  const model = await loadModel(modelPath);
  const profiles = await resolveTargetsLazily(options.targets ?? [...DEFAULT_TARGETS], options.profileFiles ?? []);
  return analyseRun(modelPath, model, inspectModel(model), profiles, options);
}

process.once('message', (task: RunChildTask) => {
  runTask(task).then(
    (ran) => send({ ran }),
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
