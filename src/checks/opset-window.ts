import { toolchainOf } from './op-finding.js';
import { defineCheck, formatMessage, type RawFinding } from './define-check.js';

type Code = 'opset-too-new' | 'opset-too-old';

/** What an opset past the window means, by how the target matches ops to kernels. */
const MATCHING_NOTES = {
  exact: '{compiler} matches domain::opset::Op exactly, and its {domain} ops end at opset {max}',
  range: 'ops whose kernels changed after opset {max} may not run',
};

export default defineCheck({
  id: 'opset-window',
  description:
    'The opset the model imports for each domain its nodes use, against the target\'s supported window: one finding per domain, not per op. ' +
    'Where the compiler matches domain::opset::Op exactly (ATC), an opset past the window fails nearly every op.',
  messages: {
    'opset-too-new': {
      text: 'The model imports {domain} opset {opset}; {target} supports opsets {min}-{max}: {why}',
      severity: 'error',
      description: 'The model\'s opset is newer than any the target\'s compiler knows.',
    },
    'opset-too-old': {
      text: 'The model imports {domain} opset {opset}; {target} supports opsets {min}-{max}',
      severity: 'error',
      description: 'The model\'s opset is older than the oldest the target\'s compiler takes.',
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
      const args: Record<string, string | number> = {
        domain, opset, min: w.min, max: w.max, target: profile.name, compiler: toolchainOf(profile),
      };
      args.why = formatMessage(MATCHING_NOTES[matching], args);
      // A range-matching runtime may still run ops whose kernels did not change; an exact matcher cannot.
      const level = tooNew && matching === 'range' ? 'unknown' : 'unsupported';
      out.push({
        code: tooNew ? 'opset-too-new' : 'opset-too-old',
        level,
        ...(level === 'unknown' && { severity: 'warning' as const }),
        domain,
        opset,
        args,
        remedy,
        effort: 'low',
        source,
      });
    }
    return out;
  },
});
