import type { DecodeContext } from './decode-context.js';
import { normaliseDomain } from './decode-node.js';
import { WireType, expectWireType, type WireReader } from './wire-reader.js';
import { OPERATOR_SET_ID } from './wire-fields.js';

/** OperatorSetIdProto (the message `r` has entered) → [normalised domain, version]. */
export function decodeOpsetImport(r: WireReader, ctx: DecodeContext): [string, number] {
  let domain = '';
  let version = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    if (fieldNo === OPERATOR_SET_ID.domain) {
      domain = ctx.name(r, wt, 'OperatorSetIdProto.domain');
    } else if (fieldNo === OPERATOR_SET_ID.version) {
      expectWireType(wt, WireType.Varint, 'OperatorSetIdProto.version');
      version = r.int64();
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
