import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { RewriteError } from './rewrite.js';

/**
 * The one edit precision emulation needs that src/onnx/rewrite.ts does not make: renaming main-graph
 * initializers (and the graph inputs that declare them, in models from before IR 4), so that a Cast
 * pair can produce the original name from the renamed weight and every consumer, subgraphs
 * included, reads the rounded weight. Like rewrite.ts it walks the protobuf wire format and copies
 * every other field as the original bytes: weights are never decoded.
 */
export function renameInitializers(bytes: Uint8Array, renames: ReadonlyMap<string, string>): Uint8Array {
  if (renames.size === 0) return bytes;
  const out: Uint8Array[] = [];
  let graphs = 0;
  for (const f of fields(bytes, 'the model')) {
    if (f.no === MODEL_GRAPH && f.wireType === WireType.LengthDelimited) {
      graphs++;
      // A graph has as many fields as nodes and weights: appended one by one, not spread as arguments.
      for (const part of lengthDelimited(MODEL_GRAPH, renameInGraph(f.payload, renames))) out.push(part);
    } else {
      out.push(f.raw);
    }
  }
  if (graphs !== 1) throw new RewriteError(`expected one main graph in the model, found ${graphs}`);
  return concat(out);
}

// Field numbers from onnx/onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const TENSOR_NAME = 8;
const VALUE_INFO_NAME = 1;

/** The graph's fields as slices of the input plus the renamed ones: concatenated once, at the end. */
function renameInGraph(graph: Uint8Array, renames: ReadonlyMap<string, string>): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of fields(graph, 'the main graph')) {
    if (f.wireType === WireType.LengthDelimited && f.no === GRAPH_INITIALIZER) {
      out.push(...lengthDelimited(f.no, [renameField(f.payload, TENSOR_NAME, renames, 'an initializer')]));
    } else if (f.wireType === WireType.LengthDelimited && f.no === GRAPH_INPUT) {
      out.push(...lengthDelimited(f.no, [renameField(f.payload, VALUE_INFO_NAME, renames, 'a graph input')]));
    } else {
      out.push(f.raw);
    }
  }
  return out;
}

/** The message with its string field `no` renamed when the map names it; other fields as they were. */
function renameField(message: Uint8Array, no: number, renames: ReadonlyMap<string, string>, what: string): Uint8Array {
  const parts = fields(message, what);
  const nameField = parts.find((f) => f.no === no && f.wireType === WireType.LengthDelimited);
  const renamed = nameField ? renames.get(utf8.decode(nameField.payload)) : undefined;
  if (renamed === undefined) return message;
  const out: Uint8Array[] = [];
  for (const f of parts) {
    out.push(f === nameField ? new BinaryWriter().tag(no, WireType.LengthDelimited).string(renamed).finish() : f.raw);
  }
  return concat(out);
}

interface Field {
  no: number;
  wireType: WireType;
  raw: Uint8Array;
  payload: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function fields(bytes: Uint8Array, what: string): Field[] {
  const reader = new BinaryReader(bytes);
  const out: Field[] = [];
  try {
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const [no, wireType] = reader.tag();
      let payload: Uint8Array = EMPTY;
      if (wireType === WireType.LengthDelimited) {
        const len = reader.uint32();
        const from = reader.pos;
        if (from + len > reader.len) throw new Error('length past the end');
        reader.pos = from + len;
        payload = bytes.subarray(from, from + len);
      } else {
        reader.skip(wireType, no);
      }
      out.push({ no, wireType, raw: bytes.subarray(start, reader.pos), payload });
    }
  } catch (e) {
    throw new RewriteError(`cannot parse ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return out;
}

const EMPTY: Uint8Array = new Uint8Array(0);

function lengthDelimited(no: number, payload: Uint8Array[]): Uint8Array[] {
  let length = 0;
  for (const p of payload) length += p.length;
  return [new BinaryWriter().tag(no, WireType.LengthDelimited).uint32(length).finish(), ...payload];
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
