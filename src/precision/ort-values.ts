import type { PreparedInput } from '../runtime/inputs.js';
import { float16Bits as floatToHalfBits } from '../onnx/float-bits.js';
import type { OrtModule } from '../runtime/load-ort.js';
import { halfBitsToFloat, roundTo } from './float-rounding.js';
import type { RoundingType } from '../profiles/precision-policy.js';
import type { Numbers } from './tensor-metrics.js';
import { nameRecord } from '../own-keys.js';

/** What the precision stage reads of an onnxruntime-node tensor. */
export interface FetchedTensor {
  type: string;
  dims: readonly number[];
  data: unknown;
  dispose?: () => void;
}

/**
 * A fetched tensor's values as numbers, or undefined for a string tensor. fp16 (bit patterns) and
 * 64-bit integers are converted into a new array; the other types are read in place.
 */
export function numbersOf(t: FetchedTensor): Numbers | undefined {
  const data = t.data;
  if (t.type === 'float16' && data instanceof Uint16Array) {
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = halfBitsToFloat(data[i]!);
    return out;
  }
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
    return out;
  }
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return data as unknown as Numbers;
  return undefined;
}

export function byteLengthOf(t: FetchedTensor): number {
  const data = t.data as { byteLength?: number; length?: number };
  return data.byteLength ?? (data.length ?? 0) * 16;
}

export function toFeeds(ort: OrtModule, inputs: readonly PreparedInput[]): Record<string, unknown> {
  const feeds = nameRecord<unknown>();
  for (const i of inputs) feeds[i.name] = new ort.Tensor(i.ortType, i.data as never, i.dims);
  return feeds;
}

/**
 * Feeds for the emulated copy: float inputs rounded as the target would store them (a graph input is
 * not renamed in the emulated copy, so its rounding happens here), the others shared as they are.
 */
export function roundedFeeds(
  ort: OrtModule, inputs: readonly PreparedInput[], rounding: ReadonlyMap<string, RoundingType[]>,
): Record<string, unknown> {
  const feeds = nameRecord<unknown>();
  for (const i of inputs) {
    const steps = rounding.get(i.name);
    if (!steps || steps.length === 0) {
      feeds[i.name] = new ort.Tensor(i.ortType, i.data as never, i.dims);
      continue;
    }
    const round = (x: number): number => steps.reduce((v, s) => roundTo(s, v), x);
    let data: Float32Array | Float64Array | Uint16Array;
    if (i.data instanceof Float32Array) data = i.data.map(round);
    else if (i.data instanceof Float64Array) data = i.data.map(round);
    else if (i.ortType === 'float16' && i.data instanceof Uint16Array) {
      data = i.data.map((bits) => floatToHalfBits(round(halfBitsToFloat(bits))));
    } else {
      feeds[i.name] = new ort.Tensor(i.ortType, i.data as never, i.dims);
      continue;
    }
    feeds[i.name] = new ort.Tensor(i.ortType, data as never, i.dims);
  }
  return feeds;
}
