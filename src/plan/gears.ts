import { UsageError } from '../errors.js';

/** ATC takes at most this many gears in --dynamic_dims. */
export const MAX_GEARS = 100;

/**
 * `--dim name=value` or, for gears, `--dim name=v1,v2,...` (repeatable). Returns the values per
 * name; a name given several values becomes a gear dimension of the ATC command.
 */
export function parseGearDims(flags: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const f of flags) {
    const eq = f.indexOf('=');
    const name = eq > 0 ? f.slice(0, eq) : '';
    const values = eq > 0 ? f.slice(eq + 1).split(',').map((v) => Number(v.trim())) : [];
    if (name === '' || values.length === 0 || values.some((v) => !Number.isSafeInteger(v) || v < 1)) {
      throw new UsageError(`--dim ${f}: expected name=N, or name=N1,N2,... for ATC gears (positive whole numbers)`);
    }
    out.set(name, [...new Set(values)]);
  }
  const gears = [...out.values()].reduce((n, v) => n * v.length, 1);
  if (gears > MAX_GEARS) throw new UsageError(`--dim: ${gears} gears in all, more than the ${MAX_GEARS} ATC's --dynamic_dims takes`);
  return out;
}

/** Every combination of the gear dims' values, in the order given (the first value of each first). */
export function gearCombinations(dims: ReadonlyMap<string, readonly number[]>): Map<string, number>[] {
  let out: Map<string, number>[] = [new Map()];
  for (const [name, values] of dims) {
    if (values.length < 2) continue;
    out = out.flatMap((g) => values.map((v) => new Map([...g, [name, v]])));
  }
  return out;
}
