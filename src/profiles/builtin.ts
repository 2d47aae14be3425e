import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileError, UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { closestName } from '../did-you-mean.js';
import { printable } from '../printable.js';
import { readRegularFile } from '../read-file.js';
import { readCompiledProfile } from './compiled.js';
import type { Profile } from './schema.js';

/**
 * The built-in profiles as the static check needs them: ids, the compiled JSON (dist/profiles/)
 * and the choice of targets by name. Nothing here loads the YAML parser or zod: load.ts, which
 * parses and validates profile files, is loaded only when a profile file is given or a compiled
 * profile is missing or stale.
 */

/** A profile is a few hundred KiB; anything near this is not a profile, and is not read. */
export const MAX_PROFILE_BYTES = 8 * 1024 * 1024;

/**
 * Built-ins listed in this order (the CUDA platform the model comes from, then the targets); any
 * other profile dropped into profiles/ follows alphabetically.
 */
const PREFERRED_ORDER = ['h20', 'ascend-910b', 'ascend-910c'];

let builtinIds: string[] | undefined;
const builtinCache = new Map<string, Profile>();

/** The folder of the built-in profiles: profiles/ beside the package.json above this module. */
export function builtinProfilesDir(): string {
  return join(packageRoot(), 'profiles');
}

/** Ids of the built-in profiles (file names without .yaml), the source platform first. */
export function builtinProfileIds(): string[] {
  if (builtinIds) return [...builtinIds];
  const dir = builtinProfilesDir();
  const ids = existsSync(dir)
    ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length))
    : [];
  const rank = (id: string): number => (PREFERRED_ORDER.includes(id) ? PREFERRED_ORDER.indexOf(id) : PREFERRED_ORDER.length);
  builtinIds = ids.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return [...builtinIds];
}

/**
 * A built-in profile by id, read once per process and frozen (every caller shares it): the
 * compiled JSON when it matches the YAML on disk, else `parse(text, displayName)` of the YAML;
 * without `parse`, undefined in that case.
 */
export function builtinProfile(id: string): Profile | undefined;
export function builtinProfile(id: string, parse: (text: string, displayName: string) => Profile): Profile;
export function builtinProfile(id: string, parse?: (text: string, displayName: string) => Profile): Profile | undefined {
  const cached = builtinCache.get(id);
  if (cached) return cached;
  const ids = builtinProfileIds();
  if (!ids.includes(id)) throw new UsageError(unknownTargetMessage(id, ids));
  const displayName = `profiles/${id}.yaml`;
  const text = readProfileText(join(builtinProfilesDir(), `${id}.yaml`), displayName);
  const profile = readCompiledProfile(id, text) ?? parse?.(text, displayName);
  if (profile === undefined) return undefined;
  const frozen = deepFreeze(profile);
  builtinCache.set(id, frozen);
  return frozen;
}

/**
 * The profiles to check against, in the order named: `ids` (entries may hold comma-separated
 * lists) among `fromFiles` (profile files by id, which replace a built-in of the same id) and the
 * built-ins; a profile file not named in `ids` is appended. `builtin` reads a built-in; when it
 * gives undefined, so does this.
 */
export function pickTargets(
  ids: string[], fromFiles: ReadonlyMap<string, { profile: Profile }>, builtin: (id: string) => Profile | undefined,
): Profile[] | undefined {
  const builtins = builtinProfileIds();
  const out: Profile[] = [];
  const seen = new Set<string>();
  const choices = [...[...fromFiles.keys()], ...builtins.filter((b) => !fromFiles.has(b))];
  for (const given of ids.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    // Ids are matched without regard to case: "ascend-910C" is ascend-910c.
    const id = choices.find((c) => c === given) ?? choices.find((c) => c.toLowerCase() === given.toLowerCase());
    if (id === undefined) throw new UsageError(unknownTargetMessage(given, [...builtins, ...[...fromFiles.keys()].filter((k) => !builtins.includes(k))]));
    if (seen.has(id)) continue;
    seen.add(id);
    const own = fromFiles.get(id);
    const profile = own ? own.profile : builtin(id);
    if (profile === undefined) return undefined;
    out.push(profile);
  }
  for (const [id, { profile }] of fromFiles) if (!seen.has(id)) out.push(profile);
  return out;
}

/**
 * resolveTargets (load.ts), which is loaded only when there are profile files or a built-in named
 * has no fresh compiled profile.
 */
export async function resolveTargetsLazily(ids: string[], profileFiles: string[]): Promise<Profile[]> {
  const builtins = profileFiles.length === 0 ? pickTargets(ids, new Map(), (id) => builtinProfile(id)) : undefined;
  return builtins ?? (await import('./load.js')).resolveTargets(ids, profileFiles);
}

function unknownTargetMessage(id: string, choices: string[]): string {
  const near = closestName(id, choices);
  const hint = near === undefined ? '' : `did you mean '${near}'? `;
  return `unknown target '${printable(id, 80)}': ${hint}choose one of ${choices.join(', ')}, or pass --profile FILE`;
}

export function readProfileText(path: string, displayName: string = path): string {
  const read = readRegularFile(path, { maxBytes: MAX_PROFILE_BYTES, says: `a profile may be at most ${MAX_PROFILE_BYTES} bytes (8 MiB)` });
  if (!read.ok) throw new ProfileError(displayName, '', read.problem);
  return read.bytes.toString('utf8');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
