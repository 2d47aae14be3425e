import type { MessageSpec } from '../checks/define-check.js';
import { formatMessage } from '../checks/define-check.js';
import type { Finding } from '../checks/finding.js';
import type { Profile } from '../profiles/schema.js';
import type { RunResult } from './types.js';

/**
 * Findings a real run adds (rule `run`): the model could not run here, or ran only through a
 * rewritten reference copy. A run that cannot happen never blocks the static report; it is said.
 */
export const RUN_RULE = {
  id: 'run',
  description: 'What a real run on ONNX Runtime on this machine showed (with --run).',
  messages: {
    'run-failed': {
      text: 'ONNX Runtime could not run the model here: {reason}',
      severity: 'warning',
      description: 'The model failed to load or run on every execution provider tried; timings, shapes and precision emulation are missing.',
    },
    'reference-rewritten': {
      text: 'The reference run used a rewritten copy of the model ({reference}): {why}',
      severity: 'info',
      description: 'ONNX Runtime has no CPU kernel for part of the model as exported; a faithful rewrite ran instead.',
    },
  } satisfies Record<string, MessageSpec>,
};

const REFERENCE_WHY: Record<NonNullable<RunResult['reference']>, string> = {
  'upcast-bf16-to-fp32': 'bf16 tensors were upcast to fp32, because the CPU provider lacks bf16 kernels for some ops',
  'upcast-fp16-to-fp32': 'fp16 tensors were upcast to fp32, because the CPU provider lacks fp16 kernels for some ops',
};

export function runFindings(run: RunResult, profile: Profile): Finding[] {
  const source = [`ONNX Runtime${run.onnxruntimeVersion ? ` ${run.onnxruntimeVersion}` : ''} on this machine (port-check --run)`];
  const base = { nodeCount: 0, nodes: [], effort: 'none' as const, source };
  const out: Finding[] = [];
  if (run.status === 'failed') {
    const args = { reason: run.reason ?? 'no reason given', target: profile.id };
    const spec = RUN_RULE.messages['run-failed'];
    out.push({
      ...base, rule: RUN_RULE.id, code: 'run-failed', severity: 'warning', level: 'unknown', args,
      message: formatMessage(spec.text, args),
      remedy: 'the static findings above still hold; give input shapes (--dim, --shape) or data (--input) if the reason names an input',
    });
  }
  if (run.reference) {
    const args = { reference: run.reference, why: REFERENCE_WHY[run.reference] };
    out.push({
      ...base, rule: RUN_RULE.id, code: 'reference-rewritten', severity: 'info', level: 'supported', args,
      message: formatMessage(RUN_RULE.messages['reference-rewritten'].text, args),
      remedy: 'none needed: timings are of the rewritten copy',
    });
  }
  return out;
}
