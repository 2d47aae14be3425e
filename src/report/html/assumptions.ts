import { escapeHtml as e } from '../escape.js';
import type { Report } from '../types.js';

/**
 * What every verdict rests on, said once: a customer reading the report should know what was
 * measured, what was looked up, and what "unknown" means.
 */
export function assumptions(reports: readonly Report[]): string {
  const ran = reports.some((r) => r.run?.status === 'ok' || r.targets.some((t) => t.findings.some((f) => f.timeShare !== undefined)));
  const emulated = reports.some((r) => r.targets.some((t) => t.precision));
  const estimated = reports.some((r) => r.targets.some((t) => t.estimate));
  const items = [
    'Verdicts come from target profiles: data files that record, per operator, opset and data type, what the ' +
      "target's compiler and runtime accept, each with the public source it was taken from (listed under Sources).",
    'The model was read, not changed. Weights were not loaded: the checks look at the graph, its operators, ' +
      'opsets, data types, shapes and control flow.',
    '"Unknown" means the profile has no evidence either way; it never stands for "supported". Such items need ' +
      'a trial compile on the target to settle.',
    'Op coverage counts distinct operator types (domain and op), not nodes.',
    'Effort classes are rough: low is a flag or a re-export, medium is graph surgery or a conversion, high is ' +
      'new kernels or a change to the model.',
    ran
      ? 'Time shares were measured on the machine that wrote this report with ONNX Runtime as the reference; they ' +
        'rank where time goes, they are not timings of the target.'
      : 'The model was not run: there are no timings in this report.',
    ...(emulated
      ? [
          "Precision drift was measured by emulating each target's precision policy on ONNX Runtime's CPU provider: " +
            "values the policy converts were rounded to the target's type and the outputs compared with the model's own run. " +
            "It measures the policy's accuracy cost on these inputs, not the target's kernels; thresholds follow msit's compare defaults.",
        ]
      : []),
    ...(estimated
      ? [
          "Speed and memory figures are estimates: a roofline on each target's published peaks (a lower bound on latency), " +
            'memory from weights, live activations and KV cache, and chip-to-chip traffic at full link bandwidth. ' +
            'Each target lists its own assumptions beside its numbers.',
        ]
      : []),
  ];
  return `<ul class="method-list">${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
}
