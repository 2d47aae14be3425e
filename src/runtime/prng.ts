/**
 * A small seeded PRNG (mulberry32): the same seed gives the same inputs on every machine and Node
 * version, which Math.random cannot promise.
 */
export function createPrng(seed: number): () => number {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed per input name, so adding an input does not change the values of the others. */
export function seedFor(seed: number, name: string): number {
  let h = Math.trunc(seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
