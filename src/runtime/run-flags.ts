import { UsageError } from '../errors.js';
import { PROVIDER_NAMES, type ProviderName } from './types.js';
import { nameRecord } from '../own-keys.js';

/**
 * Parsers for the run flags, for the CLI: each takes the flag's text as a user typed it and throws
 * UsageError with what was expected. They live here so the words match RunOptions.
 */

/** `--backend cpu,cuda` */
export function parseBackends(text: string): ProviderName[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--backend: expected one or more of ${PROVIDER_NAMES.join(', ')}`);
  for (const n of names) {
    if (!(PROVIDER_NAMES as readonly string[]).includes(n)) {
      throw new UsageError(`--backend ${n}: unknown execution provider; choose from ${PROVIDER_NAMES.join(', ')}`);
    }
  }
  return [...new Set(names)] as ProviderName[];
}

/** `--dim name=value`, repeatable. */
export function parseDimFlags(flags: string[]): Record<string, number> {
  const out = nameRecord<number>();
  for (const f of flags) {
    const [name, value] = splitPair('--dim', f);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--dim ${f}: the value must be a non-negative integer`);
    out[name] = n;
  }
  return out;
}

/** `--shape input=1x3x224x224`, repeatable; `input=` (nothing after) is a scalar. */
export function parseShapeFlags(flags: string[]): Record<string, number[]> {
  const out = nameRecord<number[]>();
  for (const f of flags) {
    const [name, value] = splitPair('--shape', f, true);
    const dims = value === '' ? [] : value.split(/[x,]/).map((d) => Number(d.trim()));
    if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new UsageError(`--shape ${f}: expected dims like 1x3x224x224`);
    }
    out[name] = dims;
  }
  return out;
}

/** `--input name=FILE`, repeatable. */
export function parseInputFlags(flags: string[]): Record<string, string> {
  return Object.fromEntries(flags.map((f) => splitPair('--input', f)));
}

/** `--input-value sr=16000`, repeatable. */
export function parseInputValueFlags(flags: string[]): Record<string, number> {
  const out = nameRecord<number>();
  for (const f of flags) {
    const [name, value] = splitPair('--input-value', f);
    const n = Number(value);
    if (!Number.isFinite(n)) throw new UsageError(`--input-value ${f}: the value must be a number`);
    out[name] = n;
  }
  return out;
}

function splitPair(flag: string, text: string, allowEmptyValue = false): [string, string] {
  const at = text.indexOf('=');
  const name = at > 0 ? text.slice(0, at) : '';
  const value = at > 0 ? text.slice(at + 1) : '';
  if (!name || (!value && !allowEmptyValue)) throw new UsageError(`${flag} ${text}: expected name=value`);
  return [name, value];
}
