/**
 * Small models for the estimate tests, built with the project's own writer and read back with its
 * decoder; `analyse` returns what the estimate sees, given the model bytes (for constants).
 */
import { decodeModel } from '../../src/onnx/decode.js';
import type { ModelIR } from '../../src/onnx/ir.js';
import type { ModelSpec, NodeSpec, TensorSpec, ValueSpec } from '../../src/onnx/model-spec.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { tensorFromInts } from '../../src/onnx/tensor-data.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import type { Profile } from '../../src/profiles/schema.js';

export const TARGETS = ['h20', 'ascend-910b', 'ascend-910c'] as const;
export type TargetId = (typeof TARGETS)[number];

const profiles = new Map<string, Profile>();
export function profile(id: TargetId): Profile {
  let p = profiles.get(id);
  if (!p) profiles.set(id, (p = loadBuiltinProfile(id)));
  return p;
}

export interface Built {
  bytes: Uint8Array;
  model: ModelIR;
}

export function build(spec: ModelSpec): Built {
  const bytes = encodeModel(spec);
  return { bytes, model: decodeModel(bytes, { path: 'test.onnx' }) };
}

/** Weights whose values do not matter: declared as zero-filled raw data of the right size. */
export function zeros(name: string, dims: number[], dtype: TensorSpec['dtype'] = 'FLOAT'): TensorSpec {
  const size = { FLOAT: 4, FLOAT16: 2, INT64: 8, INT32: 4 }[dtype as 'FLOAT'] ?? 4;
  return { name, dtype, dims, raw: new Uint8Array(dims.reduce((a, b) => a * b, 1) * size) };
}

export const int64s = (name: string, values: number[]): TensorSpec => tensorFromInts(name, [values.length], values);

export const f32 = (name: string, dims: ValueSpec['dims']): ValueSpec => ({ name, dtype: 'FLOAT', dims });

/** A one-graph model at opset 17 (com.microsoft 1 imported too). */
export function graphOf(
  nodes: NodeSpec[], inputs: ValueSpec[], outputs: ValueSpec[], initializers: TensorSpec[] = [],
): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17, 'com.microsoft': 1 },
    graph: { nodes, inputs, outputs, initializers },
  };
}
