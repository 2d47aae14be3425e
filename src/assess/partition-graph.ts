import { functionKey } from '../inspect/domains.js';
import type { ModelFacts } from '../inspect/facts.js';
import { byteSizeOf, type DataTypeName } from '../onnx/data-types.js';
import type { ModelIR } from '../onnx/ir.js';
import { DEVICE_ENGINES } from '../profiles/constants.js';
import type { Profile } from '../profiles/schema.js';
import type { Dataflow } from '../onnx/topological-order.js';
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
  sources: { get(name: string): string | undefined };
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

export function partitionGraph(
  model: ModelIR, facts: ModelFacts, profile: Profile, table: OpTableRow[], sizes?: ValueSizes,
): GraphPartitions {
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

const DEVICE = 0;
const HOST = 1;

/**
 * The per-target part of the cut. What depends on the model only (the order, who produces each
 * input) is the main graph's data flow in the facts, computed once; here each node gets a side and the islands are found with
 * flat arrays, so three targets over a million nodes cost three linear passes without lookups by name.
 */
function cutGraph(model: ModelIR, facts: ModelFacts, profile: Profile, table: OpTableRow[]): Cut {
  const flow: Dataflow | undefined = facts.dataflows[0];
  const npu = profile.kind === 'npu';
  const names = { device: npu ? 'AI Core' : profile.kind === 'gpu' ? 'CUDA' : 'device', host: npu ? 'AI CPU' : 'CPU' };
  const graph = model.graphs[0];
  if (!graph || !flow || graph.nodes.length === 0) return { names, partitions: 0, hostIslands: [], crossingValues: [] };
  const nodes = graph.nodes;
  const { inputStart, inputProducer } = flow;

  // Side per op type, looked up without building a key per node (graphs run to 100k+ nodes).
  const sideOf = new Map<string, Map<string, Side | undefined>>();
  for (const r of table) {
    let ops = sideOf.get(r.domain);
    if (!ops) sideOf.set(r.domain, (ops = new Map()));
    const local = facts.localFunctions.has(functionKey(r.domain, r.op));
    ops.set(r.op, local ? undefined : HOST_ENGINES.has(r.engine) ? 'host' : DEVICE_ENGINES.has(r.engine) ? 'device' : undefined);
  }

  const side = new Uint8Array(nodes.length);
  // Nodes on a cycle (a damaged graph) come last in the order, in file order: they still get a side.
  for (const i of flow.order) {
    const node = nodes[i]!;
    const fixed = sideOf.get(node.domain)?.get(node.opType);
    if (fixed) { side[i] = fixed === 'host' ? HOST : DEVICE; continue; }
    let from = -1;
    for (let k = inputStart[i]!; k < inputStart[i + 1]!; k++) {
      const p = inputProducer[k]!;
      if (p >= 0 && p !== i) { from = p; break; }
    }
    side[i] = from < 0 ? DEVICE : side[from]!;
  }

  // Islands: connected runs of same-side nodes (edges in either direction).
  const parent = new Int32Array(nodes.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let c = 0; c < nodes.length; c++) {
    for (let k = inputStart[c]!; k < inputStart[c + 1]!; k++) {
      const p = inputProducer[k]!;
      if (p >= 0 && side[p] === side[c]) parent[find(p)] = find(c);
    }
  }
  let partitions = 0;
  const hostMembers = new Map<number, { nodes: number; ops: Set<string> }>();
  for (let i = 0; i < nodes.length; i++) {
    const r = find(i);
    if (r === i) partitions += 1;
    if (side[i] !== HOST) continue;
    let island = hostMembers.get(r);
    if (!island) hostMembers.set(r, (island = { nodes: 0, ops: new Set() }));
    island.nodes += 1;
    island.ops.add(nodes[i]!.opType);
  }

  const crossingValues: string[] = [];
  const counted = new Map<number, Set<string>>();
  for (let c = 0; c < nodes.length; c++) {
    for (let k = inputStart[c]!; k < inputStart[c + 1]!; k++) {
      const p = inputProducer[k]!;
      if (p < 0 || side[p] === side[c]) continue;
      const name = nodes[c]!.inputs[k - inputStart[c]!]!;
      const island = find(c);
      let seen = counted.get(island);
      if (!seen) counted.set(island, (seen = new Set()));
      if (seen.has(name)) continue;
      seen.add(name);
      crossingValues.push(name);
    }
  }

  const hostIslands = [...hostMembers.values()]
    .map((island) => ({ nodes: island.nodes, ops: [...island.ops].sort() }))
    .sort((a, b) => b.nodes - a.nodes || (a.ops.join() < b.ops.join() ? -1 : a.ops.join() > b.ops.join() ? 1 : 0));
  return { names, partitions, hostIslands, crossingValues };
}
