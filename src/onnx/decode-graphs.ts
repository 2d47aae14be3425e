import type { FunctionIR, GraphIR, GraphKind, InitializerIR, NodeIR, ValueInfoIR } from './ir.js';
import { HEAP_COST, type DecodeContext } from './decode-context.js';
import { decodeNode, decodeAttribute, normaliseDomain, type PendingSubgraph } from './decode-node.js';
import { decodeSparseTensorMeta, decodeTensorMeta, within } from './decode-tensor.js';
import { decodeValueInfo } from './decode-value-info.js';
import { decodeOpsetImport, setOwn } from './decode-opset.js';
import type { WireReader } from './wire-reader.js';
import { ModelLoadError } from '../errors.js';
import { printable } from '../printable.js';
import { FUNCTION, GRAPH } from './wire-fields.js';

/** Paths longer than this keep their root and last step only (plus the graph id, to stay unique). */
const MAX_PATH_CHARS = 1024;

interface QueuedSubgraph {
  id: number;
  /** Where its GraphProto lies in the file's bytes. */
  start: number;
  end: number;
  path: string;
  depth: number;
  parent: { graphId: number; nodeIndex: number; attribute: string };
  opsetImports: Record<string, number>;
}

/**
 * Builds the flat list of graphs. A subgraph (If/Loop/Scan body, or any GRAPH attribute) is not
 * decoded where it is found: its byte range is queued and decoded later in a loop, so nesting
 * depth costs queue entries, never stack frames. Ids are handed out when a graph is queued and
 * the queue is first-in first-out, so ids follow breadth-first order: main, its subgraphs, ...
 */
export class GraphListBuilder {
  readonly graphs: GraphIR[] = [];
  private readonly queue: (QueuedSubgraph | undefined)[] = [];
  private head = 0;
  private nextId = 0;
  private readonly usedPaths = new Set<string>();
  /** `graph "<path>"` of the graph whose nodes are being decoded, for error messages. */
  private place = '';
  /** The subgraphs of the node being decoded; reused from node to node. */
  private readonly pending: PendingSubgraph[] = [];

  /** `r` reads the whole file; each graph and function is a range of it. */
  constructor(private readonly ctx: DecodeContext, private readonly r: WireReader) {}

  /** Decodes the main graph (buf[start, end)); its subgraphs are decoded by the next `drain()`. */
  addMainGraph(start: number, end: number, opsetImports: Record<string, number>): void {
    const id = this.reserve();
    this.graphs[id] = this.decodeGraphProto(start, end, id, 'main', 'main', 0, undefined, opsetImports);
  }

  /** Decodes a model-local function (buf[start, end)) into a graph of kind 'function'. */
  addFunction(start: number, end: number, modelOpsets: Record<string, number>): FunctionIR {
    const id = this.reserve();
    const { graph, fn } = this.decodeFunctionProto(start, end, id, modelOpsets);
    this.graphs[id] = graph;
    return fn;
  }

  drain(): void {
    while (this.head < this.queue.length) {
      const sub = this.queue[this.head]!;
      this.queue[this.head++] = undefined; // let the entry and its strings go as we move on
      this.graphs[sub.id] = this.decodeGraphProto(
        sub.start, sub.end, sub.id, 'subgraph', sub.path, sub.depth, sub.parent, sub.opsetImports,
      );
    }
    this.queue.length = 0;
    this.head = 0;
  }

  private reserve(): number {
    this.ctx.spend(HEAP_COST.graph);
    return this.nextId++;
  }

  private decodeGraphProto(
    start: number,
    end: number,
    id: number,
    kind: GraphKind,
    path: string,
    depth: number,
    parent: GraphIR['parent'],
    opsetImports: Record<string, number>,
  ): GraphIR {
    const ctx = this.ctx;
    ctx.where = this.place = `graph "${path}"`;
    this.usedPaths.add(path);
    const graph: GraphIR = {
      id, kind, name: '', path, depth, nodes: [], inputs: [], outputs: [], valueInfo: [],
      initializers: [], sparseInitializers: [], opsetImports,
      ...(parent ? { parent } : {}),
    };
    const r = this.r;
    r.pos = start;
    r.end = end;
    while (r.pos < r.end) {
      const tag = r.tag();
      const fieldNo = tag >>> 3;
      const wt = tag & 7;
      switch (fieldNo) {
        case GRAPH.node: {
          const outer = r.enter(wt, 'GraphProto.node');
          this.addNode(graph);
          r.leave(outer);
          break;
        }
        case GRAPH.name:
          graph.name = ctx.name(r, wt, 'GraphProto.name');
          break;
        case GRAPH.initializer:
          ctx.where = `graph "${path}", initializer #${graph.initializers.length}`;
          ctx.spend(HEAP_COST.tensor);
          graph.initializers.push({ ...within(r, wt, 'GraphProto.initializer', ctx, decodeTensorMeta), graphId: id });
          break;
        case GRAPH.sparseInitializer:
          ctx.where = `graph "${path}", sparse initializer #${graph.sparseInitializers.length}`;
          ctx.spend(HEAP_COST.tensor);
          graph.sparseInitializers.push({
            ...within(r, wt, 'GraphProto.sparse_initializer', ctx, decodeSparseTensorMeta),
            graphId: id,
          } satisfies InitializerIR);
          break;
        case GRAPH.input:
          graph.inputs.push(within(r, wt, 'GraphProto.input', ctx, decodeValueInfo));
          break;
        case GRAPH.output:
          graph.outputs.push(within(r, wt, 'GraphProto.output', ctx, decodeValueInfo));
          break;
        case GRAPH.valueInfo:
          graph.valueInfo.push(within(r, wt, 'GraphProto.value_info', ctx, decodeValueInfo));
          break;
        default:
          r.skip(wt, fieldNo);
      }
    }
    return graph;
  }

  private decodeFunctionProto(
    start: number,
    end: number,
    id: number,
    modelOpsets: Record<string, number>,
  ): { graph: GraphIR; fn: FunctionIR } {
    const ctx = this.ctx;
    ctx.where = `function #${id}`;
    const r = this.r;
    r.pos = start;
    r.end = end;
    const fn: FunctionIR = { domain: 'ai.onnx', name: '', graphId: id, inputs: [], outputs: [], attributes: [] };
    // Node ranges, start and end in turn.
    const nodeRanges: number[] = [];
    const valueInfo: ValueInfoIR[] = [];
    const ownOpsets: Record<string, number> = {};
    let hasOwnOpsets = false;
    while (r.pos < r.end) {
      const tag = r.tag();
      const fieldNo = tag >>> 3;
      const wt = tag & 7;
      switch (fieldNo) {
        case FUNCTION.name:
          fn.name = ctx.name(r, wt, 'FunctionProto.name');
          break;
        case FUNCTION.domain:
          fn.domain = normaliseDomain(ctx.name(r, wt, 'FunctionProto.domain'));
          break;
        case FUNCTION.input:
          fn.inputs.push(ctx.name(r, wt, 'FunctionProto.input'));
          break;
        case FUNCTION.output:
          fn.outputs.push(ctx.name(r, wt, 'FunctionProto.output'));
          break;
        case FUNCTION.attribute:
          fn.attributes.push(ctx.name(r, wt, 'FunctionProto.attribute'));
          break;
        case FUNCTION.attributeProto: {
          // An attribute with a default value: only its name matters here; a graph-valued default
          // is not a body the function runs, so it is not queued.
          const outer = r.enter(wt, 'FunctionProto.attribute_proto');
          const attr = decodeAttribute(r, [], ctx);
          r.leave(outer);
          fn.attributes.push(attr.name);
          break;
        }
        case FUNCTION.node:
          // Kept as byte ranges until name and domain are known: the path of their subgraphs needs them.
          ctx.spend(HEAP_COST.number);
          nodeRanges.push(r.span(wt, 'FunctionProto.node'), r.pos);
          break;
        case FUNCTION.opsetImport: {
          ctx.spend(HEAP_COST.entry);
          const [domain, version] = within(r, wt, 'FunctionProto.opset_import', ctx, decodeOpsetImport);
          setOwn(ownOpsets, domain, version);
          hasOwnOpsets = true;
          break;
        }
        case FUNCTION.valueInfo:
          valueInfo.push(within(r, wt, 'FunctionProto.value_info', ctx, decodeValueInfo));
          break;
        default:
          r.skip(wt, fieldNo);
      }
    }
    const path = this.uniquePath(`function:${fn.domain}::${fn.name}`, id);
    this.usedPaths.add(path);
    const names = (list: string[]): ValueInfoIR[] => list.map((name) => ({ name, kind: 'unknown' }));
    const graph: GraphIR = {
      id, kind: 'function', name: fn.name, path, depth: 0, nodes: [],
      inputs: names(fn.inputs), outputs: names(fn.outputs), valueInfo,
      initializers: [], sparseInitializers: [],
      opsetImports: hasOwnOpsets ? ownOpsets : modelOpsets,
    };
    this.place = `graph "${path}"`;
    for (let k = 0; k < nodeRanges.length; k += 2) {
      r.pos = nodeRanges[k]!;
      r.end = nodeRanges[k + 1]!;
      this.addNode(graph);
    }
    return { graph, fn };
  }

  /** Decodes the node `r` has entered into `graph`, and queues its subgraphs. */
  private addNode(graph: GraphIR): void {
    const index = graph.nodes.length;
    this.ctx.atNode(this.place, index);
    this.pending.length = 0;
    const node = decodeNode(this.r, graph.id, index, this.pending, this.ctx);
    graph.nodes.push(node);
    for (const sub of this.pending) this.enqueue(graph, node, sub);
  }

  private enqueue(graph: GraphIR, node: NodeIR, sub: PendingSubgraph): void {
    if (graph.depth >= this.ctx.maxSubgraphDepth) {
      throw new ModelLoadError(
        this.ctx.file,
        `nests subgraphs (If/Loop/Scan bodies) more than ${this.ctx.maxSubgraphDepth} levels deep, at ${printable(this.ctx.where)}; ` +
          'no runtime loads that (ONNX Runtime stops at about 30): is it a real model or a generated stress file?',
      );
    }
    const id = this.reserve();
    // PyTorch names nodes "/model/If"; without the leading slash the path reads "main/model/If.then_branch".
    const nodeLabel = node.name !== '' ? node.name.replace(/^\/+/, '') : `${node.opType}#${node.index}`;
    const path = this.uniquePath(`${graph.path}/${nodeLabel}.${sub.label}`, id, graph.path);
    // Claimed now (not when decoded) so that a sibling queued next cannot take the same path.
    this.usedPaths.add(path);
    this.ctx.spend(HEAP_COST.string + path.length);
    (sub.attribute.graphIds ??= []).push(id);
    this.queue.push({
      id, start: sub.start, end: sub.end, path, depth: graph.depth + 1,
      parent: { graphId: graph.id, nodeIndex: node.index, attribute: sub.attribute.name },
      opsetImports: graph.opsetImports,
    });
  }

  /**
   * A readable path that no other graph has. Two nodes may share a name, and a hostile file may
   * nest thousands deep, so long paths are shortened and clashes get the graph id appended.
   */
  private uniquePath(wanted: string, id: number, parentPath?: string): string {
    let path = wanted;
    if (path.length > MAX_PATH_CHARS) {
      const root = (parentPath ?? wanted).split('/')[0]!.slice(0, 200);
      const last = wanted.slice(wanted.lastIndexOf('/') + 1).slice(0, 400);
      path = `${root}/.../${last}`;
    }
    if (this.usedPaths.has(path)) path = `${path}~${id}`;
    // `~id` is unique unless a node name itself ends in "~<id>"; then fall back to a counter.
    for (let n = 2; this.usedPaths.has(path); n++) path = `${wanted.slice(0, MAX_PATH_CHARS)}~${id}.${n}`;
    return path;
  }
}
