import type { NodeIR } from '../onnx/ir.js';
import { rewriteModel } from '../onnx/rewrite.js';
import type { OrtModule } from '../runtime/load-ort.js';
import { plainOrtReason } from '../runtime/ort-errors.js';
import { FP16_MAX } from './float-rounding.js';
import { byteLengthOf, numbersOf, type FetchedTensor } from './ort-values.js';
import { tensorMetrics, type Numbers } from './tensor-metrics.js';
import { layerMisses } from './thresholds.js';
import type { FirstDrift, LayerDrift, LayerwiseSummary, NodeAt, Overflow, TensorMetrics, Thresholds } from './types.js';

/**
 * A value to look at: a float output of a main-graph node (compared between the two copies), or a
 * weight the emulated copy stores in fp16 (`weight`: only checked for values beyond fp16's range,
 * in the reference; `node` is its first consumer).
 */
export interface Tap {
  value: string;
  node: NodeIR;
  /** Whether the emulated copy stores this value in fp16 (so values beyond 65504 overflow). */
  fp16: boolean;
  weight?: boolean;
  /** Its size when known beforehand (a weight's). */
  bytes?: number;
}

export interface LayerwiseInput {
  ort: OrtModule;
  referenceBytes: Uint8Array;
  emulatedBytes: Uint8Array;
  referenceFeeds: Record<string, unknown>;
  emulatedFeeds: Record<string, unknown>;
  /** In topological order. */
  taps: Tap[];
  graphOutputs: ReadonlySet<string>;
  sessionOptions: Record<string, unknown>;
  thresholds: Thresholds;
  /** What one chunk's values may take, per copy. */
  budgetBytes: number;
  /** Bytes of each value as the reference run saw them (from its profile), where known. */
  valueBytes?: ReadonlyMap<string, number>;
  /** Sessions per copy at most: each runs the whole model, so this bounds the time taken. */
  maxChunks: number;
  /** Called with the metrics of every value compared (undefined: the shapes differ). */
  onValue?: (tap: Tap, metrics: TensorMetrics | undefined) => void;
}

export interface LayerwiseOutcome {
  summary: LayerwiseSummary;
  firstDrift?: FirstDrift;
  overflows: Overflow[];
}

/** Values exposed per session at most. */
const MAX_CHUNK = 1024;
/** Values of unknown size in a chunk while no value's size has been seen yet. */
const BLIND_CHUNK = 16;
/** Chunks that fail are split to find the values ONNX Runtime cannot expose; this bounds the retries. */
const MAX_EXTRA_SESSIONS = 24;
/** Overflowing values listed per kind (the summary counts them all). */
export const MAX_OVERFLOW_VALUES = 20;
const WORST = 5;

/**
 * Compares every tapped value of the reference and the emulated copy, in topological order and
 * with bounded memory: the values are exposed as graph outputs a chunk at a time (a session per
 * chunk and copy), compared, and dropped before the next chunk. A chunk holds as many values as
 * fit the byte budget, each sized by the reference run's profile or, where that does not tell, as
 * the largest value seen so far (and while none has been seen, the chunk stays small).
 */
export async function compareLayers(input: LayerwiseInput): Promise<LayerwiseOutcome> {
  const { taps, thresholds } = input;
  const worst: LayerDrift[] = [];
  const overflows: Overflow[] = [];
  const overflowValues = { 'fp16-overflow': 0, 'nan-inf': 0 };
  let firstDrift: FirstDrift | undefined;
  let compared = 0;
  let missing = 0;
  let drifting = 0;
  let chunks = 0;
  let extraSessions = 0;
  let largest = 0;

  const pending: Tap[][] = [];
  let at = 0;
  while (at < taps.length || pending.length > 0) {
    if (chunks >= input.maxChunks) break;
    let chunk: Tap[];
    if (pending.length > 0) chunk = pending.shift()!;
    else {
      chunk = nextChunk(input, at, largest);
      at += chunk.length;
    }
    chunks++;
    const fetched = await fetchBoth(input, chunk);
    if (fetched instanceof Error) {
      if (chunk.length === 1 || extraSessions >= MAX_EXTRA_SESSIONS) missing += chunk.length;
      else {
        const half = Math.ceil(chunk.length / 2);
        pending.unshift(chunk.slice(0, half), chunk.slice(half));
        extraSessions += 2;
      }
      continue;
    }
    const [refs, emus] = fetched;
    chunk.forEach((tap, i) => {
      const ref = refs[i];
      const emu = emus[i];
      try {
        const a = ref && numbersOf(ref);
        const at = nodeAt(tap.node);
        const overflow = (maxAbs: number, elements: number): void => {
          const beyond = tap.fp16 && a ? countBeyond(a, FP16_MAX) : 0;
          if (beyond > 0 && overflowValues['fp16-overflow']++ < MAX_OVERFLOW_VALUES) {
            overflows.push({ ...at, kind: 'fp16-overflow', output: tap.value, count: beyond, elements, maxAbs, ...(tap.weight ? { weight: true } : {}) });
          }
        };
        if (tap.weight) {
          if (!ref || !a) return;
          largest = Math.max(largest, byteLengthOf(ref));
          overflow(maxAbsOf(a), a.length);
          return;
        }
        const b = emu && numbersOf(emu);
        if (!ref || !emu || !a || !b) {
          missing++;
          return;
        }
        largest = Math.max(largest, byteLengthOf(ref), byteLengthOf(emu));
        compared++;
        if (!sameDims(ref.dims, emu.dims)) {
          drifting++;
          firstDrift ??= { ...at, output: tap.value, metric: 'shape', value: 0, threshold: 0, cosine: 0, relativeEuclidean: null };
          input.onValue?.(tap, undefined);
          return;
        }
        const m = tensorMetrics(a, b);
        input.onValue?.(tap, m);
        const misses = layerMisses(m, thresholds);
        if (misses.length > 0) {
          drifting++;
          const miss = misses[0]!;
          firstDrift ??= { ...at, output: tap.value, metric: miss.metric, value: miss.value, threshold: miss.threshold, cosine: m.cosine, relativeEuclidean: m.relativeEuclidean };
        }
        keepWorst(worst, { ...at, output: tap.value, dims: [...ref.dims], cosine: m.cosine, relativeEuclidean: m.relativeEuclidean, maxAbsError: m.maxAbsError });
        overflow(m.reference.maxAbs, m.elements);
        if (m.newNonFinite > 0 && overflowValues['nan-inf']++ < MAX_OVERFLOW_VALUES) {
          overflows.push({ ...at, kind: 'nan-inf', output: tap.value, count: m.newNonFinite, elements: m.elements, maxAbs: m.reference.maxAbs });
        }
      } finally {
        ref?.dispose?.();
        emu?.dispose?.();
      }
    });
  }
  const unvisited = taps.length - at + pending.reduce((n, c) => n + c.length, 0);
  return {
    summary: { compared, missing, unvisited, chunks, drifting, worst, overflowValues },
    ...(firstDrift ? { firstDrift } : {}),
    overflows,
  };
}

function nextChunk(input: LayerwiseInput, from: number, largestSeen: number): Tap[] {
  const chunk: Tap[] = [];
  let bytes = 0;
  let blind = 0;
  for (let i = from; i < input.taps.length && chunk.length < MAX_CHUNK; i++) {
    const tap = input.taps[i]!;
    const guess = tap.bytes ?? input.valueBytes?.get(tap.value) ?? (largestSeen > 0 ? largestSeen : undefined);
    if (guess === undefined && blind >= BLIND_CHUNK) break;
    if (chunk.length > 0 && bytes + (guess ?? 0) > input.budgetBytes) break;
    if (guess === undefined) blind++;
    bytes += guess ?? 0;
    chunk.push(tap);
  }
  return chunk;
}

/** The chunk's values from both copies, by position in the chunk (weights from the reference only). */
async function fetchBoth(input: LayerwiseInput, chunk: Tap[]): Promise<[(FetchedTensor | undefined)[], (FetchedTensor | undefined)[]] | Error> {
  const names = chunk.map((t) => t.value);
  const refs = await fetchValues(input, input.referenceBytes, input.referenceFeeds, names);
  if (refs instanceof Error) return refs;
  const compared = chunk.filter((t) => !t.weight).map((t) => t.value);
  const emus = compared.length > 0 ? await fetchValues(input, input.emulatedBytes, input.emulatedFeeds, compared) : [];
  if (emus instanceof Error) {
    for (const t of refs) t?.dispose?.();
    return emus;
  }
  const byName = new Map(compared.map((n, i) => [n, emus[i]]));
  return [refs, chunk.map((t) => (t.weight ? undefined : byName.get(t.value)))];
}

async function fetchValues(
  input: LayerwiseInput, bytes: Uint8Array, feeds: Record<string, unknown>, names: string[],
): Promise<(FetchedTensor | undefined)[] | Error> {
  const added = names.filter((n) => !input.graphOutputs.has(n));
  try {
    const session = await input.ort.InferenceSession.create(rewriteModel(bytes, { addOutputs: added }), input.sessionOptions);
    try {
      const out = await session.run(feeds as never, names);
      return names.map((n) => out[n] as unknown as FetchedTensor | undefined);
    } finally {
      await session.release();
    }
  } catch (e) {
    return new Error(plainOrtReason(e));
  }
}

export function nodeAt(node: NodeIR): NodeAt {
  return {
    node: node.name !== '' ? node.name : `#${node.index} ${node.opType}`,
    opType: node.opType,
    index: node.index,
    named: node.name !== '',
  };
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function maxAbsOf(values: Numbers): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]!);
    if (v > max && Number.isFinite(v)) max = v;
  }
  return max;
}

function countBeyond(values: Numbers, limit: number): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v) && Math.abs(v) > limit) n++;
  }
  return n;
}

/** Keeps the WORST lowest-cosine values, lowest first. */
function keepWorst(worst: LayerDrift[], d: LayerDrift): void {
  if (worst.length === WORST && d.cosine >= worst[WORST - 1]!.cosine) return;
  worst.push(d);
  worst.sort((x, y) => x.cosine - y.cosine || x.index - y.index);
  if (worst.length > WORST) worst.pop();
}
