import type { Profile } from '../profiles/schema.js';

/** Resolves profile source keys to one line each: "title (upstream; file)". */
export function describeSources(profile: Profile, keys: readonly string[]): string[] {
  return keys.map((key) => {
    const s = profile.sources[key];
    if (!s) return key;
    const where = [s.upstream, s.file].filter(Boolean).join('; ');
    return where ? `${s.title} (${where})` : s.title;
  });
}
