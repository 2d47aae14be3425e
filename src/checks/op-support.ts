import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { noteArg, opArgs, opLocation } from '../assess/op-args.js';
import { ownerOf, verdictForOp } from '../assess/op-owner.js';
import { ENGINE_WORDS } from '../assess/op-table.js';
import { opsetInWindow, opsetRanges, type OpVerdict } from '../assess/op-verdict.js';
import { defaultEffort } from '../findings/levels.js';
import { familyOf } from '../onnx/data-types.js';
import type { OpUse } from '../inspect/facts.js';
import type { Profile } from '../profiles/schema.js';

type Code = 'unsupported-op' | 'degraded-op' | 'unknown-op' | 'op-opset-unsupported' | 'op-opset-unknown' | 'dtype-not-listed';

const NO_EVIDENCE_REMEDY = 'No evidence either way: compile a one-op model containing {op}[ (opset {opset})] with {compiler} to find out.';

export default defineCheck({
  id: 'op-support',
  summary: 'each standard op against the profile\'s per-op evidence (level, opset range, dtypes, engine). On Ascend an ai.onnx op without a parser registration is `unsupported` (ATC stops with E16002 "No parser is registered"); an op CANN\'s plugin places on AI CPU is `degraded`; `unknown` is left for ops no evidence speaks about',
  description:
    'Each standard ONNX op type (ai.onnx, ai.onnx.ml) against the target profile\'s per-op evidence, at the opset the model imports. ' +
    'An op with no entry gets the profile\'s unlisted verdict, never supported: unsupported on Ascend, where ATC\'s parser list is complete ' +
    '(E16002 "No parser is registered"), unknown on the H20. An op the target places on AI CPU or a CPU fallback is degraded, with the reason. ' +
    'If/Loop/Scan are left to control-flow and quantization ops to quantization; ' +
    'when the model\'s whole opset lies outside the target\'s window, opset-window reports it once instead of once per op.',
  messages: {
    'unsupported-op': {
      text: '{op} ({nodeCount:count(node)}) is not supported[: {note}]',
      severity: 'error',
      level: 'unsupported',
      description: 'The target has no kernel or parser for this standard op; the model will not convert until it is replaced.',
      remedy: 'Replace {op} with a composition of ops the target supports before conversion, or implement it as a custom operator for {compiler}.',
      effort: 'medium',
    },
    'degraded-op': {
      text: '{op} ({nodeCount:count(node)}) runs at a cost[ on {engine}][: {note}]',
      severity: 'warning',
      level: 'degraded',
      description: 'The op converts but runs slowly or with reduced precision (AI CPU, host fallback, decomposition).',
      remedy: 'Profile the model on the target; if {op} dominates, rewrite it with faster ops.',
      effort: 'low',
    },
    'unknown-op': {
      text: '{op} ({nodeCount:count(node)}[, opset {opset}]): no evidence whether the target supports it',
      severity: 'warning',
      level: 'unknown',
      description: 'The target profile has no entry for this op: it may work, but nothing says so.',
      remedy: NO_EVIDENCE_REMEDY,
      effort: 'low',
    },
    'op-opset-unsupported': {
      text: '{op} ({nodeCount:count(node)}) is registered for opsets {range} only; the model imports opset {opset}',
      severity: 'error',
      level: 'unsupported',
      description: 'The target\'s compiler matches domain::opset::Op exactly, and this op has no registration at the model\'s opset.',
      remedy: 'Export the model at an opset where {op} is registered ({range}), or replace {op}.',
      effort: 'medium',
    },
    'op-opset-unknown': {
      text: '{op} ({nodeCount:count(node)}): the evidence covers opsets {range}, not the model\'s opset {opset}',
      severity: 'warning',
      level: 'unknown',
      description: 'The target supports the op at other opsets; at this one there is no evidence.',
      remedy: NO_EVIDENCE_REMEDY,
      effort: 'low',
    },
    'dtype-not-listed': {
      text: '{op} ({nodeCount:count(node)}) is fed {dtypes}; the target lists it for {allowed} only',
      severity: 'warning',
      level: 'degraded',
      description: 'The op\'s data input uses an element type the target\'s kernel is not listed for: expect inserted casts or a slow fallback.',
      remedy: 'Cast the input of {op} to {allowed} around the op (or expect {compiler} to insert the casts).',
      effort: 'low',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    for (const op of facts.ops) {
      if (ownerOf(op, facts) !== 'op-support') continue;
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict) continue;
      const args = opArgs(op, profile);
      const finding = verdictFinding(op, verdict, args, opsetInWindow(profile, op.domain, op.opset), profile);
      if (finding) out.push(finding);
      const dtype = dtypeFinding(op, verdict, args);
      if (dtype) out.push(dtype);
    }
    return out;
  },
});

function verdictFinding(
  op: OpUse, verdict: OpVerdict, args: Record<string, string | number>, inWindow: boolean, profile: Profile,
): RawFinding<Code> | undefined {
  const base = {
    ...opLocation(op),
    level: verdict.level,
    effort: verdict.effort,
    source: verdict.source,
    ...(verdict.remedy !== undefined && { remedy: verdict.remedy }),
  };
  if (verdict.basis === 'opset-out-of-range') {
    // The whole model being outside the window is opset-window's single finding.
    if (!inWindow) return undefined;
    const code = verdict.level === 'unsupported' ? 'op-opset-unsupported' : 'op-opset-unknown';
    return { ...base, code, args: { ...args, range: opsetRanges(profile, op.domain, op.opType) } };
  }
  switch (verdict.level) {
    case 'supported':
      return undefined;
    case 'unsupported':
      return { ...base, code: 'unsupported-op', args: { ...args, ...noteArg(verdict) } };
    case 'degraded': {
      const engine = verdict.entry?.engine;
      return { ...base, code: 'degraded-op', args: { ...args, ...noteArg(verdict), ...(engine && { engine: ENGINE_WORDS[engine] }) } };
    }
    case 'unknown':
      return { ...base, code: 'unknown-op', args };
  }
}

/** An entry that lists dtypes constrains the op's data input; anything else gets a cast or a fallback. */
function dtypeFinding(op: OpUse, verdict: OpVerdict, args: Record<string, string | number>): RawFinding<Code> | undefined {
  const allowed = verdict.basis === 'entry' ? verdict.entry?.dtypes : undefined;
  // An empty list says nothing was parsed, not that no type is taken.
  if (!allowed || allowed.length === 0 || verdict.level === 'unsupported') return undefined;
  const offending = (op.mainInputDtypes ?? []).filter((d) => {
    const family = familyOf(d);
    return family !== 'undefined' && !(allowed as string[]).includes(family);
  });
  if (offending.length === 0) return undefined;
  return {
    ...opLocation(op),
    code: 'dtype-not-listed',
    level: 'degraded',
    args: { ...args, dtypes: offending, allowed: [...allowed] },
    effort: defaultEffort('degraded'),
    source: verdict.source,
  };
}
