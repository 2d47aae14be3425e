/**
 * Figures about profiles that code uses at run time, apart from the zod schema (schema.ts), so
 * that a check with built-in profiles does not load zod for them.
 */

/** Engines that run on the accelerator; any other engine's ops sit in a host-side partition. */
export const DEVICE_ENGINES: ReadonlySet<string> = new Set(['aicore', 'decomposed', 'cuda', 'tensorrt']);

/** For a profile that states no rates: the built-in profiles' (knowledge/porting_effort_days.tsv). */
export const FALLBACK_EFFORT_DAYS: Record<'low' | 'medium' | 'high', [number, number]> = {
  low: [0.5, 2],
  medium: [2, 5],
  high: [5, 15],
};
