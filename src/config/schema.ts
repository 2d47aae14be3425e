import { z } from 'zod';
import type { FailOn } from '../cli/exit-code.js';
import { FORMAT_NAMES } from '../report/format-names.js';
import { compileGlob } from './glob.js';
import { effortDaysOverride, type EffortDaysOverride } from '../profiles/schema.js';

/** The output formats a config may name (the CLI's --format choices). */
export const CONFIG_FORMATS = FORMAT_NAMES;

const glob = z.string().min(1).superRefine((g, ctx) => {
  try {
    compileGlob(g);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

/** A list, or one comma-separated string (`targets: h20,ascend-910b`), as on the command line. */
const targetList = z
  .union([z.string(), z.array(z.string().min(1))])
  .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter(Boolean));

const failOn = z.enum(['error', 'warning', 'info', 'never']);

/** Findings to leave out, by any combination of rule (or rule/code), op, target and model glob. */
const ignoreRule = z
  .strictObject({
    /** "op-support" or "op-support/unknown-op". */
    rule: z.string().min(1).optional(),
    /** "Attention" or "com.microsoft::Attention". */
    op: z.string().min(1).optional(),
    /** A target id. */
    target: z.string().min(1).optional(),
    /** A glob over model paths, relative to the config file's folder. */
    model: glob.optional(),
    /** Why: for the reader of the config; not used. */
    reason: z.string().optional(),
  })
  .refine((r) => r.rule !== undefined || r.op !== undefined || r.target !== undefined || r.model !== undefined, {
    message: 'an ignore entry needs at least one of rule, op, target or model',
  });

/** Input shapes and values for the models a glob matches, for runs. */
const modelInputs = z.strictObject({
  model: glob,
  /** Values of symbolic dimensions by name, e.g. { batch: 1, sequence: 128 }. */
  dims: z.record(z.string(), z.number().int().positive()).optional(),
  /** Full shapes per graph input name, e.g. { input_ids: [1, 128] }. */
  shapes: z.record(z.string(), z.array(z.number().int().nonnegative()).max(16)).optional(),
  /** Values per graph input name: one number fills the tensor, a list gives it element by element. */
  values: z.record(z.string(), z.union([z.number(), z.array(z.number()).max(65_536)])).optional(),
});

export const configSchema = z.strictObject({
  targets: targetList.optional(),
  failOn: failOn.optional(),
  ignore: z.array(ignoreRule).default([]),
  inputs: z.array(modelInputs).default([]),
  format: z.enum(CONFIG_FORMATS).optional(),
  /** The report file, relative to the config file's folder. */
  output: z.string().min(1).optional(),
  /** Engineer-days per finding of each effort class, replacing the target profiles' rates. */
  effortDays: effortDaysOverride.optional(),
  /** The repository root that SARIF, Code Climate and JUnit locate models from, relative to the config file's folder (default: found from .git). */
  root: z.string().min(1).optional(),
  /** The LLM serving plan, as --serve takes it: "batch=32,context=4096,output=512[,precision=int8,...]". */
  serve: z.string().min(1).max(500).optional(),
  /** A TPOT to meet, milliseconds (--tpot-ms). */
  tpotMs: z.number().positive().max(1e7).optional(),
  /** A Hugging Face config.json for the plan (--llm-config), relative to the config file's folder. */
  llmConfig: z.string().min(1).optional(),
});

export type ConfigData = z.infer<typeof configSchema>;
export type IgnoreRule = z.infer<typeof ignoreRule>;
export type ModelInputs = z.infer<typeof modelInputs>;
export type { EffortDaysOverride };

// The config's fail-on choices are the CLI's.
const sameFailOn: [z.infer<typeof failOn>] extends [FailOn] ? ([FailOn] extends [z.infer<typeof failOn>] ? true : false) : false = true;
void sameFailOn;
