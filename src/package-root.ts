import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding port-check's package.json, found by walking up from this module, so that
 * profiles/ and knowledge/ resolve the same from src/ (vitest) and from dist/src/ (built).
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'profiles'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('port-check: cannot find the package root (package.json with profiles/)');
    dir = up;
  }
}
