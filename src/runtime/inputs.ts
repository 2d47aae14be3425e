import { formatBytes } from '../findings/format-values.js';
import { byteSizeOf, type DataTypeName } from '../onnx/data-types.js';
import type { ModelIR, ValueInfoIR } from '../onnx/ir.js';
import { UsageError } from '../errors.js';
import { gatherIndexBounds } from './gather-bounds.js';
import { readInputFile, type FileTensor } from './input-files.js';
import { checkGivenShape, elementCount, formatDims, resolveInputDims } from './input-dims.js';
import { ORT_TYPE, allocate, fillValues, isIntegerType, type OrtTypeName, type TensorData } from './input-values.js';
import { createPrng, seedFor } from './prng.js';
import type { InputUsed, RunOptions } from './types.js';

export const DEFAULT_SEED = 1;
export const DEFAULT_MAX_INPUT_MB = 512;
/** Silero VAD's `sr` input: 16 kHz is the rate its published models are trained for. */
export const DEFAULT_SAMPLE_RATE = 16000;

export interface PreparedInput extends InputUsed {
  ortType: OrtTypeName;
  data: TensorData;
}

export type PreparedInputs =
  | { ok: true; inputs: PreparedInput[]; assumptions: string[] }
  | { ok: false; reason: string; inputs: InputUsed[]; assumptions: string[] };

interface Plan {
  input: ValueInfoIR;
  dtype: DataTypeName;
  dims: number[];
  source: InputUsed['source'];
  file?: FileTensor;
  path?: string;
  value?: number;
  valueWhy?: string;
}

/**
 * The feeds of a run: one tensor per main-graph input (initializers excluded), from the user's
 * file or value where given, otherwise synthesised from the declared type and shape with a seeded
 * PRNG. Throws UsageError for options that name no input or a file that cannot be read; returns
 * `ok: false` for what the model declares and the run cannot feed (no shape, a type
 * onnxruntime-node has no tensor for, a size above maxInputMB).
 *
 * `retypedFrom` names an element type the run upcasts to FLOAT (a reference run of a bf16 model):
 * inputs declared with it are fed as FLOAT.
 */
export async function prepareInputs(
  model: ModelIR, options: RunOptions, retypedFrom?: DataTypeName,
): Promise<PreparedInputs> {
  const main = model.graphs[0];
  const assumptions: string[] = [];
  if (!main) return { ok: false, reason: 'the model has no main graph', inputs: [], assumptions };
  const initializers = new Set(main.initializers.map((t) => t.name));
  const declared = main.inputs.filter((i) => !initializers.has(i.name));
  checkOptionNames(declared, options);

  const maxBytes = (options.maxInputMB ?? DEFAULT_MAX_INPUT_MB) * 2 ** 20;
  const named = new Map<string, number>(Object.entries(options.dims ?? {}));
  const plans: Plan[] = [];
  for (const input of declared) {
    if (input.kind !== 'tensor' || input.dtype === undefined) {
      return fail(`input '${input.name}' is a ${input.kind === 'tensor' ? 'tensor of unknown type' : input.kind}; the run can only feed tensors`, plans, assumptions);
    }
    const dtype = input.dtype === retypedFrom ? 'FLOAT' : input.dtype;
    if (!ORT_TYPE[dtype]) {
      return fail(`input '${input.name}' is ${dtype}, which onnxruntime-node cannot feed`, plans, assumptions);
    }
    const path = options.inputs?.[input.name];
    if (path !== undefined) {
      const file = await readInputFile(input.name, path, maxBytes);
      const err = checkGivenShape(input, file.dims);
      if (err) throw new UsageError(`--input ${input.name}=${path}: the file's shape ${file.dims.join('x') || '(scalar)'}: ${err}`);
      plans.push({ input, dtype, dims: file.dims, source: 'file', file, path });
      continue;
    }
    let dims: number[];
    const shape = options.shapes?.[input.name];
    if (shape) {
      const err = checkGivenShape(input, shape);
      if (err) throw new UsageError(`--shape ${input.name}=${shape.join('x')}: ${err}`);
      dims = shape;
    } else {
      const resolved = resolveInputDims(input, options.dims ?? {}, named);
      if ('error' in resolved) return fail(resolved.error, plans, assumptions);
      dims = resolved.dims;
      assumptions.push(...resolved.notes);
    }
    const given = options.inputValues?.[input.name];
    if (given !== undefined) {
      plans.push({ input, dtype, dims, source: 'value', value: given, valueWhy: 'given with --input-value' });
    } else if (/^sr$/i.test(input.name) && isIntegerType(dtype) && elementCount(dims) === 1) {
      plans.push({
        input, dtype, dims, source: 'value', value: DEFAULT_SAMPLE_RATE,
        valueWhy: `default for an integer scalar named '${input.name}' (Silero VAD's sample rate); set it with --input-value ${input.name}=8000`,
      });
      assumptions.push(`input '${input.name}' = ${DEFAULT_SAMPLE_RATE} (a sample rate, as Silero VAD expects; --input-value ${input.name}=N to change)`);
    } else {
      plans.push({ input, dtype, dims, source: 'synthesised' });
    }
  }

  // The bound is checked on the plan, before a single input byte is allocated.
  let total = 0;
  for (const p of plans) {
    const count = elementCount(p.dims);
    const bytes = p.dtype === 'STRING' ? count * 16 : byteSizeOf(p.dtype, count) ?? Infinity;
    total += bytes;
    if (!Number.isFinite(total) || total > maxBytes) {
      return fail(
        `the inputs would take ${describeBytes(total)} (input '${p.input.name}' alone is ${p.dtype} ` +
          `[${p.dims.join(', ')}], ${describeBytes(bytes)}), above the limit of ${formatBytes(maxBytes)}; ` +
          'give smaller dims with --dim/--shape, or raise --max-input-mb',
        plans, assumptions,
      );
    }
  }

  const bounds = gatherIndexBounds(main, plans.map((p) => p.input.name));
  const seed = options.seed ?? DEFAULT_SEED;
  const inputs: PreparedInput[] = [];
  for (const p of plans) {
    const count = elementCount(p.dims);
    const data = allocate(p.dtype, count);
    let detail: string;
    let err: string | undefined;
    if (p.source === 'file') {
      const values = p.file!.values;
      err = fillValues(data, p.dtype, (i) => values[i]!);
      detail = p.file!.dtype && p.file!.dtype !== p.dtype
        ? `${p.path} (${p.file!.dtype} converted to ${p.dtype})`
        : p.path!;
      if (err) throw new UsageError(`--input ${p.input.name}=${p.path}: ${err} for a ${p.dtype} input`);
    } else if (p.source === 'value') {
      err = fillValues(data, p.dtype, () => p.value!);
      detail = `${p.value} (${p.valueWhy})`;
      if (err) throw new UsageError(`--input-value ${p.input.name}=${p.value}: ${err} for a ${p.dtype} input`);
    } else {
      detail = synthesise(data, p, bounds.get(p.input.name), seed);
    }
    inputs.push({
      name: p.input.name, dtype: p.dtype, dims: p.dims, source: p.source, detail,
      ortType: ORT_TYPE[p.dtype]!, data,
    });
  }
  if (plans.some((p) => p.source === 'synthesised')) assumptions.push(`synthesised inputs drawn with seed ${seed}`);
  const usedDims = new Set(declared.flatMap((i) => (i.dims ?? []).filter((d): d is string => typeof d === 'string')));
  for (const name of Object.keys(options.dims ?? {})) {
    if (!usedDims.has(name)) assumptions.push(`--dim ${name} was given, but no input has a dim of that name`);
  }
  return { ok: true, inputs, assumptions };
}

function synthesise(data: TensorData, p: Plan, bound: { bound: number; via: string } | undefined, seed: number): string {
  const rand = createPrng(seedFor(seed, p.input.name));
  if (p.dtype === 'FLOAT' || p.dtype === 'DOUBLE' || p.dtype === 'FLOAT16') {
    fillValues(data, p.dtype, () => rand());
    return `uniform in [0, 1) from seed ${seed}`;
  }
  if (isIntegerType(p.dtype) && bound) {
    fillValues(data, p.dtype, () => Math.floor(rand() * bound.bound));
    return `uniform integers in [0, ${bound.bound - 1}] (indices of ${bound.via}) from seed ${seed}`;
  }
  if (isIntegerType(p.dtype)) {
    fillValues(data, p.dtype, () => 1);
    return 'all 1 (no valid range known: a mask of ones, a count or index of one)';
  }
  if (p.dtype === 'BOOL') {
    fillValues(data, p.dtype, () => true);
    return 'all true';
  }
  fillValues(data, p.dtype, () => 'a');
  return "all 'a'";
}

function checkOptionNames(declared: ValueInfoIR[], options: RunOptions): void {
  const names = new Set(declared.map((i) => i.name));
  const list = declared.map((i) => `${i.name} ${i.dtype ?? '?'}${i.dims ? formatDims(i.dims) : ''}`).join(', ');
  for (const [flag, map] of [['--shape', options.shapes], ['--input', options.inputs], ['--input-value', options.inputValues]] as const) {
    for (const name of Object.keys(map ?? {})) {
      if (!names.has(name)) throw new UsageError(`${flag} ${name}: the model has no input '${name}'; its inputs: ${list || '(none)'}`);
    }
  }
  for (const [name, value] of Object.entries(options.dims ?? {})) {
    if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--dim ${name}=${value}: a dim is a non-negative integer`);
  }
}

function fail(reason: string, plans: Plan[], assumptions: string[]): PreparedInputs {
  return {
    ok: false,
    reason,
    inputs: plans.map((p) => ({ name: p.input.name, dtype: p.dtype, dims: p.dims, source: p.source, detail: p.path ?? '' })),
    assumptions,
  };
}

function describeBytes(bytes: number): string {
  return Number.isFinite(bytes) ? formatBytes(bytes) : 'more bytes than can be counted';
}
