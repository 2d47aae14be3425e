import { getHeapStatistics } from 'node:v8';
import { NamePool, decodeText, type WireReader } from './wire-reader.js';
import { ModelLoadError } from '../errors.js';

/** Names, op types and metadata values longer than this are cut (with a warning). */
export const MAX_NAME_BYTES = 4096;
/** Doc strings may be long licence texts; keep more of them, but still a bounded amount. */
export const MAX_DOC_BYTES = 64 * 1024;
/**
 * Default bound on the heap the decoded IR may take, estimated with HEAP_COST below. An empty
 * NodeProto is 2 bytes of file but a NodeIR is ~250 bytes of heap, so a file-size bound alone
 * would let a 2 GB file ask for hundreds of GB. Real models stay far below: a 100k-node graph
 * estimates at ~100 MB.
 */
export const MAX_DECODED_HEAP_BYTES = 1536 * 1024 * 1024;

/**
 * How much more heap the whole static check takes than the decoded IR's estimate. The estimate
 * charges each node output for the value the later stages track (HEAP_COST.value) and each name
 * once (a repeated one is pooled); the 1M-node Relu chain estimates at 471 MB and the whole
 * check then peaks at ~590 MB of live heap, so 2 leaves a margin of 1.6×: the chain runs under
 * a 1 GiB heap, and a node with a million outputs is refused under 128 or 256 MiB.
 */
export const PIPELINE_HEAP_FACTOR = 2;

/**
 * The bound used when the caller gives none: the heap this process still has (its V8 limit less
 * what is in use, so --max-old-space-size and a busy worker count) divided by PIPELINE_HEAP_FACTOR,
 * and at most MAX_DECODED_HEAP_BYTES. Running out of heap kills the process (V8's dump, exit 134)
 * instead of giving a one-line error, so the decoder refuses early what the later stages could
 * not hold: 3M nodes under a 1 GiB heap are refused in seconds, not killed after a minute.
 */
export function defaultDecodedHeapBytes(): number {
  const heap = getHeapStatistics();
  const available = Math.max(0, heap.heap_size_limit - heap.used_heap_size);
  return Math.min(MAX_DECODED_HEAP_BYTES, Math.floor(available / PIPELINE_HEAP_FACTOR));
}

/**
 * Subgraphs (If/Loop/Scan bodies) nested deeper than this are refused. Real models nest a few
 * levels; ONNX Runtime's protobuf parser already refuses more than about 30 (its limit of 100
 * nested messages). Depth costs no stack here (see GraphListBuilder), but a file of a few MB can
 * nest a million deep, and every level is a graph with its own path: this bounds the time.
 */
export const MAX_SUBGRAPH_DEPTH = 65_536;

/** Rough V8 heap cost (bytes) of each decoded thing: objects with their arrays, list elements. */
export const HEAP_COST = {
  /** The graph object, its arrays, its queue entry; its path string is counted as a string. */
  graph: 640,
  node: 256,
  /**
   * A node output is a value: shape inference, the data flow, the liveness walk and the checks
   * each keep an entry for it (about 160 bytes together on the 1M-node chain).
   */
  value: 160,
  /**
   * An opset import or metadata entry: a property of a dictionary object, which the report copies
   * and every format renders (a million distinct domains died under 128 MiB charged as names only).
   */
  entry: 256,
  /** A name seen before: the pool gives back the same string, so only the reference costs. */
  pooledName: 8,
  attribute: 128,
  valueInfo: 128,
  tensor: 192,
  /** A string also costs its length. */
  string: 32,
  number: 16,
  /**
   * A byte range kept for later (a subgraph of a GRAPHS attribute, a function body): a Uint8Array
   * view is an object of its own. Counted as 16 bytes once, a million empty graphs took 126 MB
   * of heap past a budget of 8 MB.
   */
  byteView: 160,
} as const;
/** Warnings beyond this are counted, not kept. */
export const MAX_WARNINGS = 200;

/** Shared state of one decode: warnings, the value budget, and where we are (for error messages). */
export class DecodeContext {
  readonly warnings: string[] = [];
  private droppedWarnings = 0;
  private heapBytes = 0;
  private place = 'ModelProto';
  private nodeIndex = -1;

  /** Human-readable position, e.g. `graph "main", node #12`, for malformed-data messages. */
  get where(): string {
    return this.nodeIndex < 0 ? this.place : `${this.place}, node #${this.nodeIndex}`;
  }

  set where(place: string) {
    this.place = place;
    this.nodeIndex = -1;
  }

  /** Node `index` of the graph at `place`: kept as two parts, joined only when an error names it. */
  atNode(place: string, index: number): void {
    this.place = place;
    this.nodeIndex = index;
  }

  constructor(
    readonly file: string,
    private readonly maxHeapBytes = defaultDecodedHeapBytes(),
    readonly maxSubgraphDepth = MAX_SUBGRAPH_DEPTH,
  ) {}

  warn(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else this.droppedWarnings++;
  }

  /** Called once at the end so the list says how much was left out. */
  finishWarnings(): string[] {
    if (this.droppedWarnings > 0) this.warnings.push(`... and ${this.droppedWarnings} more warnings`);
    return this.warnings;
  }

  /** Counts the estimated heap cost of one decoded thing (see HEAP_COST) against the bound. */
  spend(bytes: number): void {
    this.heapBytes += bytes;
    if (this.heapBytes > this.maxHeapBytes) {
      throw new ModelLoadError(
        this.file,
        `describes more graph structure than port-check decodes (over ${Math.round(this.maxHeapBytes / 2 ** 20)} MiB ` +
          'of nodes, names and attributes); is it a real model or a generated stress file? ' +
          'The bound follows the JS heap: NODE_OPTIONS=--max-old-space-size=MB raises it',
      );
    }
  }

  /** Names come from this one pool (see NamePool), made when the decode starts. */
  pool!: NamePool;

  name(r: WireReader, wt: number, field: string): string {
    const start = r.span(wt, field);
    const end = r.pos;
    let s: string;
    let isNew = true;
    if (end - start <= MAX_NAME_BYTES) {
      s = this.pool.get(start, end);
      isNew = this.pool.lastWasNew;
    } else {
      s = decodeText(r.buf, start, start + MAX_NAME_BYTES);
      this.warn(`${field} of ${end - start} bytes was cut to ${MAX_NAME_BYTES} bytes: "${s.slice(0, 40)}..."`);
    }
    this.spend(isNew ? HEAP_COST.string + s.length : HEAP_COST.pooledName);
    return s;
  }

  doc(r: WireReader, wt: number, field: string): string {
    const start = r.span(wt, field);
    const end = r.pos;
    if (end - start <= MAX_DOC_BYTES) return decodeText(r.buf, start, end);
    this.warn(`${field} of ${end - start} bytes was cut to ${MAX_DOC_BYTES} bytes`);
    return decodeText(r.buf, start, start + MAX_DOC_BYTES);
  }
}
