import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/**
 * Hand-built protobuf for what the writer refuses to produce: unknown dtype codes, wrong wire
 * types, hostile dims, nesting deeper than any recursive writer could go.
 */
export type Field =
  | readonly [fieldNo: number, kind: 'varint', value: number | bigint]
  | readonly [fieldNo: number, kind: 'bytes', value: Uint8Array | string]
  | readonly [fieldNo: number, kind: 'fixed32', value: number];

export function msg(...fields: Field[]): Uint8Array {
  const w = new BinaryWriter();
  for (const [fieldNo, kind, value] of fields) {
    if (kind === 'varint') w.tag(fieldNo, WireType.Varint).int64(value);
    else if (kind === 'fixed32') w.tag(fieldNo, WireType.Bit32).float(value);
    else if (typeof value === 'string') w.tag(fieldNo, WireType.LengthDelimited).string(value);
    else w.tag(fieldNo, WireType.LengthDelimited).bytes(value);
  }
  return w.finish();
}

export function varint(n: number): Uint8Array {
  return new BinaryWriter().uint32(n).finish();
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Wraps `inner` in `levels` layers, where each layer is a prefix computed from the length of what
 * it wraps (fields before the nested one, then tag + length). Built outside-in from precomputed
 * lengths, so it costs O(total bytes), not O(levels²) like re-encoding each layer.
 */
export function nest(inner: Uint8Array, levels: number, prefixFor: (innerLength: number) => Uint8Array): Uint8Array {
  const prefixes: Uint8Array[] = [];
  let length = inner.length;
  for (let k = 0; k < levels; k++) {
    const p = prefixFor(length);
    prefixes.push(p);
    length += p.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (let k = prefixes.length - 1; k >= 0; k--) {
    out.set(prefixes[k]!, at);
    at += prefixes[k]!.length;
  }
  out.set(inner, at);
  return out;
}

/** A ModelProto around a GraphProto's bytes, IR 10, default opset 17. */
export function modelAround(graph: Uint8Array, ...extra: Field[]): Uint8Array {
  return msg([1, 'varint', 10], [7, 'bytes', graph], [8, 'bytes', msg([1, 'bytes', ''], [2, 'varint', 17])], ...extra);
}

/** A length-delimited field's tag byte(s) for a field number. */
export function ldTag(fieldNo: number): Uint8Array {
  return varint((fieldNo << 3) | WireType.LengthDelimited);
}
