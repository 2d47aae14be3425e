import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelIR } from '../onnx/ir.js';
import type { OrtModule } from './load-ort.js';
import { round } from './latency.js';
import { summariseTrace, type TracedNode } from './profile-trace.js';
import { MAX_NODE_TIMES, type NodeTime, type OpTypeShare, type ProviderName, type RunOptions } from './types.js';

/** A trace larger than this is not parsed (one event per node per run, about 1 kB each). */
const MAX_TRACE_BYTES = 512 * 2 ** 20;

export interface OpProfile {
  opTypeShares: OpTypeShare[];
  nodeTimes: NodeTime[];
  nodeTimesTotal: number;
  profiledNodeMs: number;
  /** Output bytes per profiled node name: sizes the chunks of observeShapes. Not part of the result. */
  outputBytes: Map<string, number>;
  /** Output dtype and dims per profiled node name, for observeShapes. Not part of the result. */
  outputShapes: Map<string, { dtype: string; dims: number[] }[]>;
}

/**
 * Per-node and per-op-type time from ONE profiled run of ONNX Runtime's profiler, on a session of
 * its own so the profiler's overhead stays out of the timed iterations; the same records give every
 * node's output shapes and dtypes (observeShapes). One cold run: its first-run allocations count
 * in the shares, which on the models tried moves no op type's share by more than a few points. The trace is written to a private
 * temporary folder and deleted once read.
 *
 * The profiled session runs the graph unoptimised ('disabled'): every node of the model runs as
 * written, under its own name and op type, so times match findings node for node and the shapes the
 * profiler records cover every node. (The timed session keeps ONNX Runtime's full optimisation:
 * that is the honest speed; this is the honest attribution.)
 */
export async function profileOps(
  ort: OrtModule, source: string | Uint8Array, feeds: Record<string, unknown>, provider: ProviderName,
  model: ModelIR, options: RunOptions,
): Promise<OpProfile> {
  const dir = await mkdtemp(join(tmpdir(), 'port-check-profile-'));
  try {
    const session = await ort.InferenceSession.create(source as string, {
      executionProviders: [provider],
      graphOptimizationLevel: 'disabled',
      enableProfiling: true,
      profileFilePrefix: join(dir, 'ort'),
      logSeverityLevel: 4,
      ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    });
    try {
      await session.run(feeds as never);
    } finally {
      session.endProfiling();
      await session.release();
    }
    const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
    if (!file) throw new Error('ONNX Runtime wrote no profile');
    const size = (await stat(join(dir, file))).size;
    if (size > MAX_TRACE_BYTES) throw new Error(`the profile is ${Math.round(size / 2 ** 20)} MB, too large to read`);
    const trace = summariseTrace(JSON.parse(await readFile(join(dir, file), 'utf8')), 0);
    return summarise(trace.nodes, Math.max(1, trace.runs), model);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function summarise(traced: TracedNode[], runs: number, model: ModelIR): OpProfile {
  const alias = unnamedAliases(model);
  const nodes = traced.map((n) => ({ ...n, name: alias.get(n.name) ?? n.name }));
  const domainOf = domainLookup(model);
  const times: NodeTime[] = nodes.map((n) => ({
    name: n.name,
    opType: n.opType,
    domain: domainOf(n.name, n.opType),
    provider: n.provider,
    ms: round(n.selfUs / runs / 1000),
  }));
  times.sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name));
  const totalMs = times.reduce((s, t) => s + t.ms, 0);
  const groups = new Map<string, OpTypeShare>();
  for (const t of times) {
    const key = `${t.domain}\u0000${t.opType}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { opType: t.opType, domain: t.domain, ms: 0, share: 0, nodeCount: 0, providers: [] }));
    g.ms += t.ms;
    g.nodeCount++;
    if (!g.providers.includes(t.provider)) g.providers.push(t.provider);
  }
  const shares = [...groups.values()].map((g) => ({
    ...g,
    ms: round(g.ms),
    share: totalMs > 0 ? Math.round((g.ms / totalMs) * 1e6) / 1e6 : 0,
    providers: g.providers.sort(),
  }));
  shares.sort((a, b) => b.ms - a.ms || a.opType.localeCompare(b.opType));
  return {
    opTypeShares: shares,
    nodeTimes: times.slice(0, MAX_NODE_TIMES),
    nodeTimesTotal: times.length,
    profiledNodeMs: round(totalMs),
    outputBytes: new Map(nodes.map((n) => [n.name, n.outputBytes])),
    outputShapes: new Map(nodes.filter((n) => n.outputs).map((n) => [n.name, n.outputs!])),
  };
}

/**
 * ONNX Runtime names an unnamed node "<OpType>_<index>"; findings call it "#<index> <OpType>".
 * Main graph only (a subgraph's indices would collide), and never over a name a node really has.
 */
function unnamedAliases(model: ModelIR): Map<string, string> {
  const real = new Set<string>();
  for (const g of model.graphs) for (const n of g.nodes) if (n.name) real.add(n.name);
  const alias = new Map<string, string>();
  for (const n of model.graphs[0]?.nodes ?? []) {
    const ortName = `${n.opType}_${n.index}`;
    if (!n.name && !real.has(ortName)) alias.set(ortName, `#${n.index} ${n.opType}`);
  }
  return alias;
}

/**
 * The domain of a profiled node: from the model's node of that name, else from any node of that op
 * type. Kernels ONNX Runtime made up itself (fused ops, memory copies) are in none of the model's
 * graphs; ONNX Runtime registers its own kernels in the com.microsoft domain.
 */
function domainLookup(model: ModelIR): (name: string, opType: string) => string {
  const byName = new Map<string, string>();
  const byOp = new Map<string, string>();
  for (const g of model.graphs) {
    for (const n of g.nodes) {
      if (n.name && !byName.has(n.name)) byName.set(n.name, n.domain);
      if (!byOp.has(n.opType)) byOp.set(n.opType, n.domain);
    }
  }
  return (name, opType) => byName.get(name) ?? byOp.get(opType) ?? 'com.microsoft';
}
