import { z } from 'zod';

/**
 * The schema of a target profile (profiles/*.yaml, or a user's --profile file). A target is data:
 * everything the checks know about a target comes from here, and every verdict carries a source
 * key that resolves in `sources`.
 */

export const supportLevel = z.enum(['supported', 'degraded', 'unsupported', 'unknown']);
export const effortClass = z.enum(['none', 'low', 'medium', 'high']);
export const confidence = z.enum(['high', 'medium', 'low']);
/**
 * Where an op would run on the target: 'aicore' / 'aicpu' (the NPU's compute cores / its ARM
 * control cores), 'decomposed' (expanded into a subgraph of AI Core ops), 'ge' (GE runs it itself:
 * shape and relabelling ops, constants, control flow), 'cuda' / 'tensorrt' / 'cpu-fallback' (ORT's
 * CPU provider beside the CUDA EP), 'ort-builtin' (ONNX Runtime handles it when it loads the model:
 * Constant becomes an initializer), 'host', 'none' (nothing runs it).
 */
export const engine = z.enum([
  'aicore', 'aicpu', 'decomposed', 'ge', 'host', 'cuda', 'tensorrt', 'cpu-fallback', 'ort-builtin', 'none',
]);
export { DEVICE_ENGINES, FALLBACK_EFFORT_DAYS } from './constants.js';
export const precisionFamily = z.enum([
  'fp64', 'fp32', 'fp16', 'bf16', 'fp8', 'fp4', 'int64', 'int32', 'int16', 'int8', 'int4', 'int2',
  'bool', 'string', 'complex',
]);

/** A list of keys into the profile's `sources` table. */
const sourceRefs = z.array(z.string().min(1)).min(1);

const figure = z.strictObject({
  value: z.number().nonnegative(),
  confidence,
  source: sourceRefs,
  note: z.string().optional(),
});

/**
 * A figure where zero means nothing real: no memory, no bandwidth, no throughput would divide by
 * zero or say "738 KiB of 0 B: needs 1 chips". A precision the target lacks is left out instead.
 */
const positiveFigure = figure.extend({ value: z.number().positive() });

const source = z.strictObject({
  title: z.string().min(1),
  /** A file of this repository's knowledge/ folder, relative to the repository root. */
  file: z.string().optional(),
  /** Where the fact comes from upstream: repository path, page address, document. */
  upstream: z.string().optional(),
  confidence: confidence.optional(),
});

const opSupport = z.strictObject({
  op: z.string().min(1),
  /** 'ai.onnx', 'com.microsoft', ... */
  domain: z.string().min(1).default('ai.onnx'),
  level: supportLevel,
  /** Opset range the verdict holds for (inclusive). */
  since: z.number().int().nonnegative().optional(),
  until: z.number().int().nonnegative().optional(),
  engine: engine.optional(),
  /** Element types the target takes for this op; absent = not known to be limited. */
  dtypes: z.array(precisionFamily).optional(),
  /** What the op becomes on the target (CANN op type, CUDA kernel...). */
  mapsTo: z.string().optional(),
  note: z.string().optional(),
  remedy: z.string().optional(),
  effort: effortClass.optional(),
  source: sourceRefs,
});

const domainPolicy = z.strictObject({
  level: supportLevel,
  /** Where such ops run, when the policy lets them run (TensorRT plugins: in TensorRT). */
  engine: engine.optional(),
  remedy: z.string().min(1),
  effort: effortClass,
  source: sourceRefs,
  note: z.string().optional(),
});

const precisionSupport = z.strictObject({
  level: supportLevel,
  /** What the target does with such tensors instead (e.g. "computed in fp16 under force_fp16"). */
  note: z.string().optional(),
  remedy: z.string().optional(),
  effort: effortClass.optional(),
  source: sourceRefs,
});

const feature = z.strictObject({
  id: z.string().min(1),
  /** The CUDA-side feature. */
  cuda: z.string().min(1),
  /** Its counterpart on this target, or 'none'. */
  counterpart: z.string().min(1),
  level: supportLevel,
  note: z.string().optional(),
  remedy: z.string().optional(),
  effort: effortClass.optional(),
  /** Ops (domain::Op or Op) whose presence in a model means the feature is used. */
  ops: z.array(z.string()).optional(),
  source: sourceRefs,
});

/** Engineer-days [fewest, most] for one work item. */
const dayRange = z
  .tuple([z.number().nonnegative().max(10_000), z.number().nonnegative().max(10_000)])
  .refine(([min, max]) => min <= max, { message: 'a range [fewest, most] with fewest ≤ most' });

/**
 * Engineer-days one finding of each effort class takes to port (a finding is one work item: an op
 * type to map or rewrite, a feature to move, a precision to re-check). Overridable in the config file.
 */
export const effortDays = z.strictObject({
  low: dayRange,
  medium: dayRange,
  high: dayRange,
  note: z.string().optional(),
  source: sourceRefs,
});

/** The config file's effortDays: any of the classes, replacing the profiles' rates. */
export const effortDaysOverride = z.strictObject({ low: dayRange.optional(), medium: dayRange.optional(), high: dayRange.optional() });
export type EffortDaysOverride = z.infer<typeof effortDaysOverride>;

/** How the target's offline compiler (ATC) is called, for `port-check plan`. */
const atc = z.strictObject({
  /** Values ATC's --soc_version accepts for this target; the first is the kit's default. */
  socVersions: z.array(z.string().regex(/^[A-Za-z0-9_]+$/, 'a SoC name like Ascend910B3')).min(1),
  /** ATC's --precision_mode value that is `precision.policy`. */
  precisionMode: z.string().regex(/^[a-z0-9_]+$/, 'an ATC precision mode like force_fp16'),
  note: z.string().optional(),
  source: sourceRefs,
});

export const profileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case id like ascend-910c'),
  name: z.string().min(1),
  vendor: z.string().min(1),
  kind: z.enum(['gpu', 'npu', 'cpu']),
  /** One line for `port-check targets`. */
  summary: z.string().min(1),
  sources: z.record(z.string(), source),

  hardware: z.strictObject({
    memoryGiB: positiveFigure,
    memoryBandwidthTBs: positiveFigure,
    /** Dense peak per precision, TFLOPS (TOPS for integer types). */
    peakTflops: z.partialRecord(precisionFamily, positiveFigure),
    interconnect: z.strictObject({
      name: z.string().min(1),
      /** Per-chip bandwidth to peers, GB/s, one direction. */
      bandwidthGBs: positiveFigure,
      note: z.string().optional(),
    }),
    /**
     * The link between the accelerator and the host (PCIe), per direction: what a tensor crossing
     * between a device partition and a host-side one (AI CPU, ORT's CPU provider) costs.
     */
    hostLink: z.strictObject({ name: z.string().min(1), bandwidthGBs: figure }).optional(),
    /**
     * The scale-up domain: the chips one fast link joins (an NVLink board, an HCCS mesh, a UB
     * supernode), what the serving plan spreads tensor and expert parallelism over.
     */
    scaleUp: z.strictObject({
      name: z.string().min(1),
      /** Chips in one domain. */
      chips: figure,
      topology: z.string().min(1),
      /** Per-chip bandwidth into the domain, GB/s, one direction. */
      bandwidthGBs: figure,
      note: z.string().optional(),
    }).optional(),
    tdpW: positiveFigure.optional(),
  }),

  software: z.strictObject({
    compiler: z.string().min(1),
    runtime: z.string().min(1),
    collectives: z.string().min(1),
    features: z.array(feature).default([]),
    /** Present when models are compiled offline with ATC (the Ascend targets). */
    atc: atc.optional(),
  }),

  /** Absent: FALLBACK_EFFORT_DAYS. */
  effortDays: effortDays.optional(),

  precision: z.strictObject({
    support: z.partialRecord(precisionFamily, precisionSupport),
    /** The policy the target's compiler applies by default. */
    policy: z.strictObject({
      name: z.string().min(1),
      /** Float tensors are computed in this precision by default. */
      compute: z.enum(['fp32', 'fp16', 'bf16']),
      /** Families the policy converts (e.g. [fp32, bf16] under force_fp16). */
      converts: z.array(precisionFamily).default([]),
      /** Op types the policy keeps in higher precision. */
      keepOps: z.array(z.string()).default([]),
      note: z.string().optional(),
      source: sourceRefs,
    }),
  }),

  opsets: z.strictObject({
    /** How the compiler matches an op to its parser: 'exact' = domain::opset::Op must be listed. */
    matching: z.enum(['exact', 'range']),
    /** Supported opset window per domain. */
    window: z.record(z.string(), z.strictObject({ min: z.number().int(), max: z.number().int() })),
    source: sourceRefs,
    remedy: z.string().min(1),
  }),

  ops: z.strictObject({
    /** Verdict for a standard op the profile has no evidence for: 'unknown', never 'supported'. */
    unlisted: z.strictObject({ level: supportLevel, note: z.string().optional(), source: sourceRefs }),
    entries: z.array(opSupport),
  }),

  /** How ops in non-standard domains are treated. */
  domains: z.strictObject({
    'com.microsoft': domainPolicy,
    tensorrt: domainPolicy,
    custom: domainPolicy,
  }),

  /** Op types that compile but run slowly (AI CPU, int64 index math), beyond per-op engine data. */
  slowOps: z.array(z.strictObject({
    op: z.string().min(1),
    reason: z.string().min(1),
    /** The op is slow only on these element types (int64 index math); absent = on any. */
    dtypes: z.array(precisionFamily).optional(),
    source: sourceRefs,
  })).default([]),

  /**
   * The versions the evidence reflects: toolkit releases and source commits, so that a verdict can
   * be dated and rechecked ("hicann/ops-nn@e5c3fa9, 2026-08-22").
   */
  evidence: z.array(z.strictObject({
    /** What was read: "CANN ONNX parser plugins (hicann/ops-nn)", "ONNX Runtime kernel registrations". */
    component: z.string().min(1),
    version: z.string().min(1).optional(),
    commit: z.string().min(1).optional(),
    date: z.string().min(1).optional(),
    source: sourceRefs,
  })).default([]),

  limits: z.strictObject({
    dynamicShapes: z.strictObject({ level: supportLevel, remedy: z.string(), source: sourceRefs }),
    controlFlow: z.strictObject({ level: supportLevel, remedy: z.string(), source: sourceRefs }),
    quantization: z.strictObject({ level: supportLevel, remedy: z.string(), source: sourceRefs }),
  }),
});

export type Profile = z.infer<typeof profileSchema>;
export type SupportLevel = z.infer<typeof supportLevel>;
export type EffortClass = z.infer<typeof effortClass>;
export type EffortDays = z.infer<typeof effortDays>;
export type AtcSettings = z.infer<typeof atc>;
export type OpSupport = z.infer<typeof opSupport>;
export type ProfilePrecisionFamily = z.infer<typeof precisionFamily>;
