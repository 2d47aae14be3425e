import { getHeapStatistics } from 'node:v8';
import { BinaryReader, readCappedString, type WireType } from './wire-reader.js';
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
 * The bound used when the caller gives none: MAX_DECODED_HEAP_BYTES, or half of this process's
 * JS heap limit when that is smaller (Node gives a machine with 8 GB of memory a 2 GB heap). The
 * estimate runs up to ~1.4× under the real heap (tests/hardening measure it), and running out of
 * heap kills the process instead of giving a one-line error.
 */
export function defaultDecodedHeapBytes(): number {
  return Math.min(MAX_DECODED_HEAP_BYTES, Math.floor(getHeapStatistics().heap_size_limit / 2));
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
  attribute: 128,
  valueInfo: 128,
  tensor: 192,
  /** A string also costs its length. */
  string: 32,
  number: 16,
} as const;
/** Warnings beyond this are counted, not kept. */
export const MAX_WARNINGS = 200;

/** Shared state of one decode: warnings, the value budget, and where we are (for error messages). */
export class DecodeContext {
  readonly warnings: string[] = [];
  private droppedWarnings = 0;
  private heapBytes = 0;
  /** Human-readable position, e.g. `graph "main", node #12`, for malformed-data messages. */
  where = 'ModelProto';

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
          'of nodes, names and attributes); is it a real model or a generated stress file?',
      );
    }
  }

  name(r: BinaryReader, wt: WireType, field: string): string {
    const s = readCappedString(r, wt, field, MAX_NAME_BYTES, (full, kept) => {
      this.warn(`${field} of ${full} bytes was cut to ${MAX_NAME_BYTES} bytes: "${kept.slice(0, 40)}..."`);
    });
    this.spend(HEAP_COST.string + s.length);
    return s;
  }

  doc(r: BinaryReader, wt: WireType, field: string): string {
    return readCappedString(r, wt, field, MAX_DOC_BYTES, (full) => {
      this.warn(`${field} of ${full} bytes was cut to ${MAX_DOC_BYTES} bytes`);
    });
  }
}
