import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { Profile } from './schema.js';

/**
 * Built-in profiles compiled to JSON at build time (scripts/compile-profiles.ts → dist/profiles/).
 * Parsing 130 KB of YAML costs a few hundred milliseconds, JSON about one; the static check of a
 * model should not pay that on every run. A compiled profile is used only when the hash of the YAML
 * it came from matches the YAML on disk, so an edited profile is never shadowed by a stale one.
 */
export interface CompiledProfile {
  yamlSha256: string;
  profile: Profile;
}

export function compiledProfilePath(id: string): string {
  return join(packageRoot(), 'dist', 'profiles', `${id}.json`);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The compiled profile for this YAML text, or undefined when absent or stale. */
export function readCompiledProfile(id: string, yamlText: string): Profile | undefined {
  let compiled: CompiledProfile;
  try {
    compiled = JSON.parse(readFileSync(compiledProfilePath(id), 'utf8')) as CompiledProfile;
  } catch {
    return undefined;
  }
  return compiled.yamlSha256 === sha256(yamlText) ? compiled.profile : undefined;
}
