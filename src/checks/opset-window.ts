import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { toolchainOf } from '../assess/op-args.js';

type Code = 'opset-too-new' | 'opset-too-old';

export default defineCheck({
  id: 'opset-window',
  summary: 'the model\'s opset against the target\'s window (ATC matches `domain::opset::Op` exactly; standard ops end at opset 18)',
  description:
    'The opset the model imports for each domain its nodes use, against the target\'s supported window: one finding per domain, not per op. ' +
    'Where the compiler matches domain::opset::Op exactly (ATC), an opset past the window fails nearly every op.',
  messages: {
    'opset-too-new': {
      text: 'The model imports {domain} opset {opset}; the target supports opsets {min}-{max}[: {exactMatcher} matches domain::opset::Op exactly]',
      severity: 'error',
      level: 'unsupported',
      description: 'The model\'s opset is newer than any the target\'s compiler knows; a range-matching runtime may still run ops whose kernels did not change.',
      remedy: 'Re-export the model at opset {max} or lower.',
      effort: 'low',
    },
    'opset-too-old': {
      text: 'The model imports {domain} opset {opset}; the target supports opsets {min}-{max}',
      severity: 'error',
      level: 'unsupported',
      description: 'The model\'s opset is older than the oldest the target\'s compiler takes.',
      remedy: 'Re-export the model at opset {min} or newer (onnx.version_converter can convert it).',
      effort: 'low',
    },
  },
  run({ model, facts, profile }) {
    const out: RawFinding<Code>[] = [];
    const { window, matching, remedy, source } = profile.opsets;
    // Exporters import domains no node uses (ai.onnx.ml, com.microsoft.nchwc...): only used ones matter.
    const used = new Set(facts.ops.map((op) => op.domain));
    for (const [domain, opset] of Object.entries(model.opsetImports).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const w = Object.hasOwn(window, domain) ? window[domain] : undefined;
      if (!used.has(domain)) continue;
      if (!w || (opset >= w.min && opset <= w.max)) continue;
      const tooNew = opset > w.max;
      // A range-matching runtime may still run ops whose kernels did not change; an exact matcher cannot.
      const level = tooNew && matching === 'range' ? 'unknown' : 'unsupported';
      out.push({
        code: tooNew ? 'opset-too-new' : 'opset-too-old',
        level,
        ...(level === 'unknown' && { severity: 'warning' as const }),
        domain,
        opset,
        args: { domain, opset, min: w.min, max: w.max, ...(matching === 'exact' && { exactMatcher: toolchainOf(profile) }) },
        remedy,
        source,
      });
    }
    return out;
  },
});
