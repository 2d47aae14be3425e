import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelIR } from '../onnx/ir.js';
import { RewriteError } from '../onnx/rewrite.js';
import type { Profile } from '../profiles/schema.js';
import { UsageError } from '../errors.js';
import { listNames } from '../checks/format-values.js';
import { externalDataRefusal, hasExternalData } from '../runtime/external-data-guard.js';
import { prepareInputs } from '../runtime/inputs.js';
import { loadOrt, type OrtModule } from '../runtime/load-ort.js';
import { plainOrtReason } from '../runtime/ort-errors.js';
import { summariseTrace } from '../runtime/profile-trace.js';
import { referenceLabel, upcastBytes, upcastCandidate, type UpcastFrom } from '../runtime/reference-upcast.js';
import { buildEmulatedModel } from './emulate-model.js';
import { keepDtypeLines } from './keep-dtype.js';
import { compareLayers, type Tap } from './layerwise.js';
import { compareOutputs } from './compare-outputs.js';
import { roundedFeeds, toFeeds, type FetchedTensor } from './ort-values.js';
import { resolvePolicy, TYPE_LABEL } from './policy.js';
import { resolveThresholds } from './thresholds.js';
import { topologicalOrder } from './topo-order.js';
import type { PrecisionMode, PrecisionOptions, PrecisionResult } from './types.js';
import { isFloatType, mainValueTypes } from './value-types.js';

export const PRECISION_MODES: readonly PrecisionMode[] = ['profile', 'fp16', 'bf16', 'fp32'];
export const DEFAULT_MAX_INTERMEDIATE_MB = 256;

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

/**
 * Predicts what the target's precision policy costs in accuracy: builds an emulated copy of the
 * model (buildEmulatedModel), runs it and the unmodified model on ONNX Runtime's CPU provider with
 * the same seeded inputs, compares every output, then every intermediate value in topological
 * order to find the first node that drifts and any fp16 overflow. Both copies run unoptimised, so
 * that ONNX Runtime neither folds the rounding Casts away nor fuses nodes differently in the two.
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
  const policy = resolvePolicy(profile, mode, options.keep);
  const thresholds = resolveThresholds(options.thresholds);
  const result: PrecisionResult = {
    status: 'failed', mode, target: profile.id, policy, emulated: [], notEmulated: [], inputs: [],
    assumptions: [], thresholds, outputs: [], overflows: [], keepDtypeSuggestion: [],
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
  const sessionOptions: Record<string, unknown> = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 4,
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  };

  // The reference: the model as it is, or its faithful fp32 copy when its own types have no CPU kernel.
  // Its one run is profiled: the profile tells each node's output size, which sizes the chunks of
  // the layer-wise comparison.
  const traceDir = await mkdtemp(join(tmpdir(), 'port-check-precision-'));
  const sessions: Session[] = [];
  try {
    return await emulateWith(ort, modelPath, model, profile, options, result, sessionOptions, traceDir, sessions);
  } finally {
    await releaseAll(sessions);
    await rm(traceDir, { recursive: true, force: true });
  }
}

async function emulateWith(
  ort: OrtModule, modelPath: string, model: ModelIR, profile: Profile, options: PrecisionOptions,
  result: PrecisionResult, sessionOptions: Record<string, unknown>, traceDir: string, sessions: Session[],
): Promise<PrecisionResult> {
  const fail = (reason: string): PrecisionResult => ({ ...result, status: 'failed', reason });
  const main = model.graphs[0]!;
  const { policy, thresholds } = result;
  const profiled = { ...sessionOptions, enableProfiling: true, profileFilePrefix: join(traceDir, 'reference') };
  const bytes = new Uint8Array(await readFile(modelPath));
  let referenceBytes: Uint8Array = bytes;
  let upcast: UpcastFrom | undefined;
  let reference = await createSession(ort, bytes, profiled);
  if (typeof reference === 'string') {
    const from = upcastCandidate(model, reference);
    const copy = from ? upcastBytes(bytes, from) : undefined;
    if (!from || !copy || 'error' in copy) {
      return fail(`the model does not run on ONNX Runtime's CPU provider here: ${reference}`);
    }
    const second = await createSession(ort, copy, profiled);
    if (typeof second === 'string') return fail(`the model does not run on ONNX Runtime's CPU provider here: ${reference}`);
    result.reference = referenceLabel(from);
    result.assumptions.push(
      `the model as it is does not run on ONNX Runtime's CPU provider (${reference}); the reference is a copy with every ` +
        `${from} tensor upcast to FLOAT (exact), and the emulated copy rounds those values as the policy rounds fp32 ones`,
    );
    referenceBytes = copy;
    upcast = from;
    reference = second;
  }
  sessions.push(reference);
  {
    const prepared = await prepareInputs(model, options, upcast);
    result.inputs = prepared.inputs.map(({ name, dtype, dims, source, detail }) => ({ name, dtype, dims, source, detail }));
    result.assumptions.push(...prepared.assumptions);
    if (!prepared.ok) return fail(`not run: ${prepared.reason}`);

    const types = await mainValueTypes(ort, referenceBytes, model, sessionOptions);
    if (types.fallback) result.assumptions.push(types.fallback);
    let emulatedModel;
    try {
      emulatedModel = buildEmulatedModel(referenceBytes, model, types.types, policy, profile);
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
    if (emulatedModel.rounded.size === 0 && emulatedModel.inputRounding.size === 0 && result.emulated.length === 0) {
      result.notEmulated.unshift(`nothing to emulate: under ${policy.name} (${policy.compute}) no value of this model changes precision`);
      return { ...result, status: 'ok' };
    }

    const emulated = await createSession(ort, emulatedModel.bytes, sessionOptions);
    if (typeof emulated === 'string') return fail(`the emulated copy does not load in ONNX Runtime: ${emulated}`);
    sessions.push(emulated);
    const referenceFeeds = toFeeds(ort, prepared.inputs);
    const emulatedFeeds = roundedFeeds(ort, prepared.inputs, emulatedModel.inputRounding);

    let refOut: Record<string, FetchedTensor>;
    let emuOut: Record<string, FetchedTensor>;
    try {
      refOut = (await reference.run(referenceFeeds as never)) as unknown as Record<string, FetchedTensor>;
    } catch (e) {
      return fail(`the model does not run on ONNX Runtime's CPU provider here: ${plainOrtReason(e)}`);
    } finally {
      reference.endProfiling();
    }
    try {
      emuOut = (await emulated.run(emulatedFeeds as never)) as unknown as Record<string, FetchedTensor>;
    } catch (e) {
      return fail(`the emulated copy does not run: ${plainOrtReason(e)}`);
    }
    result.outputs = compareOutputs(model, main.outputs.map((o) => o.name), refOut, emuOut, thresholds);
    for (const t of [...Object.values(refOut), ...Object.values(emuOut)]) t.dispose?.();
    await releaseAll(sessions);

    if (options.layerwise !== false) {
      const taps: Tap[] = [];
      for (const node of topologicalOrder(model)) {
        if (node.opType === 'Constant') continue; // weights, not activations: rounded, but not compared
        for (const value of node.outputs) {
          if (!value || !isFloatType(types.types.get(value))) continue;
          taps.push({ value, node, fp16: emulatedModel.rounded.get(value)?.includes('FLOAT16') ?? false });
        }
      }
      const outcome = await compareLayers({
        ort, referenceBytes, emulatedBytes: emulatedModel.bytes, referenceFeeds, emulatedFeeds, taps,
        graphOutputs: new Set(main.outputs.map((o) => o.name)), sessionOptions, thresholds,
        valueBytes: await valueBytesFromTrace(traceDir, model),
        budgetBytes: (options.maxIntermediateMB ?? DEFAULT_MAX_INTERMEDIATE_MB) * 2 ** 20,
      });
      result.layerwise = outcome.summary;
      if (outcome.firstDrift) result.firstDrift = outcome.firstDrift;
      result.overflows = outcome.overflows;
      if (outcome.summary.missing > 0) {
        result.assumptions.push(`${outcome.summary.missing} intermediate values could not be exposed by ONNX Runtime and were not compared`);
      }
    }
    const producers = result.outputs.filter((o) => o.verdict === 'fail' && o.node).map((o) => o.node!);
    result.keepDtypeSuggestion = keepDtypeLines(profile, [
      ...(result.firstDrift ? [result.firstDrift] : []),
      ...firstOfEachKind(result.overflows),
      ...(result.firstDrift ? [] : producers),
    ]);
    const failing = result.outputs.filter((o) => o.verdict === 'fail');
    if (failing.length > 0 && !result.firstDrift && options.layerwise !== false) {
      result.assumptions.push(
        `${listNames(failing.map((o) => o.name))} fail while no single intermediate value passes a threshold: the drift accumulates over many nodes`,
      );
    }
    return { ...result, status: 'ok' };
  }
}

/** A trace larger than this is not read (about 1 kB per node per run; the reference ran once). */
const MAX_TRACE_BYTES = 64 * 2 ** 20;

/**
 * Bytes of each main-graph value in the reference run, from the profiler's output size per node
 * (shared equally among a node's outputs). Values it does not tell are sized as they come.
 */
async function valueBytesFromTrace(dir: string, model: ModelIR): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  try {
    const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
    if (!file || (await stat(join(dir, file))).size > MAX_TRACE_BYTES) return sizes;
    const trace = summariseTrace(JSON.parse(await readFile(join(dir, file), 'utf8')), 0);
    const byNode = new Map(trace.nodes.map((n) => [n.name, n.outputBytes]));
    for (const node of model.graphs[0]!.nodes) {
      const bytes = byNode.get(node.name !== '' ? node.name : `#${node.index} ${node.opType}`);
      const outs = node.outputs.filter(Boolean);
      if (bytes !== undefined && outs.length > 0) for (const o of outs) sizes.set(o, bytes / outs.length);
    }
  } catch {
    // No sizes: the chunks are sized from the values as they come.
  }
  return sizes;
}

async function createSession(ort: OrtModule, bytes: Uint8Array, options: Record<string, unknown>): Promise<Session | string> {
  try {
    return await ort.InferenceSession.create(bytes, options);
  } catch (e) {
    return plainOrtReason(e);
  }
}

const released = new WeakSet<Session>();

async function releaseAll(sessions: Session[]): Promise<void> {
  for (const s of sessions) {
    if (released.has(s)) continue;
    released.add(s);
    await s.release().catch(() => undefined);
  }
}

function firstOfEachKind<T extends { kind: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((o) => !seen.has(o.kind) && seen.add(o.kind));
}

