import type { ModelIR, NodeIR } from '../onnx/ir.js';
import { nodeAt } from './node-at.js';
import { numbersOf, type FetchedTensor } from './ort-values.js';
import { tensorMetrics } from './tensor-metrics.js';
import { outputMisses } from './thresholds.js';
import type { OutputComparison, Thresholds } from './types.js';

/** Ops that only move or relabel values: a softmax seen through them still gives class scores. */
const PASS_THROUGH = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);
const CLASS_SCORES = new Set(['Softmax', 'LogSoftmax']);
const CLASS_NAME = /logit|prob|score|class|cls/i;

/** Compares each model output of the emulated run with the reference's, with a verdict. */
export function compareOutputs(
  model: ModelIR, names: string[], refOut: Record<string, FetchedTensor>, emuOut: Record<string, FetchedTensor>,
  thresholds: Thresholds,
): OutputComparison[] {
  const main = model.graphs[0]!;
  const producer = new Map<string, NodeIR>();
  for (const n of main.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  return names.map((name): OutputComparison => {
    const ref = refOut[name];
    const emu = emuOut[name];
    const node = producer.get(name);
    const base = { name, dtype: ref?.type ?? 'unknown', dims: ref ? [...ref.dims] : [], ...(node ? { node: nodeAt(node) } : {}) };
    if (!ref || !emu) return { ...base, verdict: 'fail', misses: [], note: 'not returned by ONNX Runtime' };
    const a = numbersOf(ref);
    const b = numbersOf(emu);
    if (!a || !b) return { ...base, verdict: 'skipped', misses: [], note: `a ${ref.type} tensor: not compared` };
    if (ref.dims.length !== emu.dims.length || ref.dims.some((d, i) => d !== emu.dims[i])) {
      return {
        ...base, verdict: 'fail', misses: [{ metric: 'shape', value: 0, threshold: 0 }],
        note: `the emulated run returns shape [${emu.dims.join(', ')}], the reference [${ref.dims.join(', ')}]`,
      };
    }
    const classes = isClassificationLike(name, ref.dims, producer) ? ref.dims[ref.dims.length - 1] : undefined;
    const metrics = tensorMetrics(a, b, classes);
    const misses = outputMisses(metrics, thresholds);
    return { ...base, metrics, verdict: misses.length > 0 ? 'fail' : 'pass', misses };
  });
}

/**
 * Classification-like: rank ≥ 2 with a class axis (the last) of at least 2, holding class scores:
 * produced by Softmax/LogSoftmax (possibly through reshapes), or named like logits, probabilities,
 * scores or classes. Maps, masks and recurrent states (a sigmoid map, Silero's state) are not,
 * even when their last dim is large: top-k agreement would mean nothing for them.
 */
export function isClassificationLike(name: string, dims: readonly number[], producer: ReadonlyMap<string, NodeIR>): boolean {
  if (dims.length < 2 || (dims[dims.length - 1] ?? 0) < 2) return false;
  if (CLASS_NAME.test(name)) return true;
  let value = name;
  for (let hops = 0; hops < 8; hops++) {
    const node = producer.get(value);
    if (!node) return false;
    if (CLASS_SCORES.has(node.opType)) return true;
    if (!PASS_THROUGH.has(node.opType) || !node.inputs[0]) return false;
    value = node.inputs[0];
  }
  return false;
}
