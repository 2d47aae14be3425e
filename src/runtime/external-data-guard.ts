import { dirname } from 'node:path';
import { resolveExternalData } from '../onnx/external-data.js';
import type { ModelIR, TensorMetaIR } from '../onnx/ir.js';

/**
 * ONNX Runtime opens external data files wherever the model says. Before it is given a model, every
 * external reference must have been resolved safely inside the model's folder (resolveExternalData,
 * which the loader runs; run here too when it has not been). Returns why the model must not be
 * handed to ONNX Runtime, or undefined.
 */
export async function externalDataRefusal(modelPath: string, model: ModelIR): Promise<string | undefined> {
  let refs = externalTensors(model);
  if (refs.length === 0) return undefined;
  if (refs.some((t) => t.external!.resolvedPath === undefined && t.external!.problem === undefined)) {
    await resolveExternalData(model, dirname(modelPath));
    refs = externalTensors(model);
  }
  const bad = refs.find((t) => t.external!.problem !== undefined || t.external!.resolvedPath === undefined);
  if (!bad) return undefined;
  const count = refs.filter((t) => t.external!.problem !== undefined || t.external!.resolvedPath === undefined).length;
  return (
    `not run: tensor '${bad.name}': ${bad.external!.problem ?? 'its external data could not be resolved'}` +
    `${count > 1 ? ` (and ${count - 1} more tensors)` : ''}; ONNX Runtime is only given models whose external data stays inside their folder`
  );
}

/** Whether any tensor keeps its data in an external file (a rewritten copy loaded from memory cannot find it). */
export function hasExternalData(model: ModelIR): boolean {
  return externalTensors(model).length > 0;
}

function externalTensors(model: ModelIR): TensorMetaIR[] {
  const out: TensorMetaIR[] = [];
  for (const g of model.graphs) {
    for (const t of [...g.initializers, ...g.sparseInitializers]) if (t.external) out.push(t);
    for (const n of g.nodes) for (const a of n.attributes) for (const t of a.tensors ?? []) if (t.external) out.push(t);
  }
  return out;
}
