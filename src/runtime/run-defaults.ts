// Defaults of --run that --help prints: their own module, so that --help loads no run code.

/** Seed of the synthesised inputs (--seed). */
export const DEFAULT_SEED = 1;
/** Largest synthesised input set, MB (--max-input-mb). */
export const DEFAULT_MAX_INPUT_MB = 512;
