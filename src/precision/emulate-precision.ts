import type { ModelIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import { UsageError } from '../errors.js';
import { listNames } from '../findings/format-values.js';
import { emulationPass, prepareEmulation, releaseEmulation, type EmulationPass, type NodeMetrics, type PreparedEmulation } from './emulation-pass.js';
import { keepDtypeLines } from './keep-dtype.js';
import { inModelTerms, modelNodeMapper } from './model-nodes.js';
import { resolvePolicy, statedPolicy } from '../profiles/precision-policy.js';
import { layerMisses, resolveThresholds } from './thresholds.js';
import type { EmulatedPolicy, LayerDrift, NodeAt, Overflow, PrecisionMode, PrecisionOptions, PrecisionResult, TensorMetrics, Thresholds } from './types.js';

import { PRECISION_MODES } from './modes.js';

export { PRECISION_MODES };
/** Overflowing values listed per kind (the summary counts them all). */
export const MAX_OVERFLOW_VALUES = 20;
const WORST = 5;

/**
 * What one precision policy costs a model, before it is said for a target: the result (its
 * `target` and `keepDtypeSuggestion` are filled in per target by `precisionForTarget`) and the
 * nodes an ATC --keep_dtype file would keep.
 */
export interface PolicyEmulation {
  result: PrecisionResult;
  keepCandidates: NodeAt[];
}

/**
 * Predicts what the target's precision policy costs in accuracy: prepares the model once
 * (prepareEmulation), runs one emulation pass (the reference and the emulated graph side by side,
 * every main-graph value compared in the graph) and says it for the profile. For several targets,
 * check() prepares once and runs one pass per distinct policy.
 *
 * Never throws for what the model does: a model that cannot run here gives `status: 'failed'` and
 * the reason. Throws UsageError for options that make no sense (an unknown mode or threshold, an
 * input the model does not have).
 */
export async function emulatePrecision(
  modelPath: string, model: ModelIR, profile: Profile, options: PrecisionOptions = {},
): Promise<PrecisionResult> {
  const mode = checkedMode(options.precision);
  const thresholds = resolveThresholds(options.thresholds);
  const policy = resolvePolicy(profile, mode, options.keep);
  const prepared = await prepareEmulation(modelPath, model, options);
  try {
    const pass = prepared.status === 'ok' ? await emulationPass(prepared.base, policy, { thresholds }) : undefined;
    return precisionForTarget(summarisePass(model, prepared, pass, policy, mode, thresholds, options.layerwise !== false), profile, model);
  } finally {
    if (prepared.status === 'ok') await releaseEmulation(prepared.base);
  }
}

export function checkedMode(mode: PrecisionMode | undefined): PrecisionMode {
  const m = mode ?? 'profile';
  if (!PRECISION_MODES.includes(m)) throw new UsageError(`--precision ${String(m)}: expected one of ${PRECISION_MODES.join(', ')}`);
  return m;
}

/** The policy's result said for one target: its id and the --keep_dtype lines in its compiler's terms. */
export function precisionForTarget(emulation: PolicyEmulation, profile: Profile, model: ModelIR): PrecisionResult {
  const { result } = emulation;
  return { ...result, target: profile.id, keepDtypeSuggestion: result.status === 'ok' ? keepDtypeLines(profile, model, emulation.keepCandidates) : [] };
}

/** The result for a policy that changes no value of the model: no session was needed to know it. */
export function nothingToEmulate(policy: EmulatedPolicy, mode: PrecisionMode, thresholds: Thresholds): PolicyEmulation {
  return {
    result: {
      status: 'ok', mode, target: '', policy: statedPolicy(policy), emulated: [], inputs: [], assumptions: [], thresholds, outputs: [], overflows: [], keepDtypeSuggestion: [],
      notEmulated: [`nothing to emulate: under ${policy.name} (${policy.compute}) no value of this model changes precision`],
    },
    keepCandidates: [],
  };
}

/** One pass read as a result: the outputs, the first node that drifts, overflows, and the values that moved most. */
export function summarisePass(
  model: ModelIR, prepared: PreparedEmulation, pass: EmulationPass | undefined, policy: EmulatedPolicy, mode: PrecisionMode,
  thresholds: Thresholds, layerwise = true,
): PolicyEmulation {
  const result: PrecisionResult = {
    status: 'failed', mode, target: '', policy: statedPolicy(policy), emulated: [], notEmulated: [], inputs: [], assumptions: [], thresholds,
    outputs: [], overflows: [], keepDtypeSuggestion: [],
  };
  if (prepared.status === 'failed') {
    return {
      result: { ...result, reason: prepared.reason, inputs: prepared.inputsUsed, assumptions: prepared.assumptions, ...(prepared.reference ? { reference: prepared.reference } : {}) },
      keepCandidates: [],
    };
  }
  const { base } = prepared;
  result.inputs = base.inputsUsed;
  result.assumptions = [...base.assumptions];
  if (base.view.reference) result.reference = base.view.reference;
  if (pass?.plan) {
    result.emulated = [...pass.plan.emulated];
    result.notEmulated = [...pass.plan.notEmulated];
  }
  if (!pass || pass.status === 'failed') return { result: { ...result, reason: pass?.reason ?? 'not run' }, keepCandidates: [] };
  if (!pass.plan?.changes && result.emulated.length === 0) {
    result.notEmulated.unshift(`nothing to emulate: under ${policy.name} (${policy.compute}) no value of this model changes precision`);
    return { result: { ...result, status: 'ok' }, keepCandidates: [] };
  }
  result.outputs = pass.outputs;
  const main = base.view.model.graphs[0]!;
  if (layerwise) {
    const layers = readLayers(pass.nodes, thresholds);
    result.layerwise = layers.summary;
    if (layers.firstDrift) result.firstDrift = layers.firstDrift;
    result.overflows = layers.overflows;
  }
  // A weight beyond fp16's range stays in fp32 only when every node that reads it is kept.
  const overflowingWeight = result.overflows.find((o) => o.kind === 'fp16-overflow' && o.weight)?.output;
  const weightReaders: NodeAt[] = overflowingWeight
    ? main.nodes.filter((n) => n.inputs.includes(overflowingWeight)).map((n) => ({ node: n.name !== '' ? n.name : `#${n.index} ${n.opType}`, opType: n.opType, index: n.index, named: n.name !== '' }))
    : [];
  const toModel = base.view.model !== model ? modelNodeMapper(model) : <T extends NodeAt>(at: T): T => at;
  if (base.view.model !== model) inModelTerms(result, model);
  const failing = result.outputs.filter((o) => o.verdict === 'fail');
  if (failing.length > 0 && !result.firstDrift && layerwise) {
    result.assumptions.push(
      `${listNames(failing.map((o) => o.name))} fail while no single intermediate value misses a threshold: the drift accumulates over many nodes`,
    );
  }
  const keepCandidates = [
    ...(result.firstDrift ? [result.firstDrift] : []),
    ...firstOfEachKind(result.overflows),
    ...weightReaders.map(toModel),
    ...(result.firstDrift ? [] : failing.flatMap((o) => (o.node ? [o.node] : []))),
  ];
  return { result: { ...result, status: 'ok' }, keepCandidates };
}

function readLayers(nodes: NodeMetrics[], thresholds: Thresholds): { summary: NonNullable<PrecisionResult['layerwise']>; firstDrift?: PrecisionResult['firstDrift']; overflows: Overflow[] } {
  const worst: LayerDrift[] = [];
  const overflows: Overflow[] = [];
  const overflowValues = { 'fp16-overflow': 0, 'nan-inf': 0 };
  let firstDrift: PrecisionResult['firstDrift'];
  let compared = 0;
  let drifting = 0;
  for (const n of nodes) {
    const at: NodeAt = { node: n.node, opType: n.opType, index: n.index, named: n.named };
    if (n.beyondFp16 > 0 && overflowValues['fp16-overflow']++ < MAX_OVERFLOW_VALUES) {
      overflows.push({ ...at, kind: 'fp16-overflow', output: n.output, count: n.beyondFp16, elements: n.elements, maxAbs: n.referenceMaxAbs, ...(n.weight ? { weight: true as const } : {}) });
    }
    if (n.weight) continue;
    compared++;
    const misses = layerMisses(n as unknown as TensorMetrics, thresholds);
    if (misses.length > 0) {
      drifting++;
      const miss = misses[0]!;
      firstDrift ??= { ...at, output: n.output, metric: miss.metric, value: miss.value, threshold: miss.threshold, cosine: n.cosine, relativeEuclidean: n.relativeEuclidean };
    }
    if (!n.identical) keepWorst(worst, { ...at, output: n.output, dims: [], cosine: n.cosine, relativeEuclidean: n.relativeEuclidean, maxAbsError: n.maxAbsError });
    if (n.newNonFinite > 0 && overflowValues['nan-inf']++ < MAX_OVERFLOW_VALUES) {
      overflows.push({ ...at, kind: 'nan-inf', output: n.output, count: n.newNonFinite, elements: n.elements, maxAbs: n.referenceMaxAbs });
    }
  }
  return {
    summary: { compared, missing: 0, unvisited: 0, chunks: 1, drifting, worst, overflowValues },
    ...(firstDrift ? { firstDrift } : {}),
    overflows,
  };
}

/** Keeps the WORST lowest-cosine values, lowest first. */
function keepWorst(worst: LayerDrift[], d: LayerDrift): void {
  if (worst.length === WORST && d.cosine >= worst[WORST - 1]!.cosine) return;
  worst.push(d);
  worst.sort((x, y) => x.cosine - y.cosine || x.index - y.index);
  if (worst.length > WORST) worst.pop();
}

function firstOfEachKind<T extends { kind: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((o) => !seen.has(o.kind) && seen.add(o.kind));
}
