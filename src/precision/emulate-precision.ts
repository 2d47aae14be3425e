import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataTypeName } from '../onnx/data-types.js';
import type { ModelIR } from '../onnx/ir.js';
import { RewriteError } from '../onnx/rewrite.js';
import type { Profile } from '../profiles/schema.js';
import { UsageError } from '../errors.js';
import { listNames } from '../findings/format-values.js';
import { externalDataRefusal, hasExternalData } from '../runtime/external-data-guard.js';
import { prepareInputs } from '../runtime/inputs.js';
import { loadOrt, type OrtModule } from '../runtime/load-ort.js';
import { plainOrtReason } from '../runtime/ort-errors.js';
import { compilerView } from './compiler-view.js';
import { compareOutputs } from './compare-outputs.js';
import { buildEmulatedModel, type EmulatedModel } from './emulate-model.js';
import { keepDtypeLines } from './keep-dtype.js';
import { inModelTerms, modelNodeMapper } from './model-nodes.js';
import { compareLayers, nodeAt, type Tap } from './layerwise.js';
import { roundedFeeds, toFeeds, type FetchedTensor } from './ort-values.js';
import { resolvePolicy, TYPE_LABEL } from './policy.js';
import { resolveThresholds } from './thresholds.js';
import { topologicalOrder } from './topo-order.js';
import type { NodeAt, PrecisionMode, PrecisionOptions, PrecisionResult } from './types.js';
import { isFloatType, mainValueTypes } from './value-types.js';

export const PRECISION_MODES: readonly PrecisionMode[] = ['profile', 'fp16', 'bf16', 'fp32'];
export const DEFAULT_MAX_INTERMEDIATE_MB = 256;
// Each chunk is one more pair of sessions; on a 1024x1024 ISNet a chunk costs seconds on CPU, so a
// default --run stays within minutes. What is left unvisited is said in the result.
export const DEFAULT_MAX_LAYERWISE_CHUNKS = 16;

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

/**
 * Predicts what the target's precision policy costs in accuracy. From the graph the target's
 * compiler would convert (compilerView: constants and BatchNorms folded), it builds an emulated copy
 * (buildEmulatedModel), runs it and the unconverted graph on ONNX Runtime's CPU provider with the
 * same seeded inputs, compares every output, then every intermediate value in topological order to
 * find the first node that drifts and any fp16 overflow. Both copies run unoptimised, so ONNX
 * Runtime neither folds the rounding Casts away nor fuses the two differently.
 *
 * Never throws for what the model does: a model that cannot run here gives `status: 'failed'` and
 * the reason. Throws UsageError for options that make no sense (an unknown mode or threshold, an
 * input the model does not have).
 */
export async function emulatePrecision(
  modelPath: string, model: ModelIR, profile: Profile, options: PrecisionOptions = {},
): Promise<PrecisionResult> {
  const mode = options.precision ?? 'profile';
  if (!PRECISION_MODES.includes(mode)) {
    throw new UsageError(`--precision ${String(mode)}: expected one of ${PRECISION_MODES.join(', ')}`);
  }
  const result: PrecisionResult = {
    status: 'failed', mode, target: profile.id, policy: resolvePolicy(profile, mode, options.keep),
    emulated: [], notEmulated: [], inputs: [], assumptions: [], thresholds: resolveThresholds(options.thresholds),
    outputs: [], overflows: [], keepDtypeSuggestion: [],
  };
  const fail = (reason: string): PrecisionResult => ({ ...result, status: 'failed', reason });
  if (!model.graphs[0]) return fail('the model has no main graph');
  const refusal = await externalDataRefusal(modelPath, model);
  if (refusal) return fail(refusal);
  if (hasExternalData(model)) {
    return fail('not emulated: the model keeps weights in external data, which a rewritten copy loaded from memory cannot reach');
  }
  let ort: OrtModule;
  try {
    ort = await loadOrt();
  } catch (e) {
    return fail(`onnxruntime-node cannot be loaded here: ${plainOrtReason(e)}`);
  }
  const workDir = await mkdtemp(join(tmpdir(), 'port-check-precision-'));
  const sessions: Session[] = [];
  try {
    return await emulate({ ort, model, profile, options, result, workDir, sessions, bytes: new Uint8Array(await readFile(modelPath)) });
  } finally {
    for (const s of sessions) await s.release().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}

interface Context {
  ort: OrtModule;
  model: ModelIR;
  profile: Profile;
  options: PrecisionOptions;
  result: PrecisionResult;
  workDir: string;
  sessions: Session[];
  bytes: Uint8Array;
}

async function emulate(ctx: Context): Promise<PrecisionResult> {
  const { ort, model, profile, options, result, sessions } = ctx;
  const fail = (reason: string): PrecisionResult => ({ ...result, status: 'failed', reason });
  const { policy, thresholds } = result;
  const sessionOptions: Record<string, unknown> = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 4,
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  };

  const view = await compilerView(ort, ctx.bytes, model, ctx.workDir, sessionOptions, options.fold !== false);
  if ('error' in view) return fail(view.error);
  sessions.push(view.session);
  if (view.reference) result.reference = view.reference;
  result.assumptions.push(...view.notes);
  const base = view;
  const main = base.model.graphs[0]!;

  const prepared = await prepareInputs(model, options, base.upcastFrom);
  result.inputs = prepared.inputs.map(({ name, dtype, dims, source, detail }) => ({ name, dtype, dims, source, detail }));
  result.assumptions.push(...prepared.assumptions);
  if (!prepared.ok) return fail(`not run: ${prepared.reason}`);

  const types = await mainValueTypes(ort, base.bytes, base.model, sessionOptions);
  if (types.fallback) result.assumptions.push(types.fallback);
  let emulatedModel;
  try {
    emulatedModel = buildEmulatedModel(base.bytes, base.model, types.types, policy, profile);
  } catch (e) {
    if (e instanceof RewriteError) return fail(`the emulated copy cannot be built: ${e.message}`);
    throw e;
  }
  result.emulated = [...emulatedModel.emulated];
  result.notEmulated = [...emulatedModel.notEmulated];
  for (const [name, steps] of emulatedModel.inputRounding) {
    const dtype = main.inputs.find((i) => i.name === name)?.dtype ?? 'FLOAT';
    const label = TYPE_LABEL[dtype] ?? dtype;
    result.emulated.push(`graph input '${name}' (${label}) rounded to ${steps.map((s) => TYPE_LABEL[s] ?? s).join(' then ')} before it is fed`);
  }
  if (emulatedModel.rounded.size === 0 && emulatedModel.inputRounding.size === 0 && emulatedModel.emulated.length === 0) {
    result.notEmulated.unshift(`nothing to emulate: under ${policy.name} (${policy.compute}) no value of this model changes precision`);
    return { ...result, status: 'ok' };
  }

  let emulated: Session;
  try {
    emulated = await ort.InferenceSession.create(emulatedModel.bytes, sessionOptions);
  } catch (e) {
    return fail(`the emulated copy does not load in ONNX Runtime: ${plainOrtReason(e)}`);
  }
  sessions.push(emulated);
  const referenceFeeds = toFeeds(ort, prepared.inputs);
  const emulatedFeeds = roundedFeeds(ort, prepared.inputs, emulatedModel.inputRounding);

  // Model outputs.
  const run = await base.runReference(referenceFeeds);
  if ('error' in run) return fail(`the model does not run on ONNX Runtime's CPU provider here: ${run.error}`);
  let emuOut: Record<string, FetchedTensor>;
  try {
    emuOut = (await emulated.run(emulatedFeeds as never)) as unknown as Record<string, FetchedTensor>;
  } catch (e) {
    return fail(`the emulated copy does not run: ${plainOrtReason(e)}`);
  }
  result.outputs = compareOutputs(base.model, main.outputs.map((o) => o.name), run.outputs, emuOut, thresholds);
  for (const t of [...Object.values(run.outputs), ...Object.values(emuOut)]) t.dispose?.();
  for (const s of sessions.splice(0)) await s.release().catch(() => undefined);

  // Intermediate values, a chunk at a time.
  if (options.layerwise !== false) {
    const taps = tapsInOrder(base.model, types.types, emulatedModel);
    const outcome = await compareLayers({
      ort, referenceBytes: base.bytes, emulatedBytes: emulatedModel.bytes, referenceFeeds, emulatedFeeds, taps,
      graphOutputs: new Set(main.outputs.map((o) => o.name)), sessionOptions, thresholds,
      budgetBytes: (options.maxIntermediateMB ?? DEFAULT_MAX_INTERMEDIATE_MB) * 2 ** 20,
      valueBytes: run.valueBytes,
      maxChunks: Math.max(1, Math.trunc(options.maxLayerwiseChunks ?? DEFAULT_MAX_LAYERWISE_CHUNKS)),
    });
    result.layerwise = outcome.summary;
    if (outcome.firstDrift) result.firstDrift = outcome.firstDrift;
    result.overflows = outcome.overflows;
    if (outcome.summary.unvisited > 0) {
      result.assumptions.push(
        `the layer-wise comparison stopped after ${outcome.summary.chunks} sessions with ${outcome.summary.unvisited} of ${taps.length} values ` +
          'not looked at; raise maxLayerwiseChunks or maxIntermediateMB (fewer, larger chunks) to see them all',
      );
    }
    if (outcome.summary.missing > 0) {
      result.assumptions.push(`${outcome.summary.missing} intermediate values could not be exposed by ONNX Runtime and were not compared`);
    }
  }

  // A weight beyond fp16's range stays in fp32 only when every node that reads it is kept.
  const overflowingWeight = result.overflows.find((o) => o.kind === 'fp16-overflow' && o.weight)?.output;
  const weightReaders = overflowingWeight ? main.nodes.filter((n) => n.inputs.includes(overflowingWeight)).map(nodeAt) : [];
  const toModel = base.model !== model ? modelNodeMapper(model) : <T extends NodeAt>(at: T): T => at;
  if (base.model !== model) inModelTerms(result, model);
  const failing = result.outputs.filter((o) => o.verdict === 'fail');
  result.keepDtypeSuggestion = keepDtypeLines(profile, model, [
    ...(result.firstDrift ? [result.firstDrift] : []),
    ...firstOfEachKind(result.overflows),
    ...weightReaders.map(toModel),
    ...(result.firstDrift ? [] : failing.flatMap((o) => (o.node ? [o.node] : []))),
  ]);
  if (failing.length > 0 && !result.firstDrift && options.layerwise !== false) {
    result.assumptions.push(
      `${listNames(failing.map((o) => o.name))} fail while no single intermediate value misses a threshold: the drift accumulates over many nodes`,
    );
  }
  return { ...result, status: 'ok' };
}

/**
 * What the layer-wise pass looks at, in topological order: each float output of a node (Constant
 * nodes hold weights, not activations), preceded by the weights it is the first to read that the
 * emulated copy stores in fp16 (checked for values beyond fp16's range only).
 */
function tapsInOrder(model: ModelIR, types: ReadonlyMap<string, DataTypeName>, emulated: EmulatedModel): Tap[] {
  const main = model.graphs[0]!;
  const fp16 = (steps: readonly string[] | undefined): boolean => steps?.includes('FLOAT16') ?? false;
  const weightBytes = new Map<string, number>();
  for (const t of main.initializers) if (fp16(emulated.roundedWeights.get(t.name))) weightBytes.set(t.name, t.byteSize);
  for (const n of main.nodes) {
    if (n.opType !== 'Constant' || !n.outputs[0] || !fp16(emulated.rounded.get(n.outputs[0]))) continue;
    weightBytes.set(n.outputs[0], n.attributes.find((a) => a.tensors?.length)?.tensors?.[0]?.byteSize ?? 0);
  }
  const taps: Tap[] = [];
  for (const node of topologicalOrder(model)) {
    for (const input of node.inputs) {
      const bytes = weightBytes.get(input);
      if (bytes === undefined) continue;
      weightBytes.delete(input);
      taps.push({ value: input, node, fp16: true, weight: true, bytes });
    }
    if (node.opType === 'Constant') continue;
    for (const value of node.outputs) {
      if (!value || !isFloatType(types.get(value))) continue;
      taps.push({ value, node, fp16: fp16(emulated.rounded.get(value)) });
    }
  }
  return taps;
}

function firstOfEachKind<T extends { kind: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((o) => !seen.has(o.kind) && seen.add(o.kind));
}
