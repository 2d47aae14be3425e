import type { OpUse } from '../inspect/facts.js';
import type { Profile } from '../profiles/schema.js';

export type SoftwareFeature = Profile['software']['features'][number];

/** Whether a profile's op name ("domain::Op", or a bare "Op" meaning any domain) names this op. */
export function opNameMatches(name: string, op: Pick<OpUse, 'domain' | 'opType'>): boolean {
  const sep = name.lastIndexOf('::');
  if (sep < 0) return name === op.opType;
  const domain = name.slice(0, sep);
  return name.slice(sep + 2) === op.opType && (domain === op.domain || (domain === '' && op.domain === 'ai.onnx'));
}

export function featureNamesOp(feature: SoftwareFeature, op: Pick<OpUse, 'domain' | 'opType'>): boolean {
  return (feature.ops ?? []).some((name) => opNameMatches(name, op));
}

/** The first feature of the profile that names this op, if any. */
export function featureForOp(profile: Profile, op: Pick<OpUse, 'domain' | 'opType'>): SoftwareFeature | undefined {
  return profile.software.features.find((f) => featureNamesOp(f, op));
}
