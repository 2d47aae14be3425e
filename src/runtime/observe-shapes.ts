import type { ModelIR, NodeIR } from '../onnx/ir.js';
import { rewriteModel } from '../onnx/rewrite.js';
import type { OrtModule } from './load-ort.js';
import { ONNX_TYPE_OF } from './input-values.js';
import type { ObservedShape, ObservedShapes, ProviderName } from './types.js';
import { append } from '../arrays.js';
import { nameRecord } from '../own-keys.js';

export const DEFAULT_MAX_OBSERVED_VALUES = 5000;
/** Values exposed per session: each chunk is a session of its own, so its outputs stay bounded. */
const MAX_CHUNK = 200;
/** What one chunk's exposed values may take, by the sizes the profile saw (or the largest seen so far). */
const CHUNK_BYTE_BUDGET = 256 * 2 ** 20;
/** Values in the first chunk when nothing tells their size yet. */
const FIRST_BLIND_CHUNK = 16;
/** Chunks that fail are split to find the values ONNX Runtime cannot expose; this bounds the retries. */
const MAX_EXTRA_SESSIONS = 24;

interface FetchedTensor {
  type: string;
  dims: readonly number[];
  size: number;
  dispose?: () => void;
}

/**
 * The shape and dtype of every value a main-graph node (other than Constant) produces. Where the
 * profiled run recorded a node's outputs (ONNX Runtime's profiler logs each node's output types and
 * shapes), those are used: no extra run. The rest are observed by running copies of the model that
 * expose those values as graph outputs (rewriteModel: names only, ONNX Runtime infers the types),
 * in chunks, each on a session of its own, keeping only shape and dtype. Only main-graph values:
 * ONNX does not let a subgraph's values be model outputs.
 */
export async function observeShapes(
  ort: OrtModule, bytes: Uint8Array, model: ModelIR, feeds: Record<string, unknown>, provider: ProviderName,
  options: {
    maxValues?: number;
    extraSessionOptions?: Record<string, unknown>;
    /** Output bytes per node name, from a profiled run. */
    outputBytes?: Map<string, number>;
    /** Output dtypes and dims per node name, from a profiled run. */
    profiledShapes?: Map<string, { dtype: string; dims: number[] }[]>;
  } = {},
): Promise<ObservedShapes> {
  const main = model.graphs[0]!;
  const graphOutputs = new Set(main.outputs.map((o) => o.name));
  const inputs = new Set(main.inputs.map((i) => i.name));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const node of main.nodes) {
    // A Constant's shape is in the model already; exposing it would only cost chunk room.
    if (node.opType === 'Constant' && node.domain === 'ai.onnx') continue;
    for (const out of node.outputs) {
      if (out && !seen.has(out) && !inputs.has(out)) {
        seen.add(out);
        names.push(out);
      }
    }
  }
  const maxValues = options.maxValues ?? DEFAULT_MAX_OBSERVED_VALUES;
  const kept = new Set(names.slice(0, maxValues));
  const values = nameRecord<ObservedShape>();
  const fromProfile = profiledValues(model, options.profiledShapes, kept);
  for (const [name, shape] of fromProfile) values[name] = shape;
  const wanted = [...kept].filter((n) => !fromProfile.has(n));
  const missing: string[] = [];
  let sessions = 0;
  let extraSessions = 0;
  // Sizes come from the profile when there was one (bytes per producing node, split over its
  // outputs); otherwise from the largest value seen so far, starting with a small first chunk.
  const estimate = sizeEstimates(main.nodes, options.outputBytes);
  let largestSeen = 0;

  const runChunk = async (chunk: string[]): Promise<FetchedTensor[] | Error> => {
    sessions++;
    try {
      const added = chunk.filter((n) => !graphOutputs.has(n));
      const rewritten = rewriteModel(bytes, { addOutputs: added });
      const session = await ort.InferenceSession.create(rewritten, {
        executionProviders: [provider],
        // Unoptimised, so every node of the model runs as written and none is folded away.
        graphOptimizationLevel: 'disabled',
        logSeverityLevel: 4,
        ...options.extraSessionOptions,
      });
      try {
        const out = await session.run(feeds as never, chunk);
        return chunk.map((n) => out[n] as unknown as FetchedTensor);
      } finally {
        await session.release();
      }
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  };

  const nextChunk = (from: number): string[] => {
    const chunk: string[] = [];
    let bytes = 0;
    for (let i = from; i < wanted.length && chunk.length < MAX_CHUNK; i++) {
      const guess = estimate.get(wanted[i]!) ?? (largestSeen > 0 ? largestSeen : undefined);
      if (guess === undefined && chunk.length >= FIRST_BLIND_CHUNK) break;
      if (chunk.length > 0 && bytes + (guess ?? 0) > CHUNK_BYTE_BUDGET) break;
      bytes += guess ?? 0;
      chunk.push(wanted[i]!);
    }
    return chunk;
  };

  const pending: string[][] = [];
  for (let at = 0; at < wanted.length || pending.length > 0;) {
    let chunk: string[];
    if (pending.length > 0) chunk = pending.shift()!;
    else {
      chunk = nextChunk(at);
      at += chunk.length;
    }
    const fetched = await runChunk(chunk);
    if (fetched instanceof Error) {
      if (chunk.length === 1 || extraSessions >= MAX_EXTRA_SESSIONS) append(missing, chunk);
      else {
        const half = Math.ceil(chunk.length / 2);
        pending.unshift(chunk.slice(0, half), chunk.slice(half));
        extraSessions += 2;
      }
      continue;
    }
    fetched.forEach((t, i) => {
      const name = chunk[i]!;
      if (!t || typeof t.type !== 'string') {
        missing.push(name);
        return;
      }
      values[name] = { dtype: ONNX_TYPE_OF[t.type] ?? t.type, dims: [...t.dims] };
      largestSeen = Math.max(largestSeen, t.size * bytesPerElement(t.type));
      t.dispose?.();
    });
  }
  return { provider, values, requested: names.length, missing, fromProfile: fromProfile.size, chunks: sessions };
}

/**
 * Values whose shapes the profiled run recorded. A profiled node is matched to the model's node by
 * name (or the "#<index> <OpType>" stand-in of an unnamed main-graph node); a name that appears in
 * more than one graph is ambiguous and left out, as is a node with an omitted optional output,
 * whose outputs the profiler lists without the gaps.
 */
function profiledValues(
  model: ModelIR, shapes: Map<string, { dtype: string; dims: number[] }[]> | undefined, kept: Set<string>,
): Map<string, ObservedShape> {
  const out = new Map<string, ObservedShape>();
  if (!shapes) return out;
  const nameCount = new Map<string, number>();
  for (const g of model.graphs) for (const n of g.nodes) if (n.name) nameCount.set(n.name, (nameCount.get(n.name) ?? 0) + 1);
  for (const node of model.graphs[0]!.nodes) {
    if (node.name && nameCount.get(node.name) !== 1) continue;
    const recorded = shapes.get(node.name || `#${node.index} ${node.opType}`);
    if (!recorded || recorded.length !== node.outputs.length || node.outputs.some((o) => !o)) continue;
    node.outputs.forEach((o, i) => {
      if (kept.has(o)) out.set(o, { dtype: recorded[i]!.dtype, dims: [...recorded[i]!.dims] });
    });
  }
  return out;
}

function sizeEstimates(nodes: NodeIR[], outputBytes: Map<string, number> | undefined): Map<string, number> {
  const sizes = new Map<string, number>();
  if (!outputBytes) return sizes;
  for (const node of nodes) {
    const bytes = outputBytes.get(node.name || `#${node.index} ${node.opType}`);
    if (bytes === undefined) continue;
    const outs = node.outputs.filter(Boolean);
    for (const o of outs) sizes.set(o, bytes / outs.length);
  }
  return sizes;
}

function bytesPerElement(type: string): number {
  if (type === 'float64' || type === 'int64' || type === 'uint64') return 8;
  if (type === 'float16' || type === 'int16' || type === 'uint16') return 2;
  if (type === 'int8' || type === 'uint8' || type === 'bool') return 1;
  return 4;
}
