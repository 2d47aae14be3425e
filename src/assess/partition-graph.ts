import { functionKey } from '../inspect/domains.js';
import type { ModelFacts } from '../inspect/facts.js';
import { byteSizeOf, type DataTypeName } from '../onnx/data-types.js';
import type { ModelIR } from '../onnx/ir.js';
import { DEVICE_ENGINES } from '../profiles/constants.js';
import type { Profile } from '../profiles/schema.js';
import { topologicalOrder } from '../onnx/topological-order.js';
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

/** The structure of a cut, which depends on the model and the target only (check() makes it once per target). */
interface Cut {
  names: { device: string; host: string };
  partitions: number;
  hostIslands: { nodes: number; ops: string[] }[];
  /** The crossing tensors, one entry per tensor and receiving partition. */
  crossingValues: string[];
}

export function partitionGraph(model: ModelIR, facts: ModelFacts, profile: Profile, table: OpTableRow[], sizes?: ValueSizes): GraphPartitions {
  const cut = cutGraph(model, facts, profile, table);

  let crossingBytes = 0;
  let unsized = 0;
  const sourcesSeen = new Set<'observed' | 'inferred'>();
  for (const name of cut.crossingValues) {
    const shape = sizes?.shapes.get(name);
    const bytes = shape?.dtype && shape.dims ? byteSizeOf(shape.dtype, shape.dims.reduce((a, b) => a * b, 1)) : undefined;
    if (bytes === undefined) { unsized += 1; continue; }
    crossingBytes += bytes;
    sourcesSeen.add(sizes?.sources.get(name) === 'observed' ? 'observed' : 'inferred');
  }
  return {
    ...cut.names,
    partitions: cut.partitions,
    hostIslands: cut.hostIslands.length,
    islands: cut.hostIslands.slice(0, MAX_LISTED),
    crossings: cut.crossingValues.length,
    crossingBytes,
    unsizedCrossings: unsized,
    shapes: sourcesSeen.size === 0 ? 'none' : sourcesSeen.size === 2 ? 'mixed' : [...sourcesSeen][0]!,
  };
}

function cutGraph(model: ModelIR, facts: ModelFacts, profile: Profile, table: OpTableRow[]): Cut {
  const npu = profile.kind === 'npu';
  const names = { device: npu ? 'AI Core' : profile.kind === 'gpu' ? 'CUDA' : 'device', host: npu ? 'AI CPU' : 'CPU' };
  const graph = model.graphs[0];
  if (!graph || graph.nodes.length === 0) return { names, partitions: 0, hostIslands: [], crossingValues: [] };

  // Side per op type, looked up without building a key per node (graphs run to 100k+ nodes).
  const sideOf = new Map<string, Map<string, Side | undefined>>();
  for (const r of table) {
    let ops = sideOf.get(r.domain);
    if (!ops) sideOf.set(r.domain, (ops = new Map()));
    const local = facts.localFunctions.has(functionKey(r.domain, r.op));
    ops.set(r.op, local ? undefined : HOST_ENGINES.has(r.engine) ? 'host' : DEVICE_ENGINES.has(r.engine) ? 'device' : undefined);
  }

  const producer = new Map<string, number>();
  for (let i = 0; i < graph.nodes.length; i++) {
    for (const o of graph.nodes[i]!.outputs) if (o !== '' && !producer.has(o)) producer.set(o, i);
  }
  const side: Side[] = new Array<Side>(graph.nodes.length).fill('device');
  // Nodes on a cycle (a damaged graph) come last in the order, in file order: they still get a side.
  for (const i of topologicalOrder(graph, undefined, producer).order) {
    const node = graph.nodes[i]!;
    const fixed = sideOf.get(node.domain)?.get(node.opType);
    if (fixed) { side[i] = fixed; continue; }
    let from: number | undefined;
    for (const name of node.inputs) {
      const p = producer.get(name);
      if (p !== undefined && p !== i) { from = p; break; }
    }
    side[i] = from === undefined ? 'device' : side[from]!;
  }

  // Islands: connected runs of same-side nodes (edges in either direction).
  const parent = Array.from(graph.nodes, (_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!; return i; };
  graph.nodes.forEach((node, c) => {
    for (const name of node.inputs) {
      const p = producer.get(name);
      if (p !== undefined && side[p] === side[c]) parent[find(p)] = find(c);
    }
  });
  const members = new Map<number, number[]>();
  for (let i = 0; i < graph.nodes.length; i++) {
    const r = find(i);
    const list = members.get(r);
    if (list) list.push(i);
    else members.set(r, [i]);
  }

  const crossingValues: string[] = [];
  const counted = new Map<number, Set<string>>();
  graph.nodes.forEach((node, c) => {
    for (const name of node.inputs) {
      const p = producer.get(name);
      if (p === undefined || side[p] === side[c]) continue;
      const island = find(c);
      let seen = counted.get(island);
      if (!seen) counted.set(island, (seen = new Set()));
      if (seen.has(name)) continue;
      seen.add(name);
      crossingValues.push(name);
    }
  });

  const hostIslands = [...members.values()]
    .filter((nodes) => side[nodes[0]!] === 'host')
    .map((nodes) => ({ nodes: nodes.length, ops: [...new Set(nodes.map((i) => graph.nodes[i]!.opType))].sort() }))
    .sort((a, b) => b.nodes - a.nodes || (a.ops.join() < b.ops.join() ? -1 : a.ops.join() > b.ops.join() ? 1 : 0));
  return { names, partitions: members.size, hostIslands, crossingValues };
}
