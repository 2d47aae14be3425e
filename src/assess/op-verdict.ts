import { defaultEffort } from '../findings/levels.js';
import type { EffortClass, OpSupport, Profile, SupportLevel } from '../profiles/schema.js';

/** What a verdict rests on: a per-op entry, an entry for other opsets only, or a blanket policy. */
export type VerdictBasis = 'entry' | 'opset-out-of-range' | 'unlisted' | 'domain-policy' | 'limit';

export interface OpVerdict {
  level: SupportLevel;
  basis: VerdictBasis;
  /** The entry the verdict comes from; for 'opset-out-of-range', the entry that exists for other opsets. */
  entry?: OpSupport;
  remedy?: string;
  effort: EffortClass;
  source: string[];
  note?: string;
}

/** A blanket verdict used when the profile has no entry for the op. */
export interface FallbackPolicy {
  level: SupportLevel;
  remedy?: string;
  effort?: EffortClass;
  source: string[];
  note?: string;
}

const entryIndex = new WeakMap<Profile, Map<string, OpSupport[]>>();

function entriesFor(profile: Profile, domain: string, opType: string): OpSupport[] {
  let index = entryIndex.get(profile);
  if (!index) {
    index = new Map();
    for (const e of profile.ops.entries) {
      const key = `${e.domain ?? 'ai.onnx'}::${e.op}`;
      const list = index.get(key);
      if (list) list.push(e);
      else index.set(key, [e]);
    }
    entryIndex.set(profile, index);
  }
  return index.get(`${domain}::${opType}`) ?? [];
}

/**
 * Every opset range the profile has an entry for, in order and merged where they touch:
 * "8-9, 11-16" for Upsample on Ascend. A message about the model's opset must print them all.
 */
export function opsetRanges(profile: Profile, domain: string, opType: string): string {
  const ranges = entriesFor(profile, domain, opType)
    .map((e) => ({ since: e.since ?? 1, until: e.until ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.since - b.since);
  const merged: { since: number; until: number }[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.since <= last.until + 1) last.until = Math.max(last.until, r.until);
    else merged.push({ ...r });
  }
  if (merged.length === 0) return 'none';
  return merged.map((r) => (r.since === r.until ? `${r.since}` : `${r.since}-${r.until === Number.POSITIVE_INFINITY ? 'latest' : r.until}`)).join(', ');
}

export function entryCovers(entry: OpSupport, opset: number | undefined): boolean {
  if (opset === undefined) return true;
  return opset >= (entry.since ?? 0) && opset <= (entry.until ?? Number.POSITIVE_INFINITY);
}

/**
 * The profile's verdict for one op type at the opset the model imports. Evidence comes first: a
 * per-op entry whose opset range holds. An entry that exists for other opsets only means
 * 'unsupported' where the compiler matches domain::opset::Op exactly (ATC), and 'unknown' where it
 * matches ranges (no evidence at this opset). Without any entry, the fallback policy decides: a
 * domain policy or limit is evidence, but `ops.unlisted` can never make an op 'supported'.
 */
export function resolveOp(
  profile: Profile,
  domain: string,
  opType: string,
  opset: number | undefined,
  fallback: FallbackPolicy,
  fallbackBasis: VerdictBasis = 'unlisted',
): OpVerdict {
  const entries = entriesFor(profile, domain, opType);
  const entry = entries.find((e) => entryCovers(e, opset));
  if (entry) {
    return {
      level: entry.level,
      basis: 'entry',
      entry,
      ...(entry.remedy !== undefined && { remedy: entry.remedy }),
      effort: entry.effort ?? defaultEffort(entry.level),
      source: entry.source,
      ...(entry.note !== undefined && { note: entry.note }),
    };
  }
  const other = entries[0];
  if (other) {
    const exact = profile.opsets.matching === 'exact';
    const level: SupportLevel = exact ? 'unsupported' : 'unknown';
    return {
      level,
      basis: 'opset-out-of-range',
      entry: other,
      remedy: profile.opsets.remedy,
      effort: defaultEffort(level),
      source: [...new Set([...other.source, ...profile.opsets.source])],
    };
  }
  const level = fallback.level === 'supported' && fallbackBasis === 'unlisted' ? 'unknown' : fallback.level;
  return {
    level,
    basis: fallbackBasis,
    ...(fallback.remedy !== undefined && { remedy: fallback.remedy }),
    effort: fallback.effort ?? defaultEffort(level),
    source: fallback.source,
    ...(fallback.note !== undefined && { note: fallback.note }),
  };
}

/** Whether the model's opset for a domain lies inside the profile's window (true when the profile sets none). */
export function opsetInWindow(profile: Profile, domain: string, opset: number | undefined): boolean {
  const w = Object.hasOwn(profile.opsets.window, domain) ? profile.opsets.window[domain] : undefined;
  return w === undefined || opset === undefined || (opset >= w.min && opset <= w.max);
}
