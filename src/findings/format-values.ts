/** How values read in messages and views: the same value always reads the same way everywhere. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** "188 KiB", "1.5 GiB": binary units, the one byte format of messages, the text view and HTML. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

/**
 * "a, b, c" or "a, b, c and 4 more": names from a model stay few in a message. `total` is the
 * full count when `names` holds only the first few.
 */
export function listNames(names: readonly string[], max = 5, total = names.length): string {
  const shown = names.slice(0, max);
  const rest = Math.max(total, names.length) - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** "1 node" / "3 nodes"; `many` for irregular plurals. */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}

/** "12.3%" for a 0..1 share; clamps nonsense rather than printing it. */
export function percent(share: number): string {
  const v = Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0;
  return `${(v * 100).toFixed(1)}%`;
}

/** Four significant digits; exponent notation for very large or small magnitudes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
