import { familyOf, type DataTypeName, type PrecisionFamily } from '../onnx/data-types.js';
import type { DtypeSite, DtypeUse } from '../inspect/facts.js';
import { convertsFamily, type TargetPrecision } from '../profiles/precision-policy.js';
import type { Profile, ProfilePrecisionFamily } from '../profiles/schema.js';
import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { toolchainOf } from '../assess/op-args.js';
import { append } from '../arrays.js';

type Code = 'dtype-unsupported' | 'dtype-degraded' | 'dtype-unknown' | 'precision-policy';

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
  summary: 'element types the target lacks (fp8 on 910B/910C, fp64, int4, fp4...) and its default precision policy (ATC\'s `force_fp16`)',
  description:
    'Element types the model uses (initializers, constants, graph I/O, value_info, Cast targets, zero points) by precision family, ' +
    'against the target\'s precision support (fp8, fp64, bf16, int4, fp4, complex...), and the precision policy its compiler applies by default ' +
    '(one info finding; a family degraded only by that policy gets no finding of its own). Degraded integer families (int8, int64...) are left to ' +
    'quantization and slow-ops, where their cost arises; op-level dtype limits are op-support\'s.',
  messages: {
    'dtype-unsupported': {
      text: '{dtypes} tensors are not supported[: {note}] (in {sites}: {tensors:list(3,tensorCount)})',
      severity: 'error',
      level: 'unsupported',
      description: 'The target cannot hold or compute this element type; the tensors must be converted.',
      remedy: 'Convert the {family} tensors to a type the target supports (re-export, or cast initializers offline), and check accuracy after.',
      effort: 'medium',
    },
    'dtype-degraded': {
      text: '{dtypes} tensors run degraded[: {note}] (in {sites}: {tensors:list(3,tensorCount)})',
      severity: 'warning',
      level: 'degraded',
      description: 'The target takes this element type but computes it slowly or in another precision.',
      remedy: 'Check accuracy with the precision the target actually computes in (port-check --run emulates it).',
      effort: 'low',
    },
    'dtype-unknown': {
      text: '{dtypes} tensors: no evidence whether the target supports them (in {sites}: {tensors:list(3,tensorCount)})',
      severity: 'warning',
      level: 'unknown',
      description: 'The target profile says nothing about this precision family.',
      remedy: 'No evidence either way: compile a small model with {family} tensors with {compiler} to find out.',
      effort: 'low',
    },
    'precision-policy': {
      text: '{families} tensors will be computed in {compute} under {compiler}\'s default precision policy, {policy}',
      severity: 'info',
      level: 'degraded',
      description: 'The target\'s compiler changes the precision of float tensors by default, which can cost accuracy.',
      remedy: 'Measure the accuracy cost (port-check --run emulates the policy); where it matters, choose another precision mode in {compiler} or keep the sensitive ops in higher precision.',
      effort: 'low',
    },
  },
  run({ facts, profile, precision }) {
    const out: RawFinding<Code>[] = [];
    const families = byFamily(facts.dtypes);
    const converted = families.filter((f) => convertsFamily(precision, f.family));
    const policy = policyFinding(converted, profile, precision);
    if (policy) out.push(policy);
    for (const use of families) {
      const finding = familyFinding(use, profile, precision, converted.includes(use));
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

function familyFinding(use: FamilyUse, profile: Profile, precision: TargetPrecision, explainedByPolicy: boolean): RawFinding<Code> | undefined {
  const support = precision.support[use.family as ProfilePrecisionFamily];
  const level = support?.level ?? 'unknown';
  // "fp32 is degraded" on a force_fp16 target is the policy finding's story; say it once.
  if (level === 'supported' || (level === 'degraded' && explainedByPolicy)) return undefined;
  // A degraded integer type costs where it is computed on, and that is reported there.
  if (level === 'degraded' && COSTED_WHERE_USED.has(use.family)) return undefined;
  const sites = [...use.sites.entries()];
  const code = level === 'unsupported' ? 'dtype-unsupported' : level === 'degraded' ? 'dtype-degraded' : 'dtype-unknown';
  return {
    code,
    level,
    op: use.family,
    args: {
      family: use.family,
      dtypes: use.dtypes,
      sites: sites.map(([site]) => site),
      tensors: sites.flatMap(([, t]) => t.examples),
      tensorCount: sites.reduce((sum, [, t]) => sum + t.count, 0),
      initializerBytes: use.initializerBytes,
      compiler: toolchainOf(profile),
      ...(support?.note !== undefined && { note: support.note }),
    },
    ...(support?.remedy !== undefined && { remedy: support.remedy }),
    ...(support?.effort !== undefined && { effort: support.effort }),
    source: support?.source ?? profile.ops.unlisted.source,
    nodeCount: 0,
  };
}

/** One info finding when the compiler's default policy converts float families the model uses. */
function policyFinding(converted: FamilyUse[], profile: Profile, policy: TargetPrecision): RawFinding<Code> | undefined {
  if (converted.length === 0) return undefined;
  const familyRemedy = converted
    .map((f) => policy.support[f.family as ProfilePrecisionFamily]?.remedy)
    .find((r) => r !== undefined);
  const remedy = familyRemedy ?? policy.note;
  return {
    code: 'precision-policy',
    op: converted.map((f) => f.family).join(','),
    args: {
      families: converted.map((f) => f.family),
      compute: policy.compute,
      policy: policy.name,
      compiler: toolchainOf(profile),
    },
    ...(remedy !== undefined && { remedy }),
    source: [...new Set([...policy.source, ...converted.flatMap((f) => policy.support[f.family as ProfilePrecisionFamily]?.source ?? [])])],
    nodeCount: 0,
  };
}
