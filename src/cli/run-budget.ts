import { totalmem } from 'node:os';

/** What one model's run may take before it is stopped (see isolated-run.ts). */
export interface RunBudget {
  timeoutMs: number;
  memoryMb: number;
}

/** Ten minutes: a large model's session, warm-up, timed runs and emulations fit; a runaway Loop does not hold a CI job for hours. */
export const DEFAULT_RUN_TIMEOUT_S = 600;

/** Half the machine's memory, shared among the runs in parallel (--jobs). */
export function defaultRunMemoryMb(parallel: number): number {
  return Math.max(256, Math.floor(totalmem() / 2 ** 20 / 2 / parallel));
}
