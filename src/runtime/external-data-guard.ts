import { dirname } from 'node:path';
import { resolveExternalData } from '../onnx/external-data.js';
import { externalPartsOf, type ExternalDataRef, type ModelIR, type TensorMetaIR } from '../onnx/ir.js';

/**
 * ONNX Runtime opens external data files wherever the model says. Before it is given a model, every
 * external reference must have been resolved safely inside the model's folder (resolveExternalData,
 * which the loader runs; run here too when it has not been). Returns why the model must not be
 * handed to ONNX Runtime, or undefined.
 */
export async function externalDataRefusal(modelPath: string, model: ModelIR): Promise<string | undefined> {
  let refs = externalRefs(model);
  if (refs.length === 0) return undefined;
  if (refs.some(({ ref }) => ref.resolvedPath === undefined && ref.problem === undefined)) {
    await resolveExternalData(model, dirname(modelPath));
    refs = externalRefs(model);
  }
  const unusable = refs.filter(({ ref }) => ref.problem !== undefined || ref.resolvedPath === undefined);
  const bad = unusable[0];
  if (!bad) return undefined;
  return (
    `not run: tensor '${bad.tensor}': ${bad.ref.problem ?? 'its external data could not be resolved'}` +
    `${unusable.length > 1 ? ` (and ${unusable.length - 1} more references)` : ''}; ONNX Runtime is only given models whose external data stays inside their folder`
  );
}

/** Whether any tensor keeps its data in an external file (a rewritten copy loaded from memory cannot find it). */
export function hasExternalData(model: ModelIR): boolean {
  return externalRefs(model).length > 0;
}

/** Every external reference (both parts of a sparse tensor) with its tensor's name. */
function externalRefs(model: ModelIR): { tensor: string; ref: ExternalDataRef }[] {
  const out: { tensor: string; ref: ExternalDataRef }[] = [];
  const add = (t: TensorMetaIR) => {
    for (const { ref } of externalPartsOf(t)) out.push({ tensor: t.name, ref });
  };
  for (const g of model.graphs) {
    for (const t of g.initializers) add(t);
    for (const t of g.sparseInitializers) add(t);
    for (const n of g.nodes) for (const a of n.attributes) for (const t of a.tensors ?? []) add(t);
  }
  return out;
}
