import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelIR, NodeIR } from '../onnx/ir.js';
import { RewriteError } from '../onnx/rewrite.js';
import type { Profile } from '../profiles/schema.js';
import { compareOutputs } from '../precision/compare-outputs.js';
import { compilerView } from '../precision/compiler-view.js';
import { buildEmulatedModel } from '../precision/emulate-model.js';
import { DEFAULT_MAX_INTERMEDIATE_MB, DEFAULT_MAX_LAYERWISE_CHUNKS, tapsInOrder } from '../precision/emulate-precision.js';
import { FP16_MAX } from '../precision/float-rounding.js';
import { compareLayers, nodeAt } from '../precision/layerwise.js';
import { modelNodeMapper } from '../precision/model-nodes.js';
import { roundedFeeds, toFeeds, type FetchedTensor } from '../precision/ort-values.js';
import { resolvePolicy } from '../precision/policy.js';
import { resolveThresholds } from '../precision/thresholds.js';
import { mainGraphOrder } from '../precision/main-graph-order.js';
import type { PrecisionOptions, TensorMetrics } from '../precision/types.js';
import { isFloatType, mainValueTypes } from '../precision/value-types.js';
import { externalDataRefusal, hasExternalData } from '../runtime/external-data-guard.js';
import { prepareInputs } from '../runtime/inputs.js';
import { loadOrt, type OrtModule } from '../runtime/load-ort.js';
import { plainOrtReason } from '../runtime/ort-errors.js';
import type { KeepProbe, NodeDrift, ProbeNode, ProbeOutcome } from './keep-probe.js';
import { allPass } from './keep-search.js';

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

export type ProbeOptions = Pick<
  PrecisionOptions, 'precision' | 'thresholds' | 'dims' | 'shapes' | 'inputs' | 'inputValues' | 'seed' | 'maxInputMB' | 'intraOpNumThreads'
>;

/**
 * KeepProbe over today's emulation (src/precision): the graph as the compiler converts it, the
 * inputs and the fp32 reference outputs are prepared once; each probe then builds the emulated copy
 * with the keep set added to the policy's kept nodes and runs it once (plus the chunked layer-wise
 * comparison when per-node drift is asked for). Returns a reason instead when the model cannot be
 * emulated here.
 */
export async function openEmulationProbe(
  modelPath: string, model: ModelIR, profile: Profile, options: ProbeOptions = {},
): Promise<KeepProbe | { error: string }> {
  if (!model.graphs[0]) return { error: 'the model has no main graph' };
  const refusal = await externalDataRefusal(modelPath, model);
  if (refusal) return { error: refusal };
  if (hasExternalData(model)) return { error: 'the model keeps weights in external data, which the emulated copies cannot reach' };
  let ort: OrtModule;
  try {
    ort = await loadOrt();
  } catch (e) {
    return { error: `onnxruntime-node cannot be loaded here: ${plainOrtReason(e)}` };
  }
  const workDir = await mkdtemp(join(tmpdir(), 'port-check-plan-'));
  try {
    const opened = await open(ort, modelPath, model, profile, options, workDir);
    if ('error' in opened) await rm(workDir, { recursive: true, force: true });
    return opened;
  } catch (e) {
    await rm(workDir, { recursive: true, force: true });
    throw e;
  }
}

async function open(
  ort: OrtModule, modelPath: string, model: ModelIR, profile: Profile, options: ProbeOptions, workDir: string,
): Promise<KeepProbe | { error: string }> {
  const sessionOptions: Record<string, unknown> = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 4,
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  };
  const thresholds = resolveThresholds(options.thresholds);
  const policy = resolvePolicy(profile, options.precision ?? 'profile');
  const view = await compilerView(ort, new Uint8Array(await readFile(modelPath)), model, workDir, sessionOptions, true);
  if ('error' in view) return view;
  const notes = [...view.notes];
  const prepared = await prepareInputs(model, options, view.upcastFrom);
  if (!prepared.ok) {
    await view.session.release();
    return { error: `not run: ${prepared.reason}` };
  }
  notes.push(...prepared.assumptions);
  const types = await mainValueTypes(ort, view.bytes, view.model, sessionOptions);
  if (types.fallback) notes.push(types.fallback);
  const referenceFeeds = toFeeds(ort, prepared.inputs);
  const reference = await view.runReference(referenceFeeds);
  await view.session.release();
  if ('error' in reference) return { error: `the model does not run on ONNX Runtime's CPU provider here: ${reference.error}` };

  const main = view.model.graphs[0]!;
  const outputNames = main.outputs.map((o) => o.name);
  const toModel = view.model !== model ? modelNodeMapper(model) : <T>(at: T): T => at;
  const producer = new Map<string, NodeIR>();
  for (const n of main.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  const nodes: ProbeNode[] = mainGraphOrder(view.model)
    .filter((n) => n.name !== '' && n.opType !== 'Constant')
    .map((n) => ({
      name: n.name,
      at: toModel(nodeAt(n)),
      producers: [...new Set(n.inputs.filter((i) => isFloatType(types.types.get(i))).flatMap((i) => {
        const p = producer.get(i);
        return p && p.name !== '' && p.opType !== 'Constant' ? [p.name] : [];
      }))],
    }));
  const readers = new Map<string, string[]>();
  for (const n of main.nodes) for (const i of n.inputs) if (i && n.name) readers.set(i, [...(readers.get(i) ?? []), n.name]);

  return {
    nodes,
    inputs: prepared.inputs.map(({ name, dtype, dims, source, detail }) => ({ name, dtype, dims, source, detail })),
    thresholds,
    notes,
    async run(keep, runOptions = {}): Promise<ProbeOutcome> {
      const kept = { ...policy, keepOps: [...policy.keepOps, ...keep] };
      let emulated;
      try {
        emulated = buildEmulatedModel(view.bytes, view.model, types.types, kept, profile);
      } catch (e) {
        if (e instanceof RewriteError) return { ok: false, reason: `the emulated copy cannot be built: ${e.message}` };
        throw e;
      }
      const emulatedFeeds = roundedFeeds(ort, prepared.inputs, emulated.inputRounding);
      let session: Session;
      try {
        session = await ort.InferenceSession.create(emulated.bytes, sessionOptions);
      } catch (e) {
        return { ok: false, reason: `the emulated copy does not load in ONNX Runtime: ${plainOrtReason(e)}` };
      }
      let out: Record<string, FetchedTensor>;
      try {
        out = (await session.run(emulatedFeeds as never)) as unknown as Record<string, FetchedTensor>;
      } catch (e) {
        return { ok: false, reason: `the emulated copy does not run: ${plainOrtReason(e)}` };
      } finally {
        await session.release().catch(() => undefined);
      }
      const outputs = compareOutputs(view.model, outputNames, reference.outputs, out, thresholds)
        .map((o) => (o.node ? { ...o, node: toModel(o.node) } : o));
      for (const t of Object.values(out)) t.dispose?.();
      const pass = allPass(outputs);
      if (!runOptions.perNode || (runOptions.perNode === 'when-failing' && pass)) return { ok: true, pass, outputs };

      const drift = new Map<string, NodeDrift>();
      const note = (name: string, d: number, overflow: boolean): void => {
        const was = drift.get(name);
        drift.set(name, { drift: Math.max(was?.drift ?? 0, d), overflow: (was?.overflow ?? false) || overflow });
      };
      const layers = await compareLayers({
        ort, referenceBytes: view.bytes, emulatedBytes: emulated.bytes, referenceFeeds, emulatedFeeds,
        taps: tapsInOrder(view.model, types.types, emulated), graphOutputs: new Set(outputNames), sessionOptions, thresholds,
        budgetBytes: DEFAULT_MAX_INTERMEDIATE_MB * 2 ** 20, valueBytes: reference.valueBytes, maxChunks: DEFAULT_MAX_LAYERWISE_CHUNKS,
        onValue: (tap, m) => {
          if (tap.node.name) note(tap.node.name, driftOf(m), tap.fp16 && m !== undefined && m.reference.maxAbs > FP16_MAX);
        },
      });
      // A weight beyond fp16's range stays fp32 only when every node that reads it is kept.
      for (const o of layers.overflows) {
        if (o.kind === 'fp16-overflow' && o.weight) for (const r of readers.get(o.output) ?? []) note(r, drift.get(r)?.drift ?? 0, true);
      }
      return { ok: true, pass, outputs, nodes: drift };
    },
    async close() {
      for (const t of Object.values(reference.outputs)) t.dispose?.();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** 0..1: new NaN/Inf and differing shapes are 1; else the relative Euclidean distance, capped. */
function driftOf(m: TensorMetrics | undefined): number {
  if (!m || m.newNonFinite > 0) return 1;
  const d = m.relativeEuclidean ?? 1 - m.cosine;
  return Number.isFinite(d) ? Math.min(1, Math.max(0, d)) : 1;
}
