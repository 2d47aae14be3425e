import { describeSources, formatMessage, type MessageSpec } from '../checks/define-check.js';
import type { EffortClass, Finding, NodeRef, SupportLevel } from '../checks/finding.js';
import { listNames, plural } from '../checks/format-values.js';
import type { Profile } from '../profiles/schema.js';
import { MAX_OVERFLOW_VALUES } from './emulate-precision.js';
import type { NodeAt, Overflow, PrecisionResult, ThresholdMiss } from './types.js';

export const PRECISION_RULE_ID = 'precision-emulation';

type Code = 'output-drift' | 'first-drift' | 'fp16-overflow' | 'nan-inf' | 'emulation-failed';

/** Wording of every finding the emulation gives: one table, checked complete by the compiler. */
export const PRECISION_MESSAGES = {
  'output-drift': {
    text: 'output {output} moves past the pass thresholds when emulating {policy} on {target}: {misses}',
    severity: 'warning',
    description: 'Emulating the target\'s precision policy on ONNX Runtime moves a model output past msit\'s accuracy thresholds.',
  },
  'first-drift': {
    text: '{node} ({opType}) is the first node whose output drifts under {policy}: {metric} {value} (threshold {threshold}); a candidate to keep in higher precision',
    severity: 'info',
    description: 'The first node, in data-flow order, whose output moves past the thresholds under the emulated precision policy.',
  },
  'fp16-overflow': {
    text: '{value} of {node} ({opType}) holds values up to {maxAbs}, beyond fp16\'s largest value 65504: {count} of {elements} become infinity under {policy}{more}',
    severity: 'error',
    description: 'A value or weight the target stores in fp16 exceeds fp16\'s range (65504) and turns into infinity.',
  },
  'nan-inf': {
    text: 'NaN or infinity first appears at {node} ({opType}) when emulating {policy}: {count} of {elements} values of {output}, where the reference run is finite{more}',
    severity: 'error',
    description: 'The emulated precision policy produces NaN or infinity where the fp32 reference does not.',
  },
  'emulation-failed': {
    text: 'the precision policy {policy} of {target} could not be emulated: {reason}',
    severity: 'info',
    description: 'Precision emulation could not run on this model; its accuracy cost is not known.',
  },
} as const satisfies Record<Code, MessageSpec>;

/** The rule's documentation, in the shape of the check registry's RuleDoc (SARIF rules[], docs). */
export const PRECISION_RULE = {
  id: PRECISION_RULE_ID,
  description:
    'Emulates the target compiler\'s default precision policy (e.g. ATC force_fp16) on ONNX Runtime\'s CPU provider and ' +
    'compares outputs and intermediate values with the fp32 reference (msit debug compare\'s thresholds).',
  messages: PRECISION_MESSAGES as Record<Code, MessageSpec>,
};

const REMEDIES: Record<Code, string> = {
  'output-drift':
    'Keep the drifting nodes in their original precision with {compiler} --keep_dtype{keepFile} (or choose a precision mode that keeps fp32, ' +
    'e.g. --precision_mode=allow_fp32_to_fp16), then re-check with real inputs (port-check --run --input ...).',
  'first-drift':
    'Keep {node} in higher precision with {compiler} --keep_dtype{keepFile}, and re-check: later nodes may drift on their own.',
  'fp16-overflow':
    'Keep {node} and the nodes after it up to the next normalisation in fp32 with {compiler} --keep_dtype{keepFile}, or rescale the ' +
    'activations (fold a scale into the weights) so they stay below 65504; bf16 has fp32\'s range.',
  'nan-inf':
    'Find the overflow or division by a value that fp16 rounds to zero upstream of {node}; keep those nodes in fp32 with {compiler} --keep_dtype{keepFile}.',
  'emulation-failed': 'Run the model on the target to measure accuracy, or fix what stops the emulation ({reason}).',
};

const EFFORT: Record<Code, EffortClass> = {
  'output-drift': 'low', 'first-drift': 'low', 'fp16-overflow': 'medium', 'nan-inf': 'medium', 'emulation-failed': 'low',
};

const LEVEL: Record<Code, SupportLevel> = {
  'output-drift': 'degraded', 'first-drift': 'degraded', 'fp16-overflow': 'degraded', 'nan-inf': 'degraded', 'emulation-failed': 'unknown',
};

/**
 * The findings a precision emulation gives: failed outputs, the first drifting node (a warning when
 * outputs fail, information when they pass), fp16 overflow and NaN/Inf (first node of each), or why
 * it did not run. Wording comes from PRECISION_MESSAGES; sources from the profile's policy.
 */
export function precisionFindings(result: PrecisionResult, profile: Profile): Finding[] {
  const policy = result.policy;
  const sourceKeys = profile.precision.policy.source;
  const common = {
    policy: `${policy.name} (${policy.compute})`,
    target: profile.name,
    compiler: profile.software.compiler.split(/[\s(]/)[0] || profile.software.compiler,
    keepFile: result.keepDtypeSuggestion.length > 0 ? ` (a config file with the lines: ${result.keepDtypeSuggestion.join(', ')})` : '',
  };
  const make = (code: Code, args: Record<string, string | number>, nodes: NodeAt[], severity?: Finding['severity']): Finding => {
    const all = { ...common, ...args };
    const refs: NodeRef[] = [];
    for (const n of nodes) {
      if (!refs.some((r) => r.index === n.index)) refs.push({ name: n.node, graph: 'main', index: n.index });
    }
    return {
      rule: PRECISION_RULE_ID,
      code,
      severity: severity ?? PRECISION_MESSAGES[code].severity,
      level: LEVEL[code],
      ...(nodes[0] ? { op: nodes[0].opType } : {}),
      nodeCount: refs.length,
      nodes: refs,
      message: formatMessage(PRECISION_MESSAGES[code].text, all),
      remedy: formatMessage(REMEDIES[code], all),
      effort: EFFORT[code],
      source: describeSources(profile, sourceKeys),
      args: all,
    };
  };

  if (result.status === 'failed') return [make('emulation-failed', { reason: result.reason ?? 'unknown reason' }, [])];
  const findings: Finding[] = [];
  const failing = result.outputs.filter((o) => o.verdict === 'fail');
  for (const o of failing) {
    findings.push(make('output-drift', { output: o.name, misses: describeMisses(o.misses) }, o.node ? [o.node] : []));
  }
  const d = result.firstDrift;
  if (d) {
    findings.push(make(
      'first-drift',
      { node: d.node, opType: d.opType, output: d.output, metric: METRIC_WORDS[d.metric], value: formatValue(d.metric, d.value), threshold: formatValue(d.metric, d.threshold) },
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
  const rest = total - 1;
  return {
    node: o.node, opType: o.opType, output: o.output, value: `${o.weight ? 'weight' : 'output'} ${o.output}`,
    count: o.count, elements: o.elements,
    maxAbs: formatNumber(o.maxAbs),
    more: rest > 0 ? ` (and ${plural(rest, 'later value')}${total > MAX_OVERFLOW_VALUES ? `; the first ${MAX_OVERFLOW_VALUES} are listed` : ''})` : '',
  };
}

const METRIC_WORDS: Record<ThresholdMiss['metric'], string> = {
  cosine: 'cosine similarity',
  relativeEuclidean: 'relative Euclidean distance',
  rmse: 'root mean square error',
  meanRelativeError: 'mean relative error',
  maxAbsError: 'max absolute error',
  maxRelativeError: 'max relative error',
  top1: 'top-1 agreement',
  newNonFinite: 'new NaN/Inf values',
  shape: 'shape',
};

function describeMisses(misses: ThresholdMiss[]): string {
  if (misses.length === 0) return 'not returned by the emulated run';
  return listNames(misses.map((m) => {
    if (m.metric === 'shape') return 'its shape differs';
    if (m.metric === 'newNonFinite') return `${m.value} values turn NaN or infinite`;
    const cmp = m.metric === 'cosine' || m.metric === 'top1' ? '<' : '>';
    return `${METRIC_WORDS[m.metric]} ${formatValue(m.metric, m.value)} ${cmp} ${formatValue(m.metric, m.threshold)}`;
  }), 6);
}

function formatValue(metric: ThresholdMiss['metric'], v: number): string {
  if (metric === 'cosine') return v.toFixed(4);
  if (metric === 'newNonFinite' || metric === 'shape') return String(v);
  return formatNumber(v);
}

/** Four significant digits; exponent notation for very large or small magnitudes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
