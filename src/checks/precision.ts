import type { DataTypeName, PrecisionFamily } from '../onnx/data-types.js';
import { familyOf } from '../inspect/dtype-family.js';
import type { DtypeSite, DtypeUse } from '../inspect/facts.js';
import type { Profile, ProfilePrecisionFamily } from '../profiles/schema.js';
import { toolchainOf } from './op-finding.js';
import { defineCheck, formatMessage, type RawFinding } from './define-check.js';
import { formatBytes, listNames } from './format-values.js';
import { defaultEffort } from './op-verdict.js';
import { append } from '../arrays.js';

type Code = 'dtype-unsupported' | 'dtype-degraded' | 'dtype-unknown' | 'precision-policy';

const DEFAULT_REMEDIES = {
  unsupported: 'Convert the {family} tensors to a type {target} supports (re-export, or cast initializers offline), and check accuracy after.',
  degraded: 'Check accuracy with the precision {target} actually computes in (port-check --run emulates it).',
  unknown: 'No evidence either way: compile a small model with {family} tensors with {compiler} to find out.',
  policy: 'Measure the accuracy cost (port-check --run emulates the policy); where it matters, choose another precision mode in {compiler} or keep the sensitive ops in higher precision.',
};

const LEVEL_REASONS = {
  unsupported: '{target} has no {family} support',
  degraded: '{target} handles {family} at a cost',
  unknown: 'the profile says nothing about {family}',
} as const;

/**
 * Integer families whose "degraded" verdict is about compute, not storage: int64 shape constants
 * and a uint8 image input cost nothing. The cost is reported where it arises: int64 index math by
 * slow-ops, int8 compute by quantization.
 */
const COSTED_WHERE_USED: ReadonlySet<PrecisionFamily> = new Set(['int8', 'int16', 'int32', 'int64', 'bool']);

interface FamilyUse {
  family: PrecisionFamily;
  dtypes: DataTypeName[];
  sites: Map<DtypeSite, { count: number; examples: string[] }>;
  initializerBytes: number;
}

export default defineCheck({
  id: 'precision',
  description:
    'Element types the model uses (initializers, constants, graph I/O, value_info, Cast targets, zero points) by precision family, ' +
    'against the target\'s precision support (fp8, fp64, bf16, int4, fp4, complex...), and the precision policy its compiler applies by default ' +
    '(one info finding; a family degraded only by that policy gets no finding of its own). Degraded integer families (int8, int64...) are left to ' +
    'quantization and slow-ops, where their cost arises; op-level dtype limits are op-support\'s.',
  messages: {
    'dtype-unsupported': {
      text: '{dtypes} tensors are not supported on {target}: {reason} (used in {sites})',
      severity: 'error',
      description: 'The target cannot hold or compute this element type; the tensors must be converted.',
    },
    'dtype-degraded': {
      text: '{dtypes} tensors run degraded on {target}: {reason} (used in {sites})',
      severity: 'warning',
      description: 'The target takes this element type but computes it slowly or in another precision.',
    },
    'dtype-unknown': {
      text: '{dtypes} tensors: no evidence whether {target} supports them (used in {sites})',
      severity: 'warning',
      description: 'The target profile says nothing about this precision family.',
    },
    'precision-policy': {
      text: '{families} tensors will be computed in {compute} under {compiler}\'s default precision policy, {policy}',
      severity: 'info',
      description: 'The target\'s compiler changes the precision of float tensors by default, which can cost accuracy.',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    const families = byFamily(facts.dtypes);
    const converted = convertedFamilies(families, profile);
    const policy = policyFinding(converted, profile);
    if (policy) out.push(policy);
    for (const use of families) {
      const finding = familyFinding(use, profile, converted.includes(use));
      if (finding) out.push(finding);
    }
    return out;
  },
});

function byFamily(dtypes: DtypeUse[]): FamilyUse[] {
  const families = new Map<PrecisionFamily, FamilyUse>();
  for (const use of dtypes) {
    const family = familyOf(use.dtype);
    if (family === 'undefined') continue;
    let f = families.get(family);
    if (!f) families.set(family, (f = { family, dtypes: [], sites: new Map(), initializerBytes: 0 }));
    f.dtypes.push(use.dtype);
    f.initializerBytes += use.initializerBytes;
    for (const s of use.sites) {
      const tally = f.sites.get(s.site) ?? { count: 0, examples: [] };
      tally.count += s.count;
      append(tally.examples, s.examples);
      f.sites.set(s.site, tally);
    }
  }
  return [...families.values()];
}

/** "initializer ×3: w1, w2, w3; cast_target ×1: Cast_5" */
function describeSites(use: FamilyUse): string {
  return [...use.sites.entries()]
    .map(([site, t]) => `${site} ×${t.count}${t.examples.length ? `: ${listNames(t.examples, 3, t.count)}` : ''}`)
    .join('; ');
}

function familyFinding(use: FamilyUse, profile: Profile, explainedByPolicy: boolean): RawFinding<Code> | undefined {
  const support = profile.precision.support[use.family as ProfilePrecisionFamily];
  const level = support?.level ?? 'unknown';
  // "fp32 is degraded" on a force_fp16 target is the policy finding's story; say it once.
  if (level === 'supported' || (level === 'degraded' && explainedByPolicy)) return undefined;
  // A degraded integer type costs where it is computed on, and that is reported there.
  if (level === 'degraded' && COSTED_WHERE_USED.has(use.family)) return undefined;
  const args: Record<string, string | number> = {
    family: use.family,
    dtypes: use.dtypes.join(', '),
    sites: describeSites(use),
    initializerBytes: formatBytes(use.initializerBytes),
    target: profile.name,
    compiler: toolchainOf(profile),
  };
  args.reason = support?.note ?? formatMessage(LEVEL_REASONS[level], args);
  const code = level === 'unsupported' ? 'dtype-unsupported' : level === 'degraded' ? 'dtype-degraded' : 'dtype-unknown';
  const fallbackRemedy = level === 'unsupported' ? DEFAULT_REMEDIES.unsupported : level === 'degraded' ? DEFAULT_REMEDIES.degraded : DEFAULT_REMEDIES.unknown;
  return {
    code,
    level,
    op: use.family,
    args,
    remedy: support?.remedy ?? formatMessage(fallbackRemedy, args),
    effort: support?.effort ?? defaultEffort(level),
    source: support?.source ?? profile.ops.unlisted.source,
    nodeCount: 0,
  };
}

/** Families the model uses that the compiler's default policy computes in another precision. */
function convertedFamilies(families: FamilyUse[], profile: Profile): FamilyUse[] {
  const { compute, converts } = profile.precision.policy;
  return families.filter((f) => f.family !== compute && (converts as string[]).includes(f.family));
}

/** One info finding when the compiler's default policy converts float families the model uses. */
function policyFinding(converted: FamilyUse[], profile: Profile): RawFinding<Code> | undefined {
  const policy = profile.precision.policy;
  if (converted.length === 0) return undefined;
  const familyRemedy = converted
    .map((f) => profile.precision.support[f.family as ProfilePrecisionFamily]?.remedy)
    .find((r) => r !== undefined);
  const args = {
    families: converted.map((f) => f.family).join(', '),
    compute: policy.compute,
    policy: policy.name,
    target: profile.name,
    compiler: toolchainOf(profile),
  };
  return {
    code: 'precision-policy',
    level: 'degraded',
    op: converted.map((f) => f.family).join(','),
    args,
    remedy: familyRemedy ?? policy.note ?? formatMessage(DEFAULT_REMEDIES.policy, args),
    effort: 'low',
    source: [...new Set([...policy.source, ...converted.flatMap((f) => profile.precision.support[f.family as ProfilePrecisionFamily]?.source ?? [])])],
    nodeCount: 0,
  };
}
