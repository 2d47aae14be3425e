import { familyOf } from '../inspect/dtype-family.js';
import type { OpUse } from '../inspect/facts.js';
import type { Profile } from '../profiles/schema.js';
import { defineCheck, formatMessage, type RawFinding } from './define-check.js';
import { listNames } from './format-values.js';
import { opArgs, opLocation, reasonFor } from './op-finding.js';
import { ownerOf, verdictForOp } from './op-owner.js';
import { defaultEffort, opsetInWindow, opsetRanges, type OpVerdict } from './op-verdict.js';

type Code = 'unsupported-op' | 'degraded-op' | 'unknown-op' | 'op-opset-unsupported' | 'op-opset-unknown' | 'dtype-not-listed';

/** Why an op is degraded when the profile's entry gives no note: what its engine means. */
const ENGINE_REASONS: Record<string, string> = {
  aicpu: 'it runs on AI CPU (the NPU\'s ARM control cores), far slower than AI Core',
  'cpu-fallback': 'it falls back to the host CPU, with a device round trip per call',
  decomposed: 'the compiler decomposes it into several smaller ops',
  host: 'it runs on the host',
};

/** Remedies used only where the profile's entry has none; they take the message args. */
const DEFAULT_REMEDIES = {
  unsupported: 'Replace {op} with a composition of ops {target} supports before conversion, or implement it as a custom operator for {compiler}.',
  degraded: 'Profile the model on {target}; if {op} dominates, rewrite it with faster ops.',
  unknown: 'No evidence either way: compile a one-op model containing {op} (opset {opset}) with {compiler} to find out.',
  dtype: 'Cast the input of {op} to {allowed} around the op (or expect {compiler} to insert the casts).',
};

export default defineCheck({
  id: 'op-support',
  description:
    'Each standard ONNX op type (ai.onnx, ai.onnx.ml) against the target profile\'s per-op evidence, at the opset the model imports. ' +
    'An op with no entry gets the profile\'s unlisted verdict, never supported: unsupported on Ascend, where ATC\'s parser list is complete ' +
    '(E16002 "No parser is registered"), unknown on the H20. An op the target places on AI CPU or a CPU fallback is degraded, with the reason. ' +
    'If/Loop/Scan are left to control-flow and quantization ops to quantization; ' +
    'when the model\'s whole opset lies outside the target\'s window, opset-window reports it once instead of once per op.',
  messages: {
    'unsupported-op': {
      text: '{op} ({nodes}) is not supported on {target}: {reason}',
      severity: 'error',
      description: 'The target has no kernel or parser for this standard op; the model will not convert until it is replaced.',
    },
    'degraded-op': {
      text: '{op} ({nodes}) runs on {target} at a cost: {reason}',
      severity: 'warning',
      description: 'The op converts but runs slowly or with reduced precision (AI CPU, host fallback, decomposition).',
    },
    'unknown-op': {
      text: '{op} ({nodes}, opset {opset}): no evidence whether {target} supports it',
      severity: 'warning',
      description: 'The target profile has no entry for this op: it may work, but nothing says so.',
    },
    'op-opset-unsupported': {
      text: '{op} ({nodes}) is registered on {target} for opsets {range} only; the model imports opset {opset}',
      severity: 'error',
      description: 'The target\'s compiler matches domain::opset::Op exactly, and this op has no registration at the model\'s opset.',
    },
    'op-opset-unknown': {
      text: '{op} ({nodes}): the evidence for {target} covers opsets {range}, not the model\'s opset {opset}',
      severity: 'warning',
      description: 'The target supports the op at other opsets; at this one there is no evidence.',
    },
    'dtype-not-listed': {
      text: '{op} ({nodes}) is fed {dtypes}; {target} lists it for {allowed} only',
      severity: 'warning',
      description: 'The op\'s data input uses an element type the target\'s kernel is not listed for: expect inserted casts or a slow fallback.',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    for (const op of facts.ops) {
      if (ownerOf(op, facts) !== 'op-support') continue;
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict) continue;
      const finding = verdictFinding(op, verdict, profile);
      if (finding) out.push(finding);
      const dtype = dtypeFinding(op, verdict, profile);
      if (dtype) out.push(dtype);
    }
    return out;
  },
});

function verdictFinding(op: OpUse, verdict: OpVerdict, profile: Profile): RawFinding<Code> | undefined {
  const args = opArgs(op, profile);
  const base = { ...opLocation(op), effort: verdict.effort, source: verdict.source };
  const remedy = (fallback: string): string => verdict.remedy ?? formatMessage(fallback, args);

  if (verdict.basis === 'opset-out-of-range') {
    // The whole model being outside the window is opset-window's single finding.
    if (!opsetInWindow(profile, op.domain, op.opset)) return undefined;
    const range = opsetRanges(profile, op.domain, op.opType);
    const code = verdict.level === 'unsupported' ? 'op-opset-unsupported' : 'op-opset-unknown';
    return { ...base, code, level: verdict.level, args: { ...args, range }, remedy: remedy(DEFAULT_REMEDIES.unknown) };
  }
  switch (verdict.level) {
    case 'supported':
      return undefined;
    case 'unsupported':
      return {
        ...base, code: 'unsupported-op', level: 'unsupported',
        args: { ...args, reason: reasonFor(verdict, args) },
        remedy: remedy(DEFAULT_REMEDIES.unsupported),
      };
    case 'degraded': {
      const engine = verdict.entry?.engine;
      const reason = verdict.note ?? (engine && ENGINE_REASONS[engine]) ?? reasonFor(verdict, args);
      return { ...base, code: 'degraded-op', level: 'degraded', args: { ...args, reason }, remedy: remedy(DEFAULT_REMEDIES.degraded) };
    }
    case 'unknown':
      return { ...base, code: 'unknown-op', level: 'unknown', args, remedy: remedy(DEFAULT_REMEDIES.unknown) };
  }
}

/** An entry that lists dtypes constrains the op's data input; anything else gets a cast or a fallback. */
function dtypeFinding(op: OpUse, verdict: OpVerdict, profile: Profile): RawFinding<Code> | undefined {
  const allowed = verdict.basis === 'entry' ? verdict.entry?.dtypes : undefined;
  // An empty list says nothing was parsed, not that no type is taken.
  if (!allowed || allowed.length === 0 || verdict.level === 'unsupported') return undefined;
  const offending = (op.mainInputDtypes ?? []).filter((d) => {
    const family = familyOf(d);
    return family !== 'undefined' && !(allowed as string[]).includes(family);
  });
  if (offending.length === 0) return undefined;
  const args = { ...opArgs(op, profile), dtypes: listNames(offending), allowed: allowed.join(', ') };
  return {
    ...opLocation(op),
    code: 'dtype-not-listed',
    level: 'degraded',
    args,
    remedy: formatMessage(DEFAULT_REMEDIES.dtype, args),
    effort: defaultEffort('degraded'),
    source: verdict.source,
  };
}
