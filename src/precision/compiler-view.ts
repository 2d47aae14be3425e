import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModel } from '../onnx/decode.js';
import type { ModelIR } from '../onnx/ir.js';
import type { OrtModule } from '../runtime/load-ort.js';
import { plainOrtReason } from '../runtime/ort-errors.js';
import { referenceCopy, referenceLabel, type UpcastFrom } from '../runtime/reference-upcast.js';
import type { PrecisionResult } from './types.js';

/** The graph the emulation works on. */
export interface CompilerView {
  bytes: Uint8Array;
  model: ModelIR;
  /** Set when the model's own element type has no CPU kernel and an fp32 copy is the reference. */
  upcastFrom?: UpcastFrom;
  reference?: PrecisionResult['reference'];
  notes: string[];
}

/**
 * The graph as the target's compiler converts it. Compilers fold constants and fold BatchNorm (and
 * a following Mul/Add) into the convolution before they convert precision, so BatchNorm statistics,
 * which reach 1e8 in real models, are never stored in fp16 on the target. ONNX Runtime's 'basic'
 * optimisations do the same foldings and nothing else (no fused kernels of its own), so the graph
 * they leave, saved by ONNX Runtime and decoded again, is what the emulation converts. Only a
 * session is created (never run). `fold: false` emulates on the graph as exported.
 *
 * When the model's own types have no CPU kernel (bf16), the view is built from a faithful fp32 copy
 * (runtime/reference-upcast, the one fallback); `upcastFrom` says the run already found so.
 */
export async function compilerView(
  ort: OrtModule, bytes: Uint8Array, model: ModelIR, workDir: string, sessionOptions: Record<string, unknown>, fold: boolean,
  upcastFrom?: UpcastFrom,
): Promise<CompilerView | { error: string }> {
  const folded = join(workDir, 'compiler-view.onnx');
  const options: Record<string, unknown> = {
    ...sessionOptions,
    ...(fold ? { graphOptimizationLevel: 'basic', optimizedModelFilePath: folded } : {}),
  };
  const notes: string[] = [];
  const fromCopy = (from: UpcastFrom, why: string): void => {
    notes.push(
      `the model as it is does not run on ONNX Runtime's CPU provider (${why}); the reference is a copy with every ` +
        `${from} tensor upcast to FLOAT (exact), and the emulated copy rounds those values as the policy rounds fp32 ones`,
    );
  };
  let source = bytes;
  let session: Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;
  if (upcastFrom) {
    // The run already found that the model needs its fp32 copy: no second failed attempt.
    const copy = referenceCopy(model, bytes, { from: upcastFrom });
    if (!copy || 'error' in copy) return { error: `an fp32 reference copy could not be made: ${copy?.error ?? 'no copy'}` };
    try {
      session = await ort.InferenceSession.create(copy.bytes, options);
    } catch (e) {
      return { error: `the model does not run on ONNX Runtime's CPU provider here: ${plainOrtReason(e)}` };
    }
    fromCopy(upcastFrom, `no ${upcastFrom} kernel for it, as the run found`);
    source = copy.bytes;
  } else {
    try {
      session = await ort.InferenceSession.create(bytes, options);
    } catch (e) {
      const reason = plainOrtReason(e);
      const copy = referenceCopy(model, bytes, { failure: reason });
      if (!copy || 'error' in copy) return { error: `the model does not run on ONNX Runtime's CPU provider here: ${reason}` };
      try {
        session = await ort.InferenceSession.create(copy.bytes, options);
      } catch {
        return { error: `the model does not run on ONNX Runtime's CPU provider here: ${reason}` };
      }
      fromCopy(copy.from, reason);
      source = copy.bytes;
      upcastFrom = copy.from;
    }
  }
  await session.release();

  let viewBytes = source;
  let viewModel = source === bytes ? model : decodeModel(source);
  if (fold) {
    try {
      viewBytes = new Uint8Array(await readFile(folded));
      viewModel = decodeModel(viewBytes);
      const before = model.graphs[0]!.nodes.length;
      const after = viewModel.graphs[0]!.nodes.length;
      notes.push(
        'the emulation converts the graph as a compiler does, after folding constants and folding BatchNorm, Add and Mul ' +
          `into the convolutions before them (ONNX Runtime's basic optimisations, which ATC's fusion passes match): ` +
          `${after} of the model's ${before} main-graph nodes remain, and node names are those of that graph`,
      );
    } catch (e) {
      viewBytes = source;
      viewModel = source === bytes ? model : decodeModel(source);
      notes.push(`the graph is emulated as exported, without folding: ONNX Runtime did not save its folded graph (${plainOrtReason(e)})`);
    }
  }
  return { bytes: viewBytes, model: viewModel, ...(upcastFrom ? { upcastFrom, reference: referenceLabel(upcastFrom) } : {}), notes };
}
