import type { DecodeContext } from './decode-context.js';
import { normaliseDomain } from './decode-node.js';
import { BinaryReader, WireType, expectWireType, readInt64 } from './wire-reader.js';
import { OPERATOR_SET_ID } from './wire-fields.js';

/** OperatorSetIdProto → [normalised domain, version]. */
export function decodeOpsetImport(bytes: Uint8Array, ctx: DecodeContext): [string, number] {
  const r = new BinaryReader(bytes);
  let domain = '';
  let version = 0;
  while (r.pos < r.len) {
    const [fieldNo, wt] = r.tag();
    if (fieldNo === OPERATOR_SET_ID.domain) {
      domain = ctx.name(r, wt, 'OperatorSetIdProto.domain');
    } else if (fieldNo === OPERATOR_SET_ID.version) {
      expectWireType(wt, WireType.Varint, 'OperatorSetIdProto.version');
      version = readInt64(r);
    } else {
      r.skip(wt, fieldNo);
    }
  }
  return [normaliseDomain(domain), version];
}

/**
 * Sets a key that came from the model as an own property. A plain `obj[key] = v` with the key
 * "__proto__" would replace the object's prototype instead.
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
