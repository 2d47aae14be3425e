/** Opset ranges as the knowledge files write them. `until` absent = open-ended. */
export interface OpsetRange {
  since: number;
  until?: number;
}

/**
 * ATC registrations list the opsets a parser is registered for: "8-18", "18", "1,6,8-18".
 * Gaps are real (ATC matches domain::opset::Op exactly), so each run becomes its own range.
 * "-" means the registration names no opset.
 */
export function parseAtcOpsets(text: string): OpsetRange[] {
  if (text.trim() === '-') return [];
  return text.split(',').map((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`cannot read ATC opset list '${text}'`);
    const since = Number(m[1]);
    const until = m[2] === undefined ? since : Number(m[2]);
    if (until < since) throw new Error(`inverted ATC opset range '${text}'`);
    return { since, until };
  });
}

/** ORT OperatorKernels.md ranges: "13+", "[6, 12]", "13". */
export function parseOrtOpset(text: string): OpsetRange {
  const t = text.trim();
  let m = /^(\d+)\+$/.exec(t);
  if (m) return { since: Number(m[1]) };
  m = /^\[(\d+),\s*(\d+)\]$/.exec(t);
  if (m) return { since: Number(m[1]), until: Number(m[2]) };
  m = /^(\d+)$/.exec(t);
  if (m) return { since: Number(m[1]), until: Number(m[1]) };
  throw new Error(`cannot read ORT opset range '${text}'`);
}

/** Opsets covered by a range, capped at `max` for open-ended ranges. */
export function opsetsIn(range: OpsetRange, max: number): number[] {
  const out: number[] = [];
  for (let v = range.since; v <= (range.until ?? max); v++) out.push(v);
  return out;
}

/** Sorted opset numbers → maximal runs; a run reaching `max` from an open range stays open. */
export function runsOf(opsets: Iterable<number>, max: number, openEnded: boolean): OpsetRange[] {
  const sorted = [...new Set(opsets)].sort((a, b) => a - b);
  const runs: OpsetRange[] = [];
  for (const v of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.until === v - 1) last.until = v;
    else runs.push({ since: v, until: v });
  }
  const last = runs[runs.length - 1];
  if (last && openEnded && last.until === max) delete last.until;
  return runs;
}
