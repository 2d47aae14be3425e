/**
 * Builders of "flood" models: one repeated protobuf field holding a very large number of small
 * entries, written as raw bytes in O(bytes) (the project's writer would build an object per entry).
 */
import { concat, ldTag, modelAround, msg, varint } from '../onnx/raw-proto.js';

/** `count` copies of one length-delimited field (`fieldNo`, `payload`) back to back. */
export function repeated(fieldNo: number, payload: Uint8Array, count: number): Uint8Array {
  const one = concat(ldTag(fieldNo), varint(payload.length), payload);
  const out = new Uint8Array(one.length * count);
  for (let i = 0; i < count; i++) out.set(one, i * one.length);
  return out;
}

/** `count` copies of one varint field. */
export function repeatedVarint(fieldNo: number, value: number, count: number): Uint8Array {
  const one = msg([fieldNo, 'varint', value]);
  const out = new Uint8Array(one.length * count);
  for (let i = 0; i < count; i++) out.set(one, i * one.length);
  return out;
}

/** A length-delimited field around already-encoded bytes. */
export function field(fieldNo: number, payload: Uint8Array): Uint8Array {
  return concat(ldTag(fieldNo), varint(payload.length), payload);
}

/** ValueInfoProto `name`: float tensor of shape [dim] (dim a number or a symbolic name). */
export function valueInfo(name: string, dim: number | string = 4): Uint8Array {
  const d = typeof dim === 'number' ? msg([1, 'varint', dim]) : msg([2, 'bytes', dim]);
  const shape = msg([1, 'bytes', d]);
  const tensorType = msg([1, 'varint', 1], [2, 'bytes', shape]);
  return msg([1, 'bytes', name], [2, 'bytes', msg([1, 'bytes', tensorType])]);
}

/** NodeProto bytes: op, inputs, outputs, then any extra encoded fields. */
export function node(opType: string, inputs: string[], outputs: string[], ...extra: Uint8Array[]): Uint8Array {
  const names = joined(inputs.length + outputs.length, (i) =>
    i < inputs.length ? msg([1, 'bytes', inputs[i]!]) : msg([2, 'bytes', outputs[i - inputs.length]!]),
  );
  return concat(names, msg([4, 'bytes', opType]), ...extra);
}

/** A model whose main graph is `graphBody` plus x → Relu → y so that it is otherwise valid. */
export function floodModel(graphBody: Uint8Array, ...modelExtra: Uint8Array[]): Uint8Array {
  const base = concat(field(1, node('Relu', ['x'], ['y'])), field(11, valueInfo('x')), field(12, valueInfo('y')));
  return concat(modelAround(concat(base, graphBody)), ...modelExtra);
}

/** `count` entries made by `entry(i)`, joined (concat(...parts) would itself overflow the stack). */
export function joined(count: number, entry: (i: number) => Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (let i = 0; i < count; i++) {
    const p = entry(i);
    parts.push(p);
    length += p.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * x → Relu → t0 → Relu → ... → y, `count` nodes, written straight into one buffer: a few bytes of
 * garbage per node, so a test can build millions of them without an array per node.
 */
export function reluChain(count: number): Uint8Array {
  let buf = new Uint8Array(64 + count * 32);
  let at = 0;
  const byte = (b: number) => {
    if (at === buf.length) {
      const grown = new Uint8Array(buf.length * 2);
      grown.set(buf);
      buf = grown;
    }
    buf[at++] = b;
  };
  const varintOf = (n: number) => {
    while (n > 0x7f) {
      byte((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    byte(n);
  };
  const ascii = (fieldNo: number, text: string) => {
    byte((fieldNo << 3) | 2);
    varintOf(text.length);
    for (let i = 0; i < text.length; i++) byte(text.charCodeAt(i));
  };
  for (let i = 0; i < count; i++) {
    const input = i === 0 ? 'x' : `t${i - 1}`;
    const output = i === count - 1 ? 'y' : `t${i}`;
    byte((1 << 3) | 2);
    varintOf(2 + input.length + 2 + output.length + 6);
    ascii(1, input);
    ascii(2, output);
    ascii(4, 'Relu');
  }
  return modelAround(concat(buf.subarray(0, at), field(11, valueInfo('x')), field(12, valueInfo('y'))));
}
