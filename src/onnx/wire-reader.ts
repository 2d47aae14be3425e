import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/**
 * The protobuf reading of the ONNX decoder: WireReader, one cursor over the file's bytes for the
 * whole decode (a nested message is a range of it, entered and left: no reader, view or tuple is
 * allocated per message or field), and NamePool, which makes each distinct name one string.
 * The helpers over @bufbuild/protobuf's BinaryReader below serve the few readers of small
 * constants (estimate/constant-values).
 */

/** Raised for bytes that are not valid protobuf / ONNX; decode.ts turns it into a ModelLoadError. */
export class MalformedModelError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MalformedModelError';
  }
}

const wireTypeNames: Record<number, string> = {
  [WireType.Varint]: 'varint',
  [WireType.Bit64]: '64-bit',
  [WireType.LengthDelimited]: 'length-delimited',
  [WireType.StartGroup]: 'group start',
  [WireType.EndGroup]: 'group end',
  [WireType.Bit32]: '32-bit',
};

export function expectWireType(actual: number, expected: WireType, field: string): void {
  if (actual !== expected) {
    throw new MalformedModelError(
      `field ${field} has wire type ${wireTypeNames[actual] ?? actual}, expected ${wireTypeNames[expected]}`,
    );
  }
}

/** The bytes of a length-delimited field (a view into the input). */
export function readMessage(r: BinaryReader, wt: WireType, field: string): Uint8Array {
  expectWireType(wt, WireType.LengthDelimited, field);
  return r.bytes();
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** int64 field as a JS number (exact up to 2^53, rounded above; never throws on size). */
export function readInt64(r: BinaryReader): number {
  return Number(r.int64());
}

/**
 * Calls `each` for every value of a repeated int64 field, whether written packed (one
 * length-delimited run) or unpacked (one varint per tag).
 */
export function readInt64s(r: BinaryReader, wt: WireType, field: string, each: (v: number) => void): void {
  if (wt === WireType.Varint) {
    each(readInt64(r));
    return;
  }
  const packed = readMessage(r, wt, field);
  const inner = new BinaryReader(packed);
  while (inner.pos < inner.len) each(readInt64(inner));
}

/** Same for a repeated float field (32-bit values). */
export function readFloats(r: BinaryReader, wt: WireType, field: string, each: (v: number) => void): void {
  if (wt === WireType.Bit32) {
    each(r.float());
    return;
  }
  const packed = readMessage(r, wt, field);
  if (packed.length % 4 !== 0) throw new MalformedModelError(`packed field ${field} is not a whole number of floats`);
  const inner = new BinaryReader(packed);
  while (inner.pos < inner.len) each(inner.float());
}

/** A varint ends at each byte without the continuation bit; the run must end on one. */
export function countVarints(bytes: Uint8Array, field: string, start = 0, end = bytes.length): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    if ((bytes[i]! & 0x80) === 0) count++;
  }
  if (end > start && (bytes[end - 1]! & 0x80) !== 0) {
    throw new MalformedModelError(`packed field ${field} ends inside a number`);
  }
  return count;
}

/** Turns the reader's own exceptions into plain words for the one-line error. */
export function describeWireError(err: unknown): string {
  if (err instanceof MalformedModelError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  if (/premature EOF|outside the bounds|out of range|Offset is outside/i.test(message)) {
    return 'the data ends in the middle of a field (truncated file?)';
  }
  if (/invalid varint|overflows/i.test(message)) return 'a number is encoded wrongly (invalid varint)';
  if (/illegal tag|cant skip wire type|end group|recursion depth/i.test(message)) {
    return `a field header is invalid (${message})`;
  }
  return message;
}

const TRUNCATED = 'the data ends in the middle of a field (truncated file?)';
const BAD_VARINT = 'a number is encoded wrongly (invalid varint)';
/** Groups (a protobuf 2 relic no ONNX field uses) nested deeper than this are refused. */
const MAX_GROUP_DEPTH = 100;

/**
 * A cursor over one buffer. `end` is the end of the message being read: enter() narrows it to a
 * nested message and returns the outer end, which leave() restores, so a field that claims to run
 * past its message is caught as truncation exactly as a reader over a subarray would catch it.
 */
export class WireReader {
  pos: number;
  end: number;
  /** The last varint, as two 32-bit halves (no BigInt per number). */
  private lo = 0;
  private hi = 0;
  private view: DataView | undefined;

  constructor(readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  /** The next field's header as (field number << 3) | wire type; read them with fieldOf / wireTypeOf. */
  tag(): number {
    const start = this.pos;
    this.varint();
    if (this.pos - start > 5 || this.hi !== 0) throw new MalformedModelError('a field header is invalid (illegal tag: varint overflows uint32)');
    const tag = this.lo >>> 0;
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    if (fieldNo <= 0 || wt > 5) {
      throw new MalformedModelError(`a field header is invalid (illegal tag: field no ${fieldNo} wire type ${wt})`);
    }
    return tag;
  }

  private varint(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let done = false;
    for (let shift = 0; shift < 28; shift += 7) {
      b = buf[pos++] ?? 0;
      lo |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) { done = true; break; }
    }
    if (!done) {
      b = buf[pos++] ?? 0;
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x7f) >> 4;
      done = (b & 0x80) === 0;
      for (let shift = 3; !done && shift <= 31; shift += 7) {
        b = buf[pos++] ?? 0;
        hi |= (b & 0x7f) << shift;
        done = (b & 0x80) === 0;
      }
    }
    this.pos = pos;
    if (pos > this.end) throw new MalformedModelError(TRUNCATED);
    if (!done) throw new MalformedModelError(BAD_VARINT);
    this.lo = lo;
    this.hi = hi;
  }

  /** An int32 / enum field (the low 32 bits, as protobuf reads them). */
  int32(): number {
    this.varint();
    return this.lo | 0;
  }

  /** An int64 field as a JS number: exact up to 2^53, rounded above, never throws on size. */
  int64(): number {
    this.varint();
    return (this.hi | 0) * 4294967296 + (this.lo >>> 0);
  }

  /** A length prefix or other uint32. */
  uint32(): number {
    this.varint();
    return this.lo >>> 0;
  }

  float(): number {
    const at = this.pos;
    this.pos += 4;
    if (this.pos > this.end) throw new MalformedModelError(TRUNCATED);
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.view.getFloat32(at, true);
  }

  skip(wt: number, fieldNo: number, depth = 0): void {
    switch (wt) {
      case WireType.Varint:
        this.varint();
        break;
      case WireType.Bit64:
        this.pos += 8;
        break;
      case WireType.Bit32:
        this.pos += 4;
        break;
      case WireType.LengthDelimited: {
        const length = this.uint32();
        this.pos += length;
        break;
      }
      case WireType.StartGroup:
        if (depth >= MAX_GROUP_DEPTH) throw new MalformedModelError('a field header is invalid (maximum recursion depth reached)');
        for (;;) {
          const tag = this.tag();
          if ((tag & 7) === WireType.EndGroup) {
            if (tag >>> 3 !== fieldNo) throw new MalformedModelError('a field header is invalid (invalid end group tag)');
            break;
          }
          this.skip(tag & 7, tag >>> 3, depth + 1);
        }
        break;
      default:
        throw new MalformedModelError(`a field header is invalid (cant skip wire type ${wt})`);
    }
    if (this.pos > this.end) throw new MalformedModelError(TRUNCATED);
  }

  /**
   * Steps into a length-delimited field: `end` becomes the end of its payload, and the outer end
   * is returned for leave(). Checks the wire type first, naming `field`.
   */
  enter(wt: number, field: string): number {
    expectWireType(wt, WireType.LengthDelimited, field);
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.end) throw new MalformedModelError(TRUNCATED);
    const outer = this.end;
    this.end = end;
    return outer;
  }

  /** Steps out of the field entered last: past its end, with the outer end back. */
  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  /** Skips a length-delimited field and returns where its payload starts (it ends at `pos`). */
  span(wt: number, field: string): number {
    expectWireType(wt, WireType.LengthDelimited, field);
    const length = this.uint32();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new MalformedModelError(TRUNCATED);
    return start;
  }
}

/**
 * Names as strings, one string per distinct name: a value's name is written once by its producer
 * and again by every consumer, and a million-node chain would otherwise hold two copies of a
 * million names, with every later lookup by name comparing two copies byte by byte. A hash table
 * over the file's bytes finds the string already made, so no string is built for a name seen
 * before. Names that are not short ASCII are decoded as usual, not pooled.
 */
export class NamePool {
  private static readonly MAX_POOLED = 256;
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(512);
  private strings: string[] = [];
  /** Whether the last get() made a new string (false: it gave back one made before). */
  lastWasNew = false;

  constructor(private readonly buf: Uint8Array) {}

  /** The string of buf[start, end), UTF-8 (an invalid sequence becomes U+FFFD, never an error). */
  get(start: number, end: number): string {
    const buf = this.buf;
    const length = end - start;
    this.lastWasNew = true;
    if (length === 0) return '';
    if (length > NamePool.MAX_POOLED) return utf8.decode(buf.subarray(start, end));
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b > 0x7f) return utf8.decode(buf.subarray(start, end));
      hash = Math.imul(hash ^ b, 0x01000193);
    }
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return this.add(slot, hash, start, end);
      if (this.hashes[entry - 1] === hash && sameAscii(this.strings[entry - 1]!, buf, start, end)) {
        this.lastWasNew = false;
        return this.strings[entry - 1]!;
      }
    }
  }

  private add(slot: number, hash: number, start: number, end: number): string {
    const s = end - start <= 12 ? shortAscii(this.buf, start, end) : utf8.decode(this.buf.subarray(start, end));
    this.strings.push(s);
    if (this.strings.length > this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.strings.length - 1] = hash;
    this.slots[slot] = this.strings.length;
    if (this.strings.length * 2 > this.slots.length) this.rehash();
    return s;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.strings.length; k++) {
      let slot = this.hashes[k]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k + 1;
    }
    this.slots = slots;
  }
}

function sameAscii(s: string, buf: Uint8Array, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

/** Up to 12 ASCII bytes: V8 builds strings that short flat, so appending characters costs no rope. */
function shortAscii(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/** Calls `each` for every value of a repeated int64 field, packed or not. */
export function eachInt64(r: WireReader, wt: number, field: string, each: (v: number) => void): void {
  if (wt === WireType.Varint) {
    each(r.int64());
    return;
  }
  const outer = r.enter(wt, field);
  while (r.pos < r.end) each(r.int64());
  r.leave(outer);
}

/** Same for a repeated float field. */
export function eachFloat(r: WireReader, wt: number, field: string, each: (v: number) => void): void {
  if (wt === WireType.Bit32) {
    each(r.float());
    return;
  }
  const outer = r.enter(wt, field);
  if ((r.end - r.pos) % 4 !== 0) throw new MalformedModelError(`packed field ${field} is not a whole number of floats`);
  while (r.pos < r.end) each(r.float());
  r.leave(outer);
}

/** The number of values of a repeated numeric field, counted without decoding them. */
export function countValues(r: WireReader, wt: number, field: string, scalarWireType: WireType.Varint | WireType.Bit32 | WireType.Bit64): number {
  if (wt === scalarWireType) {
    r.skip(wt, 0);
    return 1;
  }
  const start = r.span(wt, field);
  if (scalarWireType === WireType.Varint) return countVarints(r.buf, field, start, r.pos);
  const size = scalarWireType === WireType.Bit32 ? 4 : 8;
  if ((r.pos - start) % size !== 0) {
    throw new MalformedModelError(`packed field ${field} is not a whole number of ${size}-byte values`);
  }
  return (r.pos - start) / size;
}

/** buf[start, end) as UTF-8, not pooled (doc strings, names cut at their limit). */
export function decodeText(buf: Uint8Array, start: number, end: number): string {
  return utf8.decode(buf.subarray(start, end));
}

export { BinaryReader, WireType };
