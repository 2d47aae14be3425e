import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModel } from '../onnx/decode.js';
import type { ModelIR } from '../onnx/ir.js';
import type { OrtModule } from '../runtime/load-ort.js';
import { plainOrtReason } from '../runtime/ort-errors.js';
import { summariseTrace } from '../runtime/profile-trace.js';
import { referenceLabel, upcastBytes, upcastCandidate, type UpcastFrom } from '../runtime/reference-upcast.js';
import type { FetchedTensor } from './ort-values.js';
import type { PrecisionResult } from './types.js';

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

/** The graph the emulation works on, and the reference session that runs it. */
export interface CompilerView {
  bytes: Uint8Array;
  model: ModelIR;
  session: Session;
  /** Set when the model's own element type has no CPU kernel and an fp32 copy is the reference. */
  upcastFrom?: UpcastFrom;
  reference?: PrecisionResult['reference'];
  notes: string[];
  /** Runs the reference once, profiled: its outputs, and the bytes of each value from the profile. */
  runReference(feeds: Record<string, unknown>): Promise<{ outputs: Record<string, FetchedTensor>; valueBytes: Map<string, number> } | { error: string }>;
}

/** A trace larger than this is not read (about 1 kB per node; the reference runs once). */
const MAX_TRACE_BYTES = 64 * 2 ** 20;

/**
 * The graph as the target's compiler converts it. Compilers fold constants and fold BatchNorm (and
 * a following Mul/Add) into the convolution before they convert precision, so BatchNorm statistics,
 * which reach 1e8 in real models, are never stored in fp16 on the target. ONNX Runtime's 'basic'
 * optimisations do the same foldings and nothing else (no fused kernels of its own), so the graph
 * they leave, saved by ONNX Runtime and decoded again, is what the emulation converts, and what the
 * reference runs. `fold: false` emulates on the graph as exported.
 *
 * When the model's own types have no CPU kernel (bf16), the view is built from a faithful fp32 copy.
 */
export async function compilerView(
  ort: OrtModule, bytes: Uint8Array, model: ModelIR, workDir: string, sessionOptions: Record<string, unknown>, fold: boolean,
): Promise<CompilerView | { error: string }> {
  const folded = join(workDir, 'compiler-view.onnx');
  const options: Record<string, unknown> = {
    ...sessionOptions,
    ...(fold ? { graphOptimizationLevel: 'basic', optimizedModelFilePath: folded } : {}),
    enableProfiling: true,
    profileFilePrefix: join(workDir, 'reference'),
  };
  const notes: string[] = [];
  let source = bytes;
  let upcastFrom: UpcastFrom | undefined;
  let session: Session;
  try {
    session = await ort.InferenceSession.create(bytes, options);
  } catch (e) {
    const reason = plainOrtReason(e);
    const from = upcastCandidate(model, reason);
    const copy = from ? upcastBytes(bytes, from) : undefined;
    if (!from || !copy || 'error' in copy) return { error: `the model does not run on ONNX Runtime's CPU provider here: ${reason}` };
    try {
      session = await ort.InferenceSession.create(copy, options);
    } catch {
      return { error: `the model does not run on ONNX Runtime's CPU provider here: ${reason}` };
    }
    notes.push(
      `the model as it is does not run on ONNX Runtime's CPU provider (${reason}); the reference is a copy with every ` +
        `${from} tensor upcast to FLOAT (exact), and the emulated copy rounds those values as the policy rounds fp32 ones`,
    );
    source = copy;
    upcastFrom = from;
  }

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

  return {
    bytes: viewBytes,
    model: viewModel,
    session,
    ...(upcastFrom ? { upcastFrom, reference: referenceLabel(upcastFrom) } : {}),
    notes,
    async runReference(feeds) {
      let outputs: Record<string, FetchedTensor>;
      try {
        outputs = (await session.run(feeds as never)) as unknown as Record<string, FetchedTensor>;
      } catch (e) {
        return { error: plainOrtReason(e) };
      } finally {
        session.endProfiling();
      }
      return { outputs, valueBytes: await valueBytesFromTrace(workDir, viewModel) };
    },
  };
}

/**
 * Bytes of each main-graph value in the reference run, from the profiler's output size per node
 * (shared equally among a node's outputs). Values it does not tell are sized as they come.
 */
async function valueBytesFromTrace(dir: string, model: ModelIR): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  try {
    const file = (await readdir(dir)).find((f) => f.startsWith('reference') && f.endsWith('.json'));
    if (!file || (await stat(join(dir, file))).size > MAX_TRACE_BYTES) return sizes;
    const trace = summariseTrace(JSON.parse(await readFile(join(dir, file), 'utf8')), 0);
    const byNode = new Map(trace.nodes.map((n) => [n.name, n.outputBytes]));
    for (const node of model.graphs[0]!.nodes) {
      const bytes = byNode.get(node.name !== '' ? node.name : `#${node.index} ${node.opType}`);
      const outs = node.outputs.filter(Boolean);
      if (bytes !== undefined && outs.length > 0) for (const o of outs) sizes.set(o, bytes / outs.length);
    }
  } catch {
    // No sizes: the chunks are sized from the values as they come.
  }
  return sizes;
}
