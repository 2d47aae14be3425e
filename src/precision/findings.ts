import type { Finding, NodeRef } from '../findings/finding.js';
import { formatNumber } from '../findings/format-values.js';
import { defineRule } from '../findings/rule.js';
import { describeSources } from '../findings/sources.js';
import { resolvePolicy } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import type { NodeAt, Overflow, PrecisionResult, ThresholdMiss } from './types.js';

export const PRECISION_RULE_ID = 'precision-emulation';

const KEEP = '{compiler} --keep_dtype[ (a config file with the lines: {keepLines:list(10)})]';

/** Every finding the emulation gives: one rule definition, checked complete by the compiler. */
export const PRECISION_RULE = defineRule({
  id: PRECISION_RULE_ID,
  summary: 'outputs that drift past the thresholds under the target\'s precision, the first drifting node, fp16 overflow, NaN/Inf',
  stage: 'precision',
  description:
    'Emulates the target compiler\'s default precision policy (e.g. ATC force_fp16) on ONNX Runtime\'s CPU provider and ' +
    'compares outputs and intermediate values with the fp32 reference (msit debug compare\'s thresholds).',
  messages: {
    'output-drift': {
      text: 'output {output} moves past the pass thresholds when emulating {policy} ({compute})[: {misses}]',
      severity: 'warning',
      level: 'degraded',
      description: 'Emulating the target\'s precision policy on ONNX Runtime moves a model output past msit\'s accuracy thresholds.',
      remedy:
        `Keep the drifting nodes in their original precision with ${KEEP} (or choose a precision mode that keeps fp32, ` +
        'e.g. --precision_mode=allow_fp32_to_fp16), then re-check with real inputs (port-check --run --input ...).',
      effort: 'low',
    },
    'first-drift': {
      text: '{node} ({opType}) is the first node whose output drifts under {policy} ({compute}): {metric} {value:number} (threshold {threshold:number}); a candidate to keep in higher precision',
      severity: 'info',
      level: 'degraded',
      description: 'The first node, in data-flow order, whose output moves past the thresholds under the emulated precision policy.',
      remedy: `Keep {node} in higher precision with ${KEEP}, and re-check: later nodes may drift on their own.`,
      effort: 'low',
    },
    'fp16-overflow': {
      text: '{kind} {output} of {node} ({opType}) holds values up to {maxAbs:number}, beyond fp16\'s largest value 65504: {count} of {elements} become infinity under {policy} ({compute})[ (and {later:count(later value)})]',
      severity: 'error',
      level: 'degraded',
      description: 'A value or weight the target stores in fp16 exceeds fp16\'s range (65504) and turns into infinity.',
      remedy:
        `Keep {node} and the nodes after it up to the next normalisation in fp32 with ${KEEP}, or rescale the ` +
        'activations (fold a scale into the weights) so they stay below 65504; bf16 has fp32\'s range.',
      effort: 'medium',
    },
    'nan-inf': {
      text: 'NaN or infinity first appears at {node} ({opType}) when emulating {policy} ({compute}): {count} of {elements} values of {output}, where the reference run is finite[ (and {later:count(later value)})]',
      severity: 'error',
      level: 'degraded',
      description: 'The emulated precision policy produces NaN or infinity where the fp32 reference does not.',
      remedy: `Find the overflow or division by a value that fp16 rounds to zero upstream of {node}; keep those nodes in fp32 with ${KEEP}.`,
      effort: 'medium',
    },
    'emulation-failed': {
      text: 'the precision policy {policy} ({compute}) could not be emulated: {reason}',
      severity: 'info',
      level: 'unknown',
      description: 'Precision emulation could not run on this model; its accuracy cost is not known.',
      remedy: 'Run the model on the target to measure accuracy, or fix what stops the emulation ({reason}).',
      effort: 'low',
    },
  },
});

type Code = keyof typeof PRECISION_RULE.messages;

/**
 * The findings a precision emulation gives: failed outputs, the first drifting node (a warning when
 * outputs fail, information when they pass), fp16 overflow and NaN/Inf (first node of each), or why
 * it did not run. Wording comes from PRECISION_RULE; sources from the profile's policy.
 */
export function precisionFindings(result: PrecisionResult, profile: Profile): Finding[] {
  const policy = result.policy;
  const source = describeSources(profile, resolvePolicy(profile).source);
  const common = {
    policy: policy.name,
    compute: policy.compute,
    compiler: profile.software.compiler.split(/[\s(]/)[0] || profile.software.compiler,
    keepLines: result.keepDtypeSuggestion,
  };
  const make = (code: Code, args: Record<string, string | number>, nodes: NodeAt[], severity?: Finding['severity']): Finding => {
    const refs: NodeRef[] = [];
    for (const n of nodes) {
      if (!refs.some((r) => r.index === n.index)) refs.push({ name: n.node, graph: 'main', index: n.index });
    }
    return PRECISION_RULE.finding(code, {
      args: { ...common, ...args },
      ...(severity !== undefined && { severity }),
      ...(nodes[0] ? { op: nodes[0].opType } : {}),
      nodes: refs,
      source,
    });
  };

  if (result.status === 'failed') return [make('emulation-failed', { reason: result.reason ?? 'unknown reason' }, [])];
  const findings: Finding[] = [];
  const failing = result.outputs.filter((o) => o.verdict === 'fail');
  for (const o of failing) {
    findings.push(make('output-drift', { output: o.name, ...(o.misses.length > 0 && { misses: describeMisses(o.misses) }) }, o.node ? [o.node] : []));
  }
  const d = result.firstDrift;
  if (d) {
    findings.push(make(
      'first-drift',
      { node: d.node, opType: d.opType, output: d.output, metric: d.metric, value: d.value, threshold: d.threshold },
      [d],
      failing.length > 0 ? 'warning' : undefined,
    ));
  }
  for (const kind of ['fp16-overflow', 'nan-inf'] as const) {
    const list = result.overflows.filter((o) => o.kind === kind);
    const first = list[0];
    if (!first) continue;
    const total = result.layerwise?.overflowValues[kind] ?? list.length;
    findings.push(make(kind, overflowArgs(first, total), list));
  }
  return findings;
}

function overflowArgs(o: Overflow, total: number): Record<string, string | number> {
  return {
    node: o.node, opType: o.opType, output: o.output, kind: o.weight ? 'weight' : 'output',
    count: o.count, elements: o.elements, maxAbs: o.maxAbs,
    ...(total > 1 && { later: total - 1 }),
  };
}

/** "cosine 0.9812 < 0.99", one per missed threshold: metric ids and values, in the notation of a comparison. */
function describeMisses(misses: ThresholdMiss[]): string {
  return misses.map((m) => {
    if (m.metric === 'shape') return 'shape differs';
    const cmp = m.metric === 'cosine' || m.metric === 'top1' ? '<' : '>';
    return `${m.metric} ${formatNumber(m.value)} ${cmp} ${formatNumber(m.threshold)}`;
  }).join(', ');
}
