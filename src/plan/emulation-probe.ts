import type { ModelIR, NodeIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import { emulationPass, prepareEmulation, releaseEmulation, type NodeMetrics } from '../precision/emulation-pass.js';
import { FP16_MAX } from '../precision/float-rounding.js';
import { topologicalOrder as mainGraphOrder } from '../precision/topo-order.js';
import { modelNodeMapper } from '../precision/model-nodes.js';
import { nodeAt } from '../precision/node-at.js';
import { resolvePolicy } from '../profiles/precision-policy.js';
import { resolveThresholds } from '../precision/thresholds.js';
import type { PrecisionOptions } from '../precision/types.js';
import { isFloatType } from '../precision/value-types.js';
import type { KeepProbe, NodeDrift, ProbeNode, ProbeOutcome } from './keep-probe.js';
import { allPass } from './keep-search.js';

export type ProbeOptions = Pick<
  PrecisionOptions, 'precision' | 'thresholds' | 'dims' | 'shapes' | 'inputs' | 'inputValues' | 'seed' | 'maxInputMB' | 'intraOpNumThreads'
>;

/**
 * KeepProbe over the run stage's one-pass emulation (src/precision/emulation-pass.ts): the compiler
 * view, value types and inputs are prepared once; each probe is one `emulationPass` with the keep
 * set left in fp32, which compares every main-graph value side by side with the fp32 reference
 * inside one session. Returns a reason instead when the model cannot be emulated here.
 */
export async function openEmulationProbe(
  modelPath: string, model: ModelIR, profile: Profile, options: ProbeOptions = {},
): Promise<KeepProbe | { error: string }> {
  const prepared = await prepareEmulation(modelPath, model, options);
  if (prepared.status !== 'ok') return { error: prepared.reason };
  const { base } = prepared;
  const thresholds = resolveThresholds(options.thresholds);
  const policy = resolvePolicy(profile, options.precision ?? 'profile');
  const view = base.view.model;
  const main = view.graphs[0]!;
  const toModel = view !== model ? modelNodeMapper(model) : <T>(at: T): T => at;
  const producer = new Map<string, NodeIR>();
  for (const n of main.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  const nodes: ProbeNode[] = mainGraphOrder(view)
    .filter((n) => n.name !== '' && n.opType !== 'Constant')
    .map((n) => ({
      name: n.name,
      at: toModel(nodeAt(n)),
      producers: [...new Set(n.inputs.filter((i) => isFloatType(base.types.get(i))).flatMap((i) => {
        const p = producer.get(i);
        return p && p.name !== '' && p.opType !== 'Constant' ? [p.name] : [];
      }))],
    }));
  const readers = new Map<string, string[]>();
  for (const n of main.nodes) {
    if (!n.name) continue;
    for (const i of n.inputs) {
      if (!i) continue;
      const list = readers.get(i);
      if (list) list.push(n.name);
      else readers.set(i, [n.name]);
    }
  }

  return {
    nodes,
    inputs: base.inputsUsed,
    thresholds,
    notes: base.assumptions,
    // Every pass compares every value, so per-node drift comes with each probe whatever is asked.
    async run(keep): Promise<ProbeOutcome> {
      const pass = await emulationPass(base, policy, { thresholds, keepFp32: keep });
      if (pass.status !== 'ok') return { ok: false, reason: pass.reason ?? 'the emulation pass failed' };
      const outputs = pass.outputs.map((o) => (o.node ? { ...o, node: toModel(o.node) } : o));
      return { ok: true, pass: allPass(outputs), outputs, nodes: driftByNode(pass.nodes, readers) };
    },
    close: () => releaseEmulation(base),
  };
}

/** Each node's worst drift in one pass; a weight beyond fp16's range stays fp32 only when every node reading it is kept. */
function driftByNode(metrics: readonly NodeMetrics[], readers: ReadonlyMap<string, readonly string[]>): Map<string, NodeDrift> {
  const drift = new Map<string, NodeDrift>();
  const note = (name: string, d: number, overflow: boolean): void => {
    const was = drift.get(name);
    drift.set(name, { drift: Math.max(was?.drift ?? 0, d), overflow: (was?.overflow ?? false) || overflow });
  };
  for (const m of metrics) {
    if (m.weight) {
      if (m.beyondFp16 > 0) for (const r of readers.get(m.output) ?? []) note(r, drift.get(r)?.drift ?? 0, true);
      continue;
    }
    note(m.node, driftOf(m), m.fp16 && m.referenceMaxAbs > FP16_MAX);
  }
  return drift;
}

/** 0..1: new NaN/Inf is 1; else the relative Euclidean distance (1 − cosine where the reference is all zero), capped. */
function driftOf(m: NodeMetrics): number {
  if (m.newNonFinite > 0) return 1;
  const d = m.relativeEuclidean ?? 1 - m.cosine;
  return Number.isFinite(d) ? Math.min(1, Math.max(0, d)) : 1;
}
