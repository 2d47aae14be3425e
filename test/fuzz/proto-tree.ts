/**
 * An ONNX file as an editable tree of protobuf fields, for structure-aware mutation: change one
 * dim, length or string deep inside a real model and write it back with every enclosing length
 * recomputed, so that the corruption is exactly the one the fuzzer meant. Parsing follows the
 * onnx.proto field numbers (src/onnx/wire-fields.ts); weights (raw_data and the typed data fields)
 * stay opaque byte views, so a 3 MB model parses in milliseconds.
 */

export type MessageType =
  | 'Model' | 'Graph' | 'Node' | 'Attribute' | 'Tensor' | 'SparseTensor' | 'ValueInfo' | 'Type'
  | 'TensorType' | 'ElemType' | 'MapType' | 'Shape' | 'Dimension' | 'OpsetId' | 'Entry' | 'Function';

/** Which fields of each message are messages themselves (and of what type), or packed int64s. */
const SCHEMA: Record<MessageType, Record<number, MessageType | 'packed-int64'>> = {
  Model: { 7: 'Graph', 8: 'OpsetId', 14: 'Entry', 25: 'Function' },
  Graph: { 1: 'Node', 5: 'Tensor', 11: 'ValueInfo', 12: 'ValueInfo', 13: 'ValueInfo', 15: 'SparseTensor' },
  Node: { 5: 'Attribute' },
  Attribute: { 5: 'Tensor', 6: 'Graph', 8: 'packed-int64', 10: 'Tensor', 11: 'Graph', 14: 'Type', 15: 'Type', 22: 'SparseTensor', 23: 'SparseTensor' },
  Tensor: { 1: 'packed-int64', 13: 'Entry' },
  SparseTensor: { 1: 'Tensor', 2: 'Tensor', 3: 'packed-int64' },
  ValueInfo: { 2: 'Type' },
  Type: { 1: 'TensorType', 4: 'ElemType', 5: 'MapType', 8: 'TensorType', 9: 'ElemType' },
  TensorType: { 2: 'Shape' },
  ElemType: { 1: 'Type' },
  MapType: { 2: 'Type' },
  Shape: { 1: 'Dimension' },
  Dimension: {},
  OpsetId: {},
  Entry: {},
  Function: { 7: 'Node', 9: 'OpsetId', 11: 'Attribute', 12: 'ValueInfo' },
};

/** String fields (length-delimited leaves that hold text) per message: names, op types, domains. */
const STRING_FIELDS: Partial<Record<MessageType, readonly number[]>> = {
  Model: [2, 3, 4, 6],
  Graph: [2, 10],
  Node: [1, 2, 3, 4, 6, 7],
  Attribute: [1, 4, 9, 13, 21],
  Tensor: [8, 12],
  ValueInfo: [1, 3],
  Dimension: [2, 3],
  OpsetId: [1],
  Entry: [1, 2],
  Function: [1, 4, 5, 6, 8, 10],
};

export const WT = { varint: 0, bit64: 1, ld: 2, bit32: 5 } as const;

export interface ProtoField {
  no: number;
  wt: number;
  /** The message this field belongs to. */
  in: MessageType;
  /** Offset of the tag in the original bytes (for byte-level mutations aimed at structure). */
  at: number;
  varint?: bigint;
  /** Fixed 32/64-bit payload, or a length-delimited leaf (string, weights). */
  bytes?: Uint8Array;
  /** A length-delimited field parsed as a message. */
  children?: ProtoField[];
  /** A packed repeated int64 (dims, ints). */
  packed?: bigint[];
  /** Offset of the length varint of a length-delimited field, and how many bytes it takes. */
  lengthAt?: number;
  lengthSize?: number;
}

class Cursor {
  pos: number;
  constructor(readonly buf: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
  }
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw new Error('eof');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, result);
    }
    throw new Error('varint too long');
  }
}

/** Parses a ModelProto; throws on bytes that are not well-formed protobuf (fuzz inputs start valid). */
export function parseModel(buf: Uint8Array): ProtoField[] {
  return parseMessage(buf, 0, buf.length, 'Model');
}

function parseMessage(buf: Uint8Array, start: number, end: number, type: MessageType): ProtoField[] {
  const c = new Cursor(buf, start, end);
  const out: ProtoField[] = [];
  while (c.pos < end) {
    const at = c.pos;
    const tag = Number(c.varint());
    const no = tag >>> 3;
    const wt = tag & 7;
    const f: ProtoField = { no, wt, in: type, at };
    if (wt === WT.varint) f.varint = c.varint();
    else if (wt === WT.bit64 || wt === WT.bit32) {
      const n = wt === WT.bit64 ? 8 : 4;
      f.bytes = buf.subarray(c.pos, c.pos + n);
      c.pos += n;
    } else if (wt === WT.ld) {
      const lengthAt = c.pos;
      const len = Number(c.varint());
      f.lengthAt = lengthAt;
      f.lengthSize = c.pos - lengthAt;
      const s = c.pos;
      const e = s + len;
      if (e > end) throw new Error('length past end');
      const sub = SCHEMA[type][no];
      if (sub === 'packed-int64') {
        const p = new Cursor(buf, s, e);
        f.packed = [];
        while (p.pos < e) f.packed.push(p.varint());
      } else if (sub) {
        f.children = parseMessage(buf, s, e, sub);
      } else {
        f.bytes = buf.subarray(s, e);
      }
      c.pos = e;
    } else {
      throw new Error(`wire type ${wt}`);
    }
    out.push(f);
  }
  return out;
}

/** The message type of a length-delimited field's payload, if it is a message. */
export function messageTypeOf(f: ProtoField): MessageType | undefined {
  const sub = SCHEMA[f.in][f.no];
  return sub === 'packed-int64' ? undefined : sub;
}

export function isStringField(f: ProtoField): boolean {
  return f.wt === WT.ld && f.bytes !== undefined && (STRING_FIELDS[f.in]?.includes(f.no) ?? false);
}

/** Protobuf int64 varint: negatives take 10 bytes (two's complement), as every encoder writes them. */
export function encodeVarint(v: bigint): Uint8Array {
  let u = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    let b = Number(u & 0x7fn);
    u >>= 7n;
    if (u !== 0n) b |= 0x80;
    out.push(b);
  } while (u !== 0n);
  return Uint8Array.from(out);
}

/** Writes the fields back, every length recomputed from what it encloses. */
export function serialize(fields: ProtoField[]): Uint8Array {
  const payloads = new Map<ProtoField, number>();
  const total = sizeOf(fields, payloads);
  const out = new Uint8Array(total);
  const end = write(fields, out, 0, payloads);
  if (end !== total) throw new Error(`serialize: wrote ${end} of ${total} bytes`);
  return out;
}

/** Bytes a non-negative safe integer takes as a varint (tags and lengths: the hot path). */
function uintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function putUint(out: Uint8Array, at: number, n: number): number {
  while (n >= 128) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

/** Encoded size of `fields`; fills `payloads` with the payload size of each length-delimited field. */
function sizeOf(fields: ProtoField[], payloads: Map<ProtoField, number>): number {
  let n = 0;
  for (const f of fields) {
    n += uintSize(f.no * 8 + f.wt);
    if (f.wt === WT.varint) n += encodeVarint(f.varint ?? 0n).length;
    else if (f.wt === WT.ld) {
      let p: number;
      if (f.children) p = sizeOf(f.children, payloads);
      else if (f.packed) p = f.packed.reduce((k, v) => k + encodeVarint(v).length, 0);
      else p = f.bytes?.length ?? 0;
      payloads.set(f, p);
      n += uintSize(p) + p;
    } else n += f.bytes?.length ?? 0;
  }
  return n;
}

function write(fields: ProtoField[], out: Uint8Array, at: number, payloads: Map<ProtoField, number>): number {
  const put = (b: Uint8Array): void => {
    out.set(b, at);
    at += b.length;
  };
  for (const f of fields) {
    at = putUint(out, at, f.no * 8 + f.wt);
    if (f.wt === WT.varint) put(encodeVarint(f.varint ?? 0n));
    else if (f.wt === WT.ld) {
      at = putUint(out, at, payloads.get(f)!);
      if (f.children) at = write(f.children, out, at, payloads);
      else if (f.packed) for (const v of f.packed) put(encodeVarint(v));
      else if (f.bytes) put(f.bytes);
    } else if (f.bytes) put(f.bytes);
  }
  return at;
}

/** Every field with the list that holds it, depth-first; `path` names the field for messages. */
export interface Site {
  field: ProtoField;
  list: ProtoField[];
  path: string;
}

export function sitesOf(fields: ProtoField[]): Site[] {
  const out: Site[] = [];
  const stack: { list: ProtoField[]; path: string }[] = [{ list: fields, path: 'Model' }];
  while (stack.length > 0) {
    const { list, path } = stack.pop()!;
    for (const f of list) {
      const p = `${path}.${f.no}`;
      out.push({ field: f, list, path: p });
      if (f.children) stack.push({ list: f.children, path: p });
    }
  }
  return out;
}

/** A deep copy of a field (byte leaves are shared views: they are never written in place). */
export function cloneField(f: ProtoField): ProtoField {
  return {
    ...f,
    ...(f.children ? { children: f.children.map(cloneField) } : {}),
    ...(f.packed ? { packed: [...f.packed] } : {}),
  };
}
