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
  args?: {
    op_name?: string;
    provider?: string;
    node_index?: string;
    output_size?: string;
    /** One entry per output: { "<ORT type name>": dims }. */
    output_type_shape?: Record<string, number[]>[];
  };
}

export interface TracedNode {
  name: string;
  opType: string;
  provider: string;
  /** Self time summed over the counted runs, in microseconds. */
  selfUs: number;
  /** Bytes of the node's outputs (all of them together), as the profiler saw them. */
  outputBytes: number;
  /** Element type (ONNX name) and dims of each output, as the first counted run saw them. */
  outputs?: { dtype: string; dims: number[] }[];
}

export interface TraceSummary {
  /** Runs counted (the first `skipRuns` are left out: a warm-up is not representative). */
  runs: number;
  nodes: TracedNode[];
}

const KERNEL_SUFFIX = '_kernel_time';

/** ONNX Runtime's type names in output_type_shape, by ONNX name. */
const ONNX_NAME: Record<string, string> = {
  float: 'FLOAT', double: 'DOUBLE', float16: 'FLOAT16', bfloat16: 'BFLOAT16', int8: 'INT8', uint8: 'UINT8',
  int16: 'INT16', uint16: 'UINT16', int32: 'INT32', uint32: 'UINT32', int64: 'INT64', uint64: 'UINT64',
  bool: 'BOOL', string: 'STRING',
};

function outputShapes(list: unknown): { dtype: string; dims: number[] }[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: { dtype: string; dims: number[] }[] = [];
  for (const entry of list) {
    const pairs = entry && typeof entry === 'object' ? Object.entries(entry as Record<string, unknown>) : [];
    const [type, dims] = pairs[0] ?? [];
    const dtype = type === undefined ? undefined : ONNX_NAME[type];
    if (pairs.length !== 1 || !dtype || !Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      return undefined; // a type or shape it cannot read: leave the node to the rewritten copy
    }
    out.push({ dtype, dims: dims as number[] });
  }
  return out;
}

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
      node.outputs ??= outputShapes(e.args?.output_type_shape);
      node.selfUs += e.dur!;
      const parent = stack[stack.length - 1];
      if (parent) parent.node.selfUs -= e.dur!;
      stack.push({ end: evEnd, node });
    }
  }
  for (const node of byName.values()) node.selfUs = Math.max(0, node.selfUs);
  return { runs: runs.length, nodes: [...byName.values()] };
}
