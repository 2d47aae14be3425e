/**
 * Reads ONNX Runtime's profiler output (Chrome trace JSON: an array of events). Node events are
 * `cat: "Node"`, named `<node>_kernel_time`, with args.op_name and args.provider; each run is a
 * `cat: "Session"` event named `model_run`.
 */

interface TraceEvent {
  cat?: string;
  name?: string;
  ts?: number;
  dur?: number;
  args?: { op_name?: string; provider?: string; node_index?: string; output_size?: string };
}

export interface TracedNode {
  name: string;
  opType: string;
  provider: string;
  /** Self time summed over the counted runs, in microseconds. */
  selfUs: number;
  /** Bytes of the node's outputs (all of them together), as the profiler saw them. */
  outputBytes: number;
}

export interface TraceSummary {
  /** Runs counted (the first `skipRuns` are left out: a warm-up is not representative). */
  runs: number;
  nodes: TracedNode[];
}

const KERNEL_SUFFIX = '_kernel_time';

/** An unnamed node gets the stand-in findings use for it: "#<index> <OpType>". */
function nodeName(e: TraceEvent): string {
  const name = e.name!.slice(0, -KERNEL_SUFFIX.length);
  return name !== '' ? name : `#${e.args?.node_index ?? '?'} ${e.args?.op_name ?? '?'}`;
}

/**
 * Per-node self time: a control-flow node (If, Loop, Scan) is timed around its subgraph, whose
 * nodes are timed too, so the time of the events nested inside a node is taken off its own.
 */
export function summariseTrace(events: unknown, skipRuns: number): TraceSummary {
  if (!Array.isArray(events)) return { runs: 0, nodes: [] };
  const all = events as TraceEvent[];
  const runs = all
    .filter((e) => e.cat === 'Session' && e.name === 'model_run' && typeof e.ts === 'number' && typeof e.dur === 'number')
    .sort((a, b) => a.ts! - b.ts!)
    .slice(skipRuns);
  const kernels = all
    .filter((e) => e.cat === 'Node' && typeof e.name === 'string' && e.name.endsWith(KERNEL_SUFFIX) && typeof e.ts === 'number' && typeof e.dur === 'number')
    .sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);

  const byName = new Map<string, TracedNode>();
  let k = 0;
  for (const run of runs) {
    const start = run.ts!;
    const end = start + run.dur!;
    while (k < kernels.length && kernels[k]!.ts! < start) k++;
    // Events nested in the one below them on the stack are its children.
    const stack: { end: number; node: TracedNode }[] = [];
    for (; k < kernels.length && kernels[k]!.ts! <= end; k++) {
      const e = kernels[k]!;
      const evEnd = e.ts! + e.dur!;
      while (stack.length > 0 && stack[stack.length - 1]!.end < evEnd) stack.pop();
      const name = nodeName(e);
      let node = byName.get(name);
      if (!node) {
        node = { name, opType: e.args?.op_name ?? '?', provider: e.args?.provider ?? '?', selfUs: 0, outputBytes: 0 };
        byName.set(name, node);
      }
      node.outputBytes = Math.max(node.outputBytes, Number(e.args?.output_size) || 0);
      node.selfUs += e.dur!;
      const parent = stack[stack.length - 1];
      if (parent) parent.node.selfUs -= e.dur!;
      stack.push({ end: evEnd, node });
    }
  }
  for (const node of byName.values()) node.selfUs = Math.max(0, node.selfUs);
  return { runs: runs.length, nodes: [...byName.values()] };
}
