// Helpers for arrays whose length a model decides. Spreading an array into a call
// (`push(...xs)`, `Math.max(...xs)`) puts every element on the stack: past ~100k elements V8
// throws "Maximum call stack size exceeded", which a 600 KB model can reach. A test walks src/
// and refuses any spread into a call, so these are the one way to do either.

/** Appends every item of `items` to `target` (in place) and returns `target`. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `floor` when there are none or all are smaller. */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The smallest of `values`, or `ceiling` when there are none or all are larger. */
export function minOf(values: Iterable<number>, ceiling = Infinity): number {
  let min = ceiling;
  for (const v of values) if (v < min) min = v;
  return min;
}

/**
 * The first `n` of `items` in the order `compare` gives, as sort(compare).slice(0, n) would give
 * them (ties keep their original order), without sorting the whole list: a report's "top 8" of a
 * million nodes costs one pass, not a million-element sort.
 */
export function topN<T>(items: Iterable<T>, n: number, compare: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  if (n <= 0) return top;
  for (const item of items) {
    if (top.length === n && compare(item, top[n - 1]!) >= 0) continue;
    let at = top.length;
    while (at > 0 && compare(item, top[at - 1]!) < 0) at--;
    top.splice(at, 0, item);
    if (top.length > n) top.pop();
  }
  return top;
}
