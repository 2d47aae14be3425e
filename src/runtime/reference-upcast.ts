import { dataTypeByName } from '../onnx/data-types.js';
import type { ModelIR } from '../onnx/ir.js';
import { RewriteError, rewriteModel } from '../onnx/rewrite.js';
import type { RunResult } from './types.js';

export type UpcastFrom = 'BFLOAT16' | 'FLOAT16';

/** What ONNX Runtime says when the CPU provider has no kernel, or the binding no tensor, for a type. */
const MISSING_KERNEL = /Could not find an implementation|NOT_IMPLEMENTED|not implemented|Unsupported data type|cannot feed|type.*not supported/i;

/**
 * When the model as it is cannot run and the reason is a missing kernel or tensor type, an fp32
 * copy is a faithful reference: every bf16 and fp16 value is exactly representable in fp32, so
 * the upcast copy computes what the model means, at fp32 precision. It says nothing of the
 * model's speed in its own precision, which the result must say.
 */
export function upcastCandidate(model: ModelIR, failure: string): UpcastFrom | undefined {
  if (!MISSING_KERNEL.test(failure)) return undefined;
  if (usesElementType(model, 'BFLOAT16')) return 'BFLOAT16';
  if (usesElementType(model, 'FLOAT16')) return 'FLOAT16';
  return undefined;
}

export function referenceLabel(from: UpcastFrom): NonNullable<RunResult['reference']> {
  return from === 'BFLOAT16' ? 'upcast-bf16-to-fp32' : 'upcast-fp16-to-fp32';
}

/** The element type a reference label says was upcast. */
export function upcastOf(reference: RunResult['reference']): UpcastFrom | undefined {
  if (reference === 'upcast-bf16-to-fp32') return 'BFLOAT16';
  if (reference === 'upcast-fp16-to-fp32') return 'FLOAT16';
  return undefined;
}

/**
 * The one fp32 reference fallback, for the run and the emulation alike: when the model as it is
 * failed for want of a kernel (`failure`) and it holds bf16 or fp16 tensors, the copy with them
 * upcast to FLOAT. `from` given (the run already found the model needs it) skips the diagnosis.
 * undefined when the failure is of another kind; `error` when the copy cannot be made.
 */
export function referenceCopy(
  model: ModelIR, bytes: Uint8Array, why: { failure: string } | { from: UpcastFrom },
): { from: UpcastFrom; bytes: Uint8Array } | { from: UpcastFrom; error: string } | undefined {
  const from = 'from' in why ? why.from : upcastCandidate(model, why.failure);
  if (!from) return undefined;
  const copy = upcastBytes(bytes, from);
  return 'error' in copy ? { from, error: copy.error } : { from, bytes: copy };
}

/** The fp32 copy's bytes, or why it cannot be made (external data, a corrupt file). */
export function upcastBytes(bytes: Uint8Array, from: UpcastFrom): Uint8Array | { error: string } {
  try {
    return rewriteModel(bytes, { retype: { from, to: 'FLOAT' } });
  } catch (e) {
    if (e instanceof RewriteError) return { error: e.message };
    throw e;
  }
}

export function usesElementType(model: ModelIR, dtype: UpcastFrom): boolean {
  const code = dataTypeByName(dtype).code;
  for (const g of model.graphs) {
    if (g.initializers.some((t) => t.dtype === dtype)) return true;
    if ([...g.inputs, ...g.outputs, ...g.valueInfo].some((v) => v.dtype === dtype)) return true;
    for (const n of g.nodes) {
      if (n.opType === 'Cast' && n.attributes.some((a) => a.name === 'to' && a.i === code)) return true;
      if (n.attributes.some((a) => a.tensors?.some((t) => t.dtype === dtype))) return true;
    }
  }
  return false;
}
