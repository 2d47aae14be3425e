import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileError, UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { closestName } from '../did-you-mean.js';
import { printable } from '../printable.js';
import { readCompiledProfile } from './compiled.js';
import { applyOverlay, isOverlayText, overlaySchema } from './overlay.js';
import { profileSchema, type Profile } from './schema.js';
import { isObject, location, parseValidatedYaml, type Path } from '../yaml-schema.js';

/** A profile is a few hundred KiB; anything near this is not a profile, and is not read. */
export const MAX_PROFILE_BYTES = 8 * 1024 * 1024;

/**
 * Built-ins listed in this order (the CUDA platform the model comes from, then the targets); any
 * other profile dropped into profiles/ follows alphabetically.
 */
const PREFERRED_ORDER = ['h20', 'ascend-910b', 'ascend-910c'];


/**
 * Reads, parses and validates a profile file; every failure is a ProfileError naming file, line and
 * path. A file with `extends: <built-in id>` is an overlay of that built-in (see overlay.ts).
 */
export function loadProfileFile(file: string): Profile {
  const text = readProfileText(file);
  return isOverlayText(text) ? parseOverlay(text, file) : parseProfileText(text, file);
}

function parseOverlay(text: string, file: string): Profile {
  const { data: overlay, lineOf } = parseValidatedYaml(text, overlaySchema, (where, reason, line) => new ProfileError(file, where, reason, line));
  if (!builtinProfileIds().includes(overlay.extends)) {
    throw new ProfileError(file, 'extends', `'${printable(overlay.extends, 80)}' is not a built-in target (${builtinProfileIds().join(', ')})`, lineOf(['extends']));
  }
  const profile = applyOverlay(loadBuiltinProfile(overlay.extends), overlay, file);
  const problem = firstConsistencyProblem(profile);
  if (problem) {
    // Only the overlay's own entries can be at fault: the built-in passed these checks.
    const [, , index] = problem.path;
    const base = profile.ops.entries.length - overlay.ops.entries.length;
    const path = problem.path[0] === 'ops' && typeof index === 'number' && index >= base ? ['ops', 'entries', index - base, ...problem.path.slice(3)] : problem.path;
    throw new ProfileError(file, location(path), problem.reason, lineOf(path));
  }
  return profile;
}

/**
 * Parses and validates profile YAML. `file` is only used in messages. Checks beyond the schema:
 * every `source` key resolves in `sources`, opset ranges and windows are not inverted.
 */
export function parseProfileText(text: string, file: string): Profile {
  return parseProfile(text, file).profile;
}

function parseProfile(text: string, file: string): { profile: Profile; lineOf: (path: Path) => number | undefined } {
  const { data: profile, lineOf } = parseValidatedYaml(text, profileSchema, (where, reason, line) => new ProfileError(file, where, reason, line));
  const problem = firstConsistencyProblem(profile);
  if (problem) throw new ProfileError(file, location(problem.path), problem.reason, lineOf(problem.path));
  return { profile, lineOf };
}

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

/** A built-in profile by id, parsed once per process and frozen (every caller shares it). */
export function loadBuiltinProfile(id: string): Profile {
  const cached = builtinCache.get(id);
  if (cached) return cached;
  const ids = builtinProfileIds();
  if (!ids.includes(id)) throw new UsageError(unknownTargetMessage(id, ids));
  const displayName = `profiles/${id}.yaml`;
  const text = readProfileText(join(builtinProfilesDir(), `${id}.yaml`), displayName);
  const profile = readCompiledProfile(id, text) ?? parseBuiltin(id, text, displayName);
  const frozen = deepFreeze(profile);
  builtinCache.set(id, frozen);
  return frozen;
}

function parseBuiltin(id: string, text: string, displayName: string): Profile {
  const { profile, lineOf } = parseProfile(text, displayName);
  if (profile.id !== id) {
    throw new ProfileError(displayName, 'id', `expected '${id}' (the file name), got '${profile.id}'`, lineOf(['id']));
  }
  return profile;
}

/**
 * The profiles to check against, in the order named. `ids` are built-in ids or ids of the
 * `profileFiles` (entries may hold comma-separated lists); a profile file whose id matches a
 * built-in replaces it, and a profile file not named in `ids` is appended.
 */
export function resolveTargets(ids: string[], profileFiles: string[]): Profile[] {
  const fromFiles = new Map<string, { profile: Profile; file: string }>();
  for (const file of profileFiles) {
    const profile = loadProfileFile(file);
    const clash = fromFiles.get(profile.id);
    if (clash) throw new UsageError(`profiles ${clash.file} and ${file} both have id '${profile.id}': give each its own id`);
    fromFiles.set(profile.id, { profile, file });
  }
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
    out.push(own ? own.profile : loadBuiltinProfile(id));
  }
  for (const [id, { profile }] of fromFiles) if (!seen.has(id)) out.push(profile);
  return out;
}

/** One row per built-in profile, for `port-check targets`. */
export function describeTargets(): { id: string; name: string; summary: string }[] {
  return builtinProfileIds().map((id) => {
    const profile = loadBuiltinProfile(id);
    return { id, name: profile.name, summary: profile.summary };
  });
}

let builtinIds: string[] | undefined;
const builtinCache = new Map<string, Profile>();

function unknownTargetMessage(id: string, choices: string[]): string {
  const near = closestName(id, choices);
  const hint = near === undefined ? '' : `did you mean '${near}'? `;
  return `unknown target '${printable(id, 80)}': ${hint}choose one of ${choices.join(', ')}, or pass --profile FILE`;
}

function readProfileText(path: string, displayName: string = path): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ProfileError(displayName, '', 'not a file');
    size = stat.size;
  } catch (err) {
    if (err instanceof ProfileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProfileError(displayName, '', code === 'ENOENT' || code === 'ENOTDIR' ? 'file not found' : `cannot read: ${code ?? (err as Error).message}`);
  }
  if (size > MAX_PROFILE_BYTES) {
    throw new ProfileError(displayName, '', `file is ${size} bytes; a profile may be at most ${MAX_PROFILE_BYTES} bytes (8 MiB)`);
  }
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new ProfileError(displayName, '', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // The file may have grown between stat and read.
  if (buf.length > MAX_PROFILE_BYTES) throw new ProfileError(displayName, '', `file is over ${MAX_PROFILE_BYTES} bytes (8 MiB)`);
  return buf.toString('utf8');
}

/** Checks the schema cannot express: source keys resolve; ranges are not inverted. */
function firstConsistencyProblem(profile: Profile): { path: Path; reason: string } | undefined {
  const known = Object.keys(profile.sources);
  const unresolved = firstUnresolvedSource(profile, [], new Set(known));
  if (unresolved) {
    const list = known.length === 0 ? 'sources is empty' : `known: ${known.slice(0, 12).map((k) => printable(k, 80)).join(', ')}${known.length > 12 ? ', ...' : ''}`;
    return { path: unresolved.path, reason: `unknown source '${printable(unresolved.ref, 80)}': not a key of sources (${list})` };
  }
  for (const [i, e] of profile.ops.entries.entries()) {
    if (e.since !== undefined && e.until !== undefined && e.since > e.until) {
      return { path: ['ops', 'entries', i, 'until'], reason: `until (${e.until}) is before since (${e.since})` };
    }
  }
  for (const [domain, w] of Object.entries(profile.opsets.window)) {
    if (w.min > w.max) return { path: ['opsets', 'window', domain, 'max'], reason: `max (${w.max}) is below min (${w.min})` };
  }
  return undefined;
}

function firstUnresolvedSource(value: unknown, path: Path, known: Set<string>): { path: Path; ref: string } | undefined {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = firstUnresolvedSource(v, [...path, i], known);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  for (const [key, v] of Object.entries(value)) {
    if (path.length === 0 && key === 'sources') continue;
    if (key === 'source' && Array.isArray(v)) {
      const i = v.findIndex((ref) => !known.has(String(ref)));
      if (i >= 0) return { path: [...path, key, i], ref: String(v[i]) };
      continue;
    }
    const found = firstUnresolvedSource(v, [...path, key], known);
    if (found) return found;
  }
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
