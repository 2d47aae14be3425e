import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/**
 * Small helpers over @bufbuild/protobuf's BinaryReader for a decoder that walks the ONNX schema by
 * hand. Nested messages are handed around as subarrays of the file's bytes (views, never copies).
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

export function expectWireType(actual: WireType, expected: WireType, field: string): void {
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

/**
 * Reads a string field, decoding at most `maxBytes` of it so that a hostile 1 GB "name" costs no
 * more than a normal one. `onTruncated` gets the full byte length when the cap cut it.
 */
export function readCappedString(
  r: BinaryReader,
  wt: WireType,
  field: string,
  maxBytes: number,
  onTruncated: (fullBytes: number, kept: string) => void,
): string {
  const bytes = readMessage(r, wt, field);
  if (bytes.length <= maxBytes) return decodeUtf8(bytes);
  const kept = utf8.decode(bytes.subarray(0, maxBytes));
  onTruncated(bytes.length, kept);
  return kept;
}

/**
 * Names are mostly short ASCII ("/model/layers.3/mlp/MatMul_output_0"); building those directly
 * is several times faster than a TextDecoder call each, which matters at 100k+ names per model.
 */
function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length > 128) return utf8.decode(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b > 0x7f) return utf8.decode(bytes);
    s += String.fromCharCode(b);
  }
  return s;
}

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

/**
 * Number of values in a repeated numeric field without decoding them: fixed-size values are
 * counted from the byte length, varints by counting their last bytes. Allocates nothing.
 */
export function countRepeated(
  r: BinaryReader,
  wt: WireType,
  field: string,
  scalarWireType: WireType.Varint | WireType.Bit32 | WireType.Bit64,
): number {
  if (wt === scalarWireType) {
    r.skip(wt);
    return 1;
  }
  const packed = readMessage(r, wt, field);
  if (scalarWireType === WireType.Bit32 || scalarWireType === WireType.Bit64) {
    const size = scalarWireType === WireType.Bit32 ? 4 : 8;
    if (packed.length % size !== 0) {
      throw new MalformedModelError(`packed field ${field} is not a whole number of ${size}-byte values`);
    }
    return packed.length / size;
  }
  return countVarints(packed, field);
}

/** A varint ends at each byte without the continuation bit; the run must end on one. */
export function countVarints(bytes: Uint8Array, field: string): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i]! & 0x80) === 0) count++;
  }
  if (bytes.length > 0 && (bytes[bytes.length - 1]! & 0x80) !== 0) {
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

export { BinaryReader, WireType };
