import type { Profile } from '../profiles/schema.js';
import type { NodeAt } from './types.js';

/**
 * Lines of an ATC `--keep_dtype` config file keeping these nodes in their original precision: a
 * node's name (ATC keeps ONNX node names), or, for a node the exporter left unnamed,
 * `OpType::<CANN op>` with the op type ATC maps it to (from the profile), which keeps every node
 * of that type. A node whose CANN op is unknown or expanded (PartitionedCall) cannot be listed.
 */
export function keepDtypeLines(profile: Profile, nodes: readonly NodeAt[]): string[] {
  const lines: string[] = [];
  for (const n of nodes) {
    let line: string | undefined;
    if (n.named) line = n.node;
    else {
      const cann = profile.ops.entries.find((e) => e.domain === 'ai.onnx' && e.op === n.opType && e.mapsTo)?.mapsTo;
      if (cann && cann !== 'PartitionedCall') line = `OpType::${cann}`;
    }
    if (line && !lines.includes(line)) lines.push(line);
  }
  return lines;
}
