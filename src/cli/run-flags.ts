import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { PRECISION_MODES } from '../precision/modes.js';
import type { PrecisionMode } from '../precision/types.js';
import { DEFAULT_MAX_INPUT_MB, DEFAULT_SEED } from '../runtime/run-defaults.js';
import { parseBackends, parseDimFlags, parseInputFlags, parseInputValueFlags, parseShapeFlags } from '../runtime/run-flags.js';
import { DEFAULT_ITERATIONS, MAX_ITERATIONS } from '../runtime/timed-run.js';
import type { RunOptions } from '../runtime/types.js';
import { DEFAULT_RUN_TIMEOUT_S, defaultRunMemoryMb, type RunBudget } from './run-budget.js';

/** The flags of a real run (--run and what shapes it), as commander hands them over. */
export interface RunFlags {
  run?: boolean;
  backend?: string;
  dim?: string[];
  shape?: string[];
  input?: string[];
  inputValue?: string[];
  seed?: string;
  iterations?: string;
  maxInputMb?: string;
  precision?: PrecisionMode;
  runTimeout?: string;
  runMemoryMb?: string;
  batch?: string;
  seqLen?: string;
}

/** Commander's accumulator for a repeatable flag. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const RUN_FLAG_HELP: ((cmd: Command) => void)[] = [
  (c) => c.option('--run', 'also run the model on ONNX Runtime: timings, per-op time share, observed shapes, precision emulation'),
  (c) => c.option('--backend <list>', 'execution providers to run on (cpu,cuda,tensorrt,webgpu; default: all that work here)'),
  (c) => c.option('--dim <name=value>', 'value of a symbolic input dim (repeatable), e.g. --dim batch=1', collect),
  (c) => c.option('--shape <input=dims>', 'full shape of an input (repeatable), e.g. --shape x=1x3x224x224', collect),
  (c) => c.option('--input <name=file>', 'real data for an input from a .npy or .json file (repeatable)', collect),
  (c) => c.option('--input-value <name=value>', 'fill an input with one value (repeatable), e.g. --input-value sr=16000', collect),
  (c) => c.option('--seed <n>', `seed of the synthesised inputs (default ${DEFAULT_SEED})`),
  (c) => c.option('--iterations <n>', `timed iterations after one warm-up (default ${DEFAULT_ITERATIONS}, at most ${MAX_ITERATIONS})`),
  (c) => c.option('--run-timeout <s>', `stop a model's run (and precision emulation) after this many seconds (default ${DEFAULT_RUN_TIMEOUT_S})`),
  (c) => c.option('--run-memory-mb <n>', "stop a model's run past this much resident memory (default: half the machine's memory over --jobs)"),
  (c) => c.option('--max-input-mb <n>', `refuse synthesised inputs larger than this (default ${DEFAULT_MAX_INPUT_MB})`),
  (c) => c.addOption(new Option('--precision <mode>', "precision to emulate with --run (default: each target's policy)").choices(PRECISION_MODES)),
  (c) => c.option('--batch <n>', 'batch for the estimates (symbolic batch dims and KV cache; default 1)'),
  (c) => c.option('--seq-len <n>', 'sequence length for the estimates (symbolic sequence dims and KV cache; default 512)'),
];

function positiveInt(flag: string, text: string | undefined, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} takes a whole number ${max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `≥ ${min}`}, got '${text}'`);
  }
  return n;
}

/** RunOptions from the flags, or undefined when --run was not given (run-only flags then are a usage error). */
export function runOptionsFrom(flags: RunFlags): RunOptions | undefined {
  if (!flags.run) {
    const stray = (['backend', 'seed', 'iterations', 'maxInputMb', 'precision', 'runTimeout', 'runMemoryMb'] as const).find((k) => flags[k] !== undefined);
    const input = flags.input ?? [];
    if (stray || input.length > 0 || (flags.inputValue ?? []).length > 0) {
      throw new UsageError(`--${stray ? kebab(stray) : input.length > 0 ? 'input' : 'input-value'} needs --run`);
    }
    return undefined;
  }
  const seed = positiveInt('--seed', flags.seed, 0);
  const iterations = positiveInt('--iterations', flags.iterations, 1, MAX_ITERATIONS);
  const maxInputMB = positiveInt('--max-input-mb', flags.maxInputMb);
  return {
    ...(flags.backend !== undefined && { backends: parseBackends(flags.backend) }),
    dims: parseDimFlags(flags.dim ?? []),
    shapes: parseShapeFlags(flags.shape ?? []),
    inputs: parseInputFlags(flags.input ?? []),
    inputValues: parseInputValueFlags(flags.inputValue ?? []),
    ...(seed !== undefined && { seed }),
    ...(iterations !== undefined && { iterations }),
    ...(maxInputMB !== undefined && { maxInputMB }),
  };
}

/** Options of the estimate stage: --dim, --batch, --seq-len apply with or without --run. */
export function estimateOptionsFrom(flags: RunFlags): { dims: Record<string, number>; batch?: number; seqLen?: number } {
  const batch = positiveInt('--batch', flags.batch);
  const seqLen = positiveInt('--seq-len', flags.seqLen);
  return { dims: parseDimFlags(flags.dim ?? []), ...(batch !== undefined && { batch }), ...(seqLen !== undefined && { seqLen }) };
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The budget each model's run gets (--run-timeout, --run-memory-mb), or undefined without --run. */
export function runBudgetFrom(flags: RunFlags, parallel: number): RunBudget | undefined {
  if (!flags.run) return undefined;
  const timeout = positiveInt('--run-timeout', flags.runTimeout, 1, 7 * 24 * 3600) ?? DEFAULT_RUN_TIMEOUT_S;
  const memory = positiveInt('--run-memory-mb', flags.runMemoryMb, 64, 2 ** 30) ?? defaultRunMemoryMb(parallel);
  return { timeoutMs: timeout * 1000, memoryMb: memory };
}
