/** Wording helpers for message args: the same value always reads the same way in every check. */

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

/** "1 node" / "3 nodes". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
