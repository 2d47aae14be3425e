import type { DataTypeName } from '../onnx/data-types.js';
import type { ModelIR } from '../onnx/ir.js';
import { rewriteModel } from '../onnx/rewrite.js';
import { TensorDtypes } from '../inspect/tensor-dtypes.js';
import type { OrtModule } from '../runtime/load-ort.js';

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;
import { plainOrtReason } from '../runtime/ort-errors.js';

/** onnxruntime-node's tensor type names for the float types it can fetch. */
const FLOAT_OF_ORT: Record<string, DataTypeName> = { float32: 'FLOAT', float16: 'FLOAT16', float64: 'DOUBLE' };

export interface ValueTypes {
  /** Element type of each main-graph node output whose type is known. */
  types: Map<string, DataTypeName>;
  /** Set when ONNX Runtime's type inference was not available and the file's own types were used. */
  fallback?: string;
}

/**
 * The element type of every value a main-graph node produces. Exporters rarely write value_info
 * (PaddleOCR's models have none), so the types come from ONNX Runtime's own inference: a session is
 * created (never run) on a copy that exposes every node output, and its output metadata read. When
 * that session cannot be created, the types the file states (value_info, graph outputs, Constant
 * and Cast nodes) are used, and values of unknown type are left alone by the emulation.
 */
export async function mainValueTypes(
  model: ModelIR, bytes: Uint8Array, createSession: (bytes: Uint8Array) => Promise<Session>,
): Promise<ValueTypes> {
  const main = model.graphs[0]!;
  const declared = new Set(main.outputs.map((o) => o.name));
  const names = new Set<string>();
  for (const n of main.nodes) for (const o of n.outputs) if (o) names.add(o);
  try {
    const tapped = rewriteModel(bytes, { addOutputs: [...names].filter((n) => !declared.has(n)) });
    const session = await createSession(tapped);
    try {
      const types = new Map<string, DataTypeName>();
      for (const meta of session.outputMetadata) {
        if (!names.has(meta.name)) continue;
        types.set(meta.name, meta.isTensor ? (ONNX_OF_ORT[meta.type] ?? 'UNDEFINED') : 'UNDEFINED');
      }
      return { types };
    } finally {
      await session.release();
    }
  } catch (e) {
    const dtypes = new TensorDtypes(model);
    const types = new Map<string, DataTypeName>();
    for (const name of names) {
      const t = dtypes.lookup(0, name);
      if (t) types.set(name, t);
    }
    return { types, fallback: `ONNX Runtime's type inference failed (${plainOrtReason(e)}); only the types the file states were used` };
  }
}

const ONNX_OF_ORT: Record<string, DataTypeName> = {
  ...FLOAT_OF_ORT,
  int8: 'INT8', uint8: 'UINT8', int16: 'INT16', uint16: 'UINT16', int32: 'INT32', uint32: 'UINT32',
  int64: 'INT64', uint64: 'UINT64', bool: 'BOOL', string: 'STRING', int4: 'INT4', uint4: 'UINT4', bfloat16: 'BFLOAT16',
};

export function isFloatType(t: DataTypeName | undefined): t is 'FLOAT' | 'FLOAT16' | 'DOUBLE' | 'BFLOAT16' {
  return t === 'FLOAT' || t === 'FLOAT16' || t === 'DOUBLE' || t === 'BFLOAT16';
}
