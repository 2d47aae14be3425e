// Records keyed by names a model (or a flag repeating them) chooses. On a plain object, the names
// "constructor", "toString" or "hasOwnProperty" find Object.prototype's functions, and assigning
// "__proto__" replaces the prototype instead of adding a key. Lookups go through ownValue and
// records that are filled with such names are made by nameRecord (no prototype at all).

/** An empty record with no prototype: every name, "__proto__" included, is an ordinary key. */
export function nameRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` when the record itself holds that key, never a value inherited from Object. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
