import { ProfileError, UsageError } from '../errors.js';
import { printable } from '../printable.js';
import { builtinProfile, builtinProfileIds, builtinProfilesDir, MAX_PROFILE_BYTES, pickTargets, readProfileText } from './builtin.js';
import { applyOverlay, isOverlayText, overlaySchema } from './overlay.js';
import { profileSchema, type Profile } from './schema.js';
import { isObject, location, parseValidatedYaml, type Path } from '../yaml-schema.js';

export { builtinProfileIds, builtinProfilesDir, MAX_PROFILE_BYTES };

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

/** A built-in profile by id, parsed once per process and frozen (every caller shares it). */
export function loadBuiltinProfile(id: string): Profile {
  return builtinProfile(id, (text, displayName) => parseBuiltin(id, text, displayName));
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
  return pickTargets(ids, fromFiles, loadBuiltinProfile)!;
}

/** One row per built-in profile, for `port-check targets`. */
export function describeTargets(): { id: string; name: string; summary: string }[] {
  return builtinProfileIds().map((id) => {
    const profile = loadBuiltinProfile(id);
    return { id, name: profile.name, summary: profile.summary };
  });
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
