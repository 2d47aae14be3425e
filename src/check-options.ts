import { z } from 'zod';
import type { CheckOptions } from './check.js';
import { UsageError } from './errors.js';
import { effortDaysOverride } from './profiles/schema.js';

const stringList = z.array(z.string().min(1));
const positiveInt = z.number().int().positive();

/**
 * The shape of check()'s options as JavaScript callers may pass them (no compiler checks their
 * types): the top level is strict, so a misspelt option (`target:`) is an error rather than
 * silently ignored; nested run and estimate options are checked by type.
 */
const checkOptionsSchema = z.strictObject({
  targets: stringList.min(1).optional(),
  profileFiles: stringList.optional(),
  displayPath: z.string().min(1).optional(),
  run: z
    .strictObject({
      backends: stringList.optional(),
      dims: z.record(z.string(), positiveInt).optional(),
      shapes: z.record(z.string(), z.array(z.number().int().nonnegative())).optional(),
      inputs: z.record(z.string(), z.string()).optional(),
      inputValues: z.record(z.string(), z.number()).optional(),
      seed: z.number().int().optional(),
      iterations: positiveInt.optional(),
      warmup: z.number().int().nonnegative().optional(),
      maxInputMB: z.number().positive().optional(),
      profile: z.boolean().optional(),
      observeShapes: z.boolean().optional(),
      maxObservedValues: positiveInt.optional(),
      graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).optional(),
      intraOpNumThreads: positiveInt.optional(),
    })
    .optional(),
  precision: z
    .union([
      z.literal(false),
      z.strictObject({
        mode: z.enum(['fp16', 'bf16', 'fp32', 'profile']).optional(),
        thresholds: z.record(z.string(), z.number()).optional(),
      }),
    ])
    .optional(),
  estimate: z
    .union([
      z.literal(false),
      z.strictObject({ dims: z.record(z.string(), positiveInt).optional(), batch: positiveInt.optional(), seqLen: positiveInt.optional() }),
    ])
    .optional(),
  /** The serving request is parsed and checked by parseServe (src/serve/); here only its shape. */
  serve: z.strictObject({ request: z.looseObject({}), llmConfig: z.string().min(1).optional() }).optional(),
  effortDays: effortDaysOverride.optional(),
});

// Every option check() takes has a schema entry: a new option without one fails to compile here.
const everyOptionChecked: Exclude<keyof CheckOptions, keyof z.infer<typeof checkOptionsSchema>> extends never ? true : false = true;
void everyOptionChecked;

/**
 * Checks what a library caller passed to check(model, options): a UsageError naming the option
 * and what was expected, instead of a TypeError from deep inside the pipeline.
 */
export function validateCheckArgs(modelPath: unknown, options: unknown): void {
  if (typeof modelPath !== 'string' || modelPath === '') {
    throw new UsageError(`check(): the model must be a path (a non-empty string), got ${describe(modelPath)}`);
  }
  if (options === undefined) return;
  const parsed = checkOptionsSchema.safeParse(options);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `options.${issue.path.join('.')}` : 'options';
  throw new UsageError(`check(): ${where}: ${issue.message}`);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return 'an empty string';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
