/**
 * The choice a mistyped name most likely meant ("ascend-91c" → "ascend-910c", "taregts" →
 * "targets"), compared case-insensitively: an edit distance (adjacent swaps count once) of at most
 * a third of the name, and at least 1. Undefined when nothing is that close, or when two choices
 * are equally close ("ascend-910x": b or c?), since a wrong guess misleads more than none.
 */
export function closestName(input: string, choices: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  // Names longer than anything we offer are not typos of it; and the distance is quadratic.
  if (wanted.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(wanted.length / 3)) + 1;
  let tied = false;
  for (const choice of choices) {
    const d = editDistance(wanted, choice.toLowerCase());
    if (d < bestDistance) {
      best = choice;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance && best !== undefined) {
      tied = true;
    }
  }
  return tied ? undefined : best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** "; did you mean 'x'?" or "". */
export function didYouMean(input: string, choices: readonly string[]): string {
  const near = closestName(input, choices);
  return near === undefined ? '' : `; did you mean '${near}'?`;
}
