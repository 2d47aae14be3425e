import type { Finding } from '../findings/finding.js';
import { defineRule } from '../findings/rule.js';
import type { Profile } from '../profiles/schema.js';
import type { RunResult } from './types.js';

/**
 * Findings a real run adds (rule `run`): the model could not run here, or ran only through a
 * rewritten reference copy. A run that cannot happen never blocks the static report; it is said.
 */
export const RUN_RULE = defineRule({
  id: 'run',
  summary: 'the model could not run here, or ran through a faithful rewrite',
  stage: 'run',
  description: 'What a real run on ONNX Runtime on this machine showed (with --run).',
  messages: {
    'run-failed': {
      text: 'ONNX Runtime could not run the model here: {reason}',
      severity: 'warning',
      level: 'unknown',
      description: 'The model failed to load or run on every execution provider tried; timings, shapes and precision emulation are missing.',
      remedy: 'The static findings still hold; give input shapes (--dim, --shape) or data (--input) if the reason names an input.',
      effort: 'none',
    },
    'reference-rewritten': {
      text: 'The reference run used a rewritten copy of the model ({reference}): {from} tensors were upcast to {to}, because the CPU provider lacks {from} kernels for some ops',
      severity: 'info',
      level: 'supported',
      description: 'ONNX Runtime has no CPU kernel for part of the model as exported; a faithful rewrite ran instead.',
      remedy: 'None needed: timings are of the rewritten copy.',
      effort: 'none',
    },
  },
});

const UPCASTS: Record<NonNullable<RunResult['reference']>, { from: string; to: string }> = {
  'upcast-bf16-to-fp32': { from: 'bf16', to: 'fp32' },
  'upcast-fp16-to-fp32': { from: 'fp16', to: 'fp32' },
};

export function runFindings(run: RunResult, _profile: Profile): Finding[] {
  const source = [`ONNX Runtime${run.onnxruntimeVersion ? ` ${run.onnxruntimeVersion}` : ''} on this machine (port-check --run)`];
  const out: Finding[] = [];
  if (run.status === 'failed') {
    out.push(RUN_RULE.finding('run-failed', { args: { reason: run.reason ?? 'no reason given' }, source }));
  }
  if (run.reference) {
    out.push(RUN_RULE.finding('reference-rewritten', { args: { reference: run.reference, ...UPCASTS[run.reference] }, source }));
  }
  return out;
}
