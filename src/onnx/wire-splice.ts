import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/**
 * The pieces of the byte-level rewriter (rewrite.ts): split a protobuf message into its fields, as
 * slices of the input, and build the output from those slices plus small new pieces, so that every
 * field left alone is copied as its original bytes and weights are never decoded.
 */

/** The model bytes cannot be rewritten as asked (corrupt, too deep, or an edit that makes no sense). */
export class RewriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RewriteError';
  }
}

export interface Field {
  no: number;
  wireType: WireType;
  /** The whole field: tag, length and payload. */
  raw: Uint8Array;
  /** The payload of a length-delimited field (empty otherwise). */
  payload: Uint8Array;
  /** The value of a varint field (as a number; codes and counts only). */
  varint: number;
}

const EMPTY: Uint8Array = new Uint8Array(0);

/** The message's fields in file order; `what` names the message in the error for corrupt bytes. */
export function readFields(bytes: Uint8Array, what: string): Field[] {
  const reader = new BinaryReader(bytes);
  const fields: Field[] = [];
  try {
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const [no, wireType] = reader.tag();
      let payload = EMPTY;
      let varint = 0;
      if (wireType === WireType.LengthDelimited) {
        const len = reader.uint32();
        const from = reader.pos;
        if (from + len > reader.len) throw new Error('length past the end');
        reader.pos = from + len;
        payload = bytes.subarray(from, from + len);
      } else if (wireType === WireType.Varint) {
        varint = Number(reader.uint64());
      } else {
        reader.skip(wireType, no);
      }
      fields.push({ no, wireType, raw: bytes.subarray(start, reader.pos), payload, varint });
    }
  } catch (e) {
    throw new RewriteError(`cannot parse ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return fields;
}

/** The first length-delimited field `no` of the fields, if any. */
export function findBytesField(fields: readonly Field[], no: number): Field | undefined {
  return fields.find((f) => f.no === no && f.wireType === WireType.LengthDelimited);
}

export const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Output under construction: slices of the input plus small new pieces, concatenated once. */
export class Parts {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  push(chunk: Uint8Array): this {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
    return this;
  }
  append(other: Parts): this {
    for (const c of other.chunks) this.push(c);
    return this;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Field `no` holding `inner` as its payload. */
export function lengthDelimited(no: number, inner: Parts): Parts {
  const head = new BinaryWriter().tag(no, WireType.LengthDelimited).uint32(inner.length).finish();
  return new Parts().push(head).append(inner);
}

/** Field `no` holding a message that `write` writes. */
export function message(no: number, write: (w: BinaryWriter) => void): Uint8Array {
  const w = new BinaryWriter();
  w.tag(no, WireType.LengthDelimited).fork();
  write(w);
  w.join();
  return w.finish();
}

/** A string field, to stand in for one being renamed. */
export function stringField(no: number, value: string): Uint8Array {
  return new BinaryWriter().tag(no, WireType.LengthDelimited).string(value).finish();
}
