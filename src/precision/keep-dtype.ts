import type { ModelIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import type { NodeAt } from './types.js';

/**
 * Lines of an ATC `--keep_dtype` config file keeping these nodes in their original precision: the
 * node's name when the model has a node of that name (ATC keeps ONNX node names), else
 * `OpType::<CANN op>` with the op type ATC maps it to (from the profile), which keeps every node of
 * that type. A node whose CANN op is unknown or expanded (PartitionedCall) cannot be listed.
 */
export function keepDtypeLines(profile: Profile, model: ModelIR, nodes: readonly NodeAt[]): string[] {
  const names = new Set(model.graphs[0]?.nodes.map((n) => n.name).filter(Boolean) ?? []);
  const lines: string[] = [];
  for (const n of nodes) {
    let line = n.named && names.has(n.node) ? n.node : undefined;
    if (line === undefined) {
      const cann = profile.ops.entries.find((e) => e.domain === 'ai.onnx' && e.op === n.opType && e.mapsTo)?.mapsTo;
      if (cann && cann !== 'PartitionedCall') line = `OpType::${cann}`;
    }
    if (line !== undefined && !lines.includes(line)) lines.push(line);
  }
  return lines;
}
