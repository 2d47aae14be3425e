import { copyFile, link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DataTypeName } from '../onnx/data-types.js';
import type { ModelIR } from '../onnx/ir.js';
import { RewriteError } from '../onnx/rewrite.js';
import { externalDataRefusal, hasExternalData } from '../runtime/external-data-guard.js';
import { prepareInputs, type PreparedInput } from '../runtime/inputs.js';
import { loadOrt, type OrtModule } from '../runtime/load-ort.js';
import { plainOrtReason } from '../runtime/ort-errors.js';
import type { InputUsed } from '../runtime/types.js';
import { compareOutputs } from './compare-outputs.js';
import { compilerView, type CompilerView } from './compiler-view.js';
import { planRounding, type RoundingPlan } from './emulate-model.js';
import { nodeAt } from './node-at.js';
import { toFeeds, type FetchedTensor } from './ort-values.js';
import { buildSideBySide, COUNTS, ROW, WEIGHT_COUNTS, WEIGHT_ROW, type MetricRow } from './side-by-side.js';
import type { NodeAt, OutputComparison, PrecisionOptions, Thresholds } from './types.js';
import { mainValueTypes } from './value-types.js';
import type { TargetPrecision } from '../profiles/precision-policy.js';
import { TYPE_LABEL } from './type-labels.js';
import { nameRecord, ownValue } from '../own-keys.js';

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

/**
 * What every emulation pass of one model shares, prepared once: the graph as the target's compiler
 * converts it, the element type of each value, and the inputs. Release it with `releaseEmulation`.
 */
export interface EmulationBase {
  ort: OrtModule;
  /** The model as given (node names in results are mapped back to it). */
  model: ModelIR;
  view: CompilerView;
  types: ReadonlyMap<string, DataTypeName>;
  inputs: PreparedInput[];
  inputsUsed: InputUsed[];
  assumptions: string[];
  sessionOptions: Record<string, unknown>;
  workDir: string;
  /** Set for a model with external data: the combined model is written beside links to its data files. */
  external: boolean;
}

export type PreparedEmulation =
  | { status: 'ok'; base: EmulationBase }
  | { status: 'failed'; reason: string; inputsUsed: InputUsed[]; assumptions: string[]; reference?: CompilerView['reference'] };

/** One value's metrics from an emulation pass. `identical`: nothing upstream is rounded, so both paths share it. */
export interface NodeMetrics extends NodeAt {
  output: string;
  /** A weight stored in fp16 (only its range is looked at), not a node output. */
  weight?: true;
  /** The emulated path stores this value in fp16 (values beyond 65504 overflow). */
  fp16: boolean;
  identical?: true;
  elements: number;
  compared: number;
  cosine: number;
  maxAbsError: number;
  rmse: number;
  relativeEuclidean: number | null;
  newNonFinite: number;
  referenceMaxAbs: number;
  beyondFp16: number;
}

export interface EmulationPass {
  status: 'ok' | 'failed';
  reason?: string;
  plan?: Omit<RoundingPlan, 'rounded' | 'roundedWeights' | 'inputRounding' | 'bodyRounding'> & { changes: boolean };
  /** Each model output compared (names of the model's graph). */
  outputs: OutputComparison[];
  /** Every main-graph float value, in topological order (node names of the graph emulated: see `view`). */
  nodes: NodeMetrics[];
}

/**
 * Prepares the emulation of a model: compiler view, value types, inputs. A model with external data
 * is emulated as exported (ONNX Runtime cannot save a folded copy without reading its weights into
 * the copy); its data files are linked beside the copy, never read by port-check.
 */
export async function prepareEmulation(modelPath: string, model: ModelIR, options: PrecisionOptions = {}): Promise<PreparedEmulation> {
  const failed = (reason: string, more: Partial<Extract<PreparedEmulation, { status: 'failed' }>> = {}): PreparedEmulation =>
    ({ status: 'failed', reason, inputsUsed: [], assumptions: [], ...more });
  if (!model.graphs[0]) return failed('the model has no main graph');
  const refusal = await externalDataRefusal(modelPath, model);
  if (refusal) return failed(refusal);
  let ort: OrtModule;
  try {
    ort = await loadOrt();
  } catch (e) {
    return failed(`onnxruntime-node cannot be loaded here: ${plainOrtReason(e)}`);
  }
  const sessionOptions: Record<string, unknown> = {
    executionProviders: ['cpu'],
    // Unoptimised, so ONNX Runtime neither folds the rounding Casts away nor fuses the two paths differently.
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 4,
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  };
  const workDir = await mkdtemp(join(tmpdir(), 'port-check-precision-'));
  const external = hasExternalData(model);
  try {
    const bytes = new Uint8Array(await readFile(modelPath));
    let view: CompilerView | { error: string };
    if (external) {
      await linkExternalData(model, workDir);
      view = {
        bytes, model,
        notes: ['the graph is emulated as exported, without folding: the model keeps its weights in external data, which a folded copy would have to hold'],
      };
    } else {
      view = await compilerView(ort, bytes, model, workDir, sessionOptions, options.fold !== false, options.upcastFrom);
    }
    if ('error' in view) {
      await rm(workDir, { recursive: true, force: true });
      return failed(view.error);
    }
    const prepared = await prepareInputs(model, options, view.upcastFrom);
    const inputsUsed = prepared.inputs.map(({ name, dtype, dims, source, detail }) => ({ name, dtype, dims, source, detail }));
    const assumptions = [...view.notes, ...prepared.assumptions];
    if (!prepared.ok) {
      await rm(workDir, { recursive: true, force: true });
      return failed(`not run: ${prepared.reason}`, { inputsUsed, assumptions, ...(view.reference ? { reference: view.reference } : {}) });
    }
    const base: EmulationBase = { ort, model, view, types: new Map(), inputs: prepared.inputs, inputsUsed, assumptions, sessionOptions, workDir, external };
    const types = await mainValueTypes(view.model, view.bytes, (b) => createSession(base, b));
    if (types.fallback) assumptions.push(types.fallback);
    return { status: 'ok', base: { ...base, types: types.types } };
  } catch (e) {
    await rm(workDir, { recursive: true, force: true });
    throw e;
  }
}

export async function releaseEmulation(base: EmulationBase): Promise<void> {
  await rm(base.workDir, { recursive: true, force: true });
}

/**
 * One emulation pass: the policy applied to the compiler view, run side by side with the fp32
 * reference in one session, every main-graph value compared inside the graph. `keepFp32` names
 * nodes (of the view's graph) or op types left in their own precision on top of the policy's: the
 * probe of a keep-fp32 search. Never throws for what the model does.
 */
export async function emulationPass(
  base: EmulationBase, policy: TargetPrecision, options: { thresholds: Thresholds; keepFp32?: Iterable<string> },
): Promise<EmulationPass> {
  const keep = [...(options.keepFp32 ?? [])];
  const effective = keep.length > 0 ? { ...policy, keepOps: [...new Set([...policy.keepOps, ...keep])] } : policy;
  const model = base.view.model;
  const main = model.graphs[0]!;
  const { rounded, roundedWeights, inputRounding, bodyRounding, ...said } = planRounding(model, base.types, effective, { bodies: true });
  const changes = rounded.size > 0 || roundedWeights.size > 0 || inputRounding.size > 0 || (bodyRounding?.size ?? 0) > 0;
  const plan = { ...said, changes };
  for (const [name, steps] of inputRounding) {
    const dtype = main.inputs.find((i) => i.name === name)?.dtype ?? 'FLOAT';
    plan.emulated.push(`graph input '${name}' (${TYPE_LABEL[dtype] ?? dtype}) rounded to ${steps.map((s) => TYPE_LABEL[s] ?? s).join(' then ')} before it is fed`);
  }
  if (!changes) return { status: 'ok', plan, outputs: [], nodes: [] };

  let built;
  try {
    built = buildSideBySide(base.view.bytes, model, base.types, { rounded, roundedWeights, inputRounding, ...(bodyRounding ? { bodyRounding } : {}), ...said });
  } catch (e) {
    if (e instanceof RewriteError) return { status: 'failed', reason: `the emulated copy cannot be built: ${e.message}`, plan, outputs: [], nodes: [] };
    throw e;
  }
  let session: Session;
  try {
    session = await createSession(base, built.bytes);
  } catch (e) {
    return { status: 'failed', reason: `the emulated copy does not load in ONNX Runtime: ${plainOrtReason(e)}`, plan, outputs: [], nodes: [] };
  }
  let out: Record<string, FetchedTensor>;
  try {
    out = (await session.run(toFeeds(base.ort, base.inputs) as never, built.fetches)) as unknown as Record<string, FetchedTensor>;
  } catch (e) {
    return { status: 'failed', reason: `the model does not run on ONNX Runtime's CPU provider here: ${plainOrtReason(e)}`, plan, outputs: [], nodes: [] };
  } finally {
    await session.release();
  }
  const names = main.outputs.map((o) => o.name);
  // Keyed by the model's output names, which may be "__proto__" or "constructor".
  const reference = nameRecord<FetchedTensor>();
  const emulated = nameRecord<FetchedTensor>();
  for (const n of names) {
    const ref = ownValue(out, built.fetched.reference.get(n)!);
    const emu = ownValue(out, built.fetched.emulated.get(n)!);
    if (ref) reference[n] = ref;
    if (emu) emulated[n] = emu;
  }
  const outputs = compareOutputs(model, names, reference, emulated, options.thresholds);
  const nodes = built.values.map((v) => (v.row === undefined ? identicalMetrics(v) : rowMetrics(v, ownValue(out, built.metricsOutputs[v.row.output]!)?.data as Float32Array | undefined)));
  for (const t of Object.values(out)) t.dispose?.();
  return { status: 'ok', plan, outputs, nodes };
}

async function createSession(base: EmulationBase, bytes: Uint8Array): Promise<Session> {
  if (!base.external) return base.ort.InferenceSession.create(bytes, base.sessionOptions);
  // ONNX Runtime finds external data beside the model file: write the copy where the links are.
  const path = join(base.workDir, 'model.onnx');
  await writeFile(path, bytes);
  return base.ort.InferenceSession.create(path, base.sessionOptions);
}

/**
 * Puts each external data file the model names into `dir`, under the same relative path: a hard
 * link, or where the folders are on different file systems a copy made by the kernel (the bytes
 * never pass through JavaScript). ONNX Runtime refuses symbolic links that lead out of the folder.
 */
async function linkExternalData(model: ModelIR, dir: string): Promise<void> {
  const linked = new Set<string>();
  for (const g of model.graphs) {
    for (const t of [...g.initializers, ...g.sparseInitializers, ...g.nodes.flatMap((n) => n.attributes.flatMap((a) => a.tensors ?? []))]) {
      const ext = t.external;
      if (!ext?.resolvedPath || linked.has(ext.location)) continue;
      linked.add(ext.location);
      const at = join(dir, ext.location);
      await mkdir(dirname(at), { recursive: true });
      await link(ext.resolvedPath, at).catch(() => copyFile(ext.resolvedPath!, at));
    }
  }
}

function rowMetrics(row: MetricRow, values: Float32Array | undefined): NodeMetrics {
  const base = { ...nodeAt(row.node), output: row.value, fp16: row.fp16 };
  const finite = (v: number): number => (Number.isFinite(v) ? v : Number.MAX_VALUE);
  const { at: rowAt = 0, countsAt = 0 } = row.row ?? {};
  const value = (offset: number): number => values?.[offset] ?? NaN;
  // An empty value's max and min are ±Inf (nothing to reduce): its largest |x| is 0.
  const maxAbs = (max: number, min: number): number => (max === -Infinity && min === Infinity ? 0 : finite(Math.max(Math.abs(max), Math.abs(min))));
  if (row.weight) {
    const at = (k: keyof typeof WEIGHT_ROW): number => value(rowAt + WEIGHT_ROW[k]);
    return {
      ...base, weight: true, elements: at('elements'), compared: 0, cosine: 1, maxAbsError: 0, rmse: 0, relativeEuclidean: 0,
      newNonFinite: 0, referenceMaxAbs: maxAbs(at('referenceMax'), at('referenceMin')), beyondFp16: value(countsAt + WEIGHT_COUNTS.beyondFp16),
    };
  }
  const at = (k: keyof typeof ROW): number => value(rowAt + ROW[k]);
  const count = (k: keyof typeof COUNTS): number => value(countsAt + COUNTS[k]);
  const [rr, ee, dd, n] = [at('sumRefSquared'), at('sumEmuSquared'), at('sumDiffSquared'), at('elements')];
  // Non-finite values make the sums NaN: then only the count says anything.
  const newNonFinite = Math.max(0, count('emulatedNonFinite') - count('referenceNonFinite'));
  let cosine: number;
  if (dd === 0) cosine = 1;
  else if (rr === 0 || ee === 0) cosine = 0;
  else {
    // 1 − cos = (|d|² − (|e| − |r|)²) / (2|r||e|): no cancellation between two large sums.
    const [r, e] = [Math.sqrt(rr), Math.sqrt(ee)];
    const c = 1 - (dd - (e - r) * (e - r)) / (2 * r * e);
    cosine = Number.isFinite(c) ? Math.max(-1, Math.min(1, c)) : 0;
  }
  return {
    ...base, elements: n, compared: n,
    cosine,
    maxAbsError: maxAbs(at('diffMax'), at('diffMin')),
    rmse: n > 0 ? finite(Math.sqrt(dd / n)) : 0,
    relativeEuclidean: dd === 0 ? 0 : rr > 0 && Number.isFinite(dd / rr) ? Math.sqrt(dd / rr) : null,
    newNonFinite, referenceMaxAbs: maxAbs(at('referenceMax'), at('referenceMin')), beyondFp16: count('beyondFp16'),
  };
}

function identicalMetrics(row: MetricRow): NodeMetrics {
  return {
    ...nodeAt(row.node), output: row.value, fp16: false, identical: true, elements: 0, compared: 0,
    cosine: 1, maxAbsError: 0, rmse: 0, relativeEuclidean: 0, newNonFinite: 0, referenceMaxAbs: 0, beyondFp16: 0,
  };
}
