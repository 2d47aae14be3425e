import { BinaryReader, readCappedString, type WireType } from './wire-reader.js';
import { ModelLoadError } from '../errors.js';

/** Names, op types and metadata values longer than this are cut (with a warning). */
export const MAX_NAME_BYTES = 4096;
/** Doc strings may be long licence texts; keep more of them, but still a bounded amount. */
export const MAX_DOC_BYTES = 64 * 1024;
/**
 * At most this many decoded values (nodes, attributes, value infos, initializers, graphs, names in
 * node input/output lists, list elements). Each one costs tens of bytes of heap but can cost as
 * little as two bytes of file, so a file-size bound alone would let a 2 GB file ask for ~30 GB.
 * The largest real ONNX graphs hold a few hundred thousand values.
 */
export const MAX_DECODED_VALUES = 16_000_000;
/** Warnings beyond this are counted, not kept. */
export const MAX_WARNINGS = 200;

/** Shared state of one decode: warnings, the value budget, and where we are (for error messages). */
export class DecodeContext {
  readonly warnings: string[] = [];
  private droppedWarnings = 0;
  private decodedValues = 0;
  /** Human-readable position, e.g. `graph "main", node #12`, for malformed-data messages. */
  where = 'ModelProto';

  constructor(readonly file: string) {}

  warn(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else this.droppedWarnings++;
  }

  /** Called once at the end so the list says how much was left out. */
  finishWarnings(): string[] {
    if (this.droppedWarnings > 0) this.warnings.push(`... and ${this.droppedWarnings} more warnings`);
    return this.warnings;
  }

  /** Counts `n` decoded values against MAX_DECODED_VALUES. */
  spend(n = 1): void {
    this.decodedValues += n;
    if (this.decodedValues > MAX_DECODED_VALUES) {
      throw new ModelLoadError(
        this.file,
        `holds more than ${MAX_DECODED_VALUES} nodes, names and attribute values, more than port-check analyses; ` +
          'is it really a model (or a generated stress file)?',
      );
    }
  }

  name(r: BinaryReader, wt: WireType, field: string): string {
    this.spend();
    return readCappedString(r, wt, field, MAX_NAME_BYTES, (full, kept) => {
      this.warn(`${field} of ${full} bytes was cut to ${MAX_NAME_BYTES} bytes: "${kept.slice(0, 40)}..."`);
    });
  }

  doc(r: BinaryReader, wt: WireType, field: string): string {
    return readCappedString(r, wt, field, MAX_DOC_BYTES, (full) => {
      this.warn(`${field} of ${full} bytes was cut to ${MAX_DOC_BYTES} bytes`);
    });
  }
}
