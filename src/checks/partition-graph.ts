import { functionKey } from '../inspect/domains.js';
import type { ModelFacts } from '../inspect/facts.js';
import { byteSizeOf, type DataTypeName } from '../onnx/data-types.js';
import type { ModelIR } from '../onnx/ir.js';
import { DEVICE_ENGINES, type Profile } from '../profiles/schema.js';
import { topologicalOrder } from '../estimate/topological-order.js';
import type { OpEngine, OpTableRow } from './op-table.js';

/**
 * The partitions a target cuts the main graph into, as ONNX Runtime's usability checker reports
 * them: runs of nodes on the accelerator (AI Core; the CUDA EP) and the host-side islands between
 * them (AI CPU; ORT's CPU provider), with every tensor that crosses from one to the other.
 *
 * A node's side comes from its op type's engine in the op table. Ops that move no data of their
 * own (GE-local shape ops, constants) and ops whose engine is unknown or that run nowhere take the
 * side of their first input's producer, so they neither split an island nor cross.
 */
export interface GraphPartitions {
  /** Names of the two sides on this target: 'AI Core' / 'AI CPU', 'CUDA' / 'CPU'. */
  device: string;
  host: string;
  /** Partitions in all, and how many are host-side islands. */
  partitions: number;
  hostIslands: number;
  /** Host-side islands, largest first (at most MAX_LISTED): node count and op types. */
  islands: { nodes: number; ops: string[] }[];
  /** Tensors crossing between sides, counted once per tensor and receiving partition. */
  crossings: number;
  /** Bytes of the crossing tensors whose shapes are known, per inference. */
  crossingBytes: number;
  /** Crossings whose tensor size is not known (shape neither observed nor inferred). */
  unsizedCrossings: number;
  /** Where the crossing sizes come from: a real run's observed shapes, static inference, or both. */
  shapes: 'observed' | 'inferred' | 'mixed' | 'none';
}

/** A tensor's size as shape inference (observed shapes first) knows it. */
export interface ValueSizes {
  shapes: ReadonlyMap<string, { dtype?: DataTypeName; dims?: number[] }>;
  sources: ReadonlyMap<string, string>;
}

const MAX_LISTED = 20;
/** Engines on the host side of a target: the NPU's ARM cores, ORT's CPU provider, the host. */
export const HOST_ENGINES: ReadonlySet<OpEngine> = new Set(['aicpu', 'cpu-fallback', 'host']);

type Side = 'device' | 'host';

export function partitionGraph(model: ModelIR, facts: ModelFacts, profile: Profile, table: OpTableRow[], sizes?: ValueSizes): GraphPartitions {
  const npu = profile.kind === 'npu';
  const names = { device: npu ? 'AI Core' : profile.kind === 'gpu' ? 'CUDA' : 'device', host: npu ? 'AI CPU' : 'CPU' };
  const graph = model.graphs[0];
  const empty: GraphPartitions = { ...names, partitions: graph && graph.nodes.length > 0 ? 1 : 0, hostIslands: 0, islands: [], crossings: 0, crossingBytes: 0, unsizedCrossings: 0, shapes: 'none' };
  if (!graph) return empty;

  const engineOf = new Map(table.map((r) => [`${r.domain}::${r.op}`, r.engine]));
  const fixedSide = (domain: string, opType: string): Side | undefined => {
    if (facts.localFunctions.has(functionKey(domain, opType))) return undefined;
    const engine = engineOf.get(`${domain}::${opType}`);
    if (engine === undefined) return undefined;
    if (HOST_ENGINES.has(engine)) return 'host';
    return DEVICE_ENGINES.has(engine) ? 'device' : undefined;
  };

  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => o !== '' && !producer.has(o) && producer.set(o, i)));
  const side: Side[] = new Array<Side>(graph.nodes.length).fill('device');
  for (const i of topologicalOrder(graph).order) {
    const node = graph.nodes[i]!;
    const fixed = fixedSide(node.domain, node.opType);
    if (fixed) { side[i] = fixed; continue; }
    const from = node.inputs.map((name) => producer.get(name)).find((p) => p !== undefined && p !== i);
    side[i] = from === undefined ? 'device' : side[from]!;
  }

  // Islands: connected runs of same-side nodes (edges in either direction).
  const parent = graph.nodes.map((_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!; return i; };
  graph.nodes.forEach((node, c) => {
    for (const name of node.inputs) {
      const p = producer.get(name);
      if (p !== undefined && side[p] === side[c]) parent[find(p)] = find(c);
    }
  });
  const members = new Map<number, number[]>();
  graph.nodes.forEach((_, i) => {
    const r = find(i);
    const list = members.get(r);
    if (list) list.push(i);
    else members.set(r, [i]);
  });

  let crossings = 0;
  let crossingBytes = 0;
  let unsized = 0;
  const sourcesSeen = new Set<string>();
  const counted = new Set<string>();
  graph.nodes.forEach((node, c) => {
    for (const name of node.inputs) {
      const p = producer.get(name);
      if (p === undefined || side[p] === side[c]) continue;
      const key = `${name}\u0000${find(c)}`;
      if (counted.has(key)) continue;
      counted.add(key);
      crossings += 1;
      const shape = sizes?.shapes.get(name);
      const bytes = shape?.dtype && shape.dims ? byteSizeOf(shape.dtype, shape.dims.reduce((a, b) => a * b, 1)) : undefined;
      if (bytes === undefined) { unsized += 1; continue; }
      crossingBytes += bytes;
      sourcesSeen.add(sizes?.sources.get(name) === 'observed' ? 'observed' : 'inferred');
    }
  });

  const hostIslands = [...members.values()]
    .filter((nodes) => side[nodes[0]!] === 'host')
    .map((nodes) => ({ nodes: nodes.length, ops: [...new Set(nodes.map((i) => graph.nodes[i]!.opType))].sort() }))
    .sort((a, b) => b.nodes - a.nodes || (a.ops.join() < b.ops.join() ? -1 : 1));
  return {
    ...names,
    partitions: members.size,
    hostIslands: hostIslands.length,
    islands: hostIslands.slice(0, MAX_LISTED),
    crossings,
    crossingBytes,
    unsizedCrossings: unsized,
    shapes: sourcesSeen.size === 0 ? 'none' : sourcesSeen.size === 2 ? 'mixed' : (sourcesSeen.values().next().value as 'observed' | 'inferred'),
  };
}
