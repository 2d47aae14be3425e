import type { ModelFacts } from '../inspect/facts.js';
import { defineCheck, type RawFinding } from './define-check.js';
import { listNames, plural } from './format-values.js';
import { severityFor } from './op-verdict.js';

type Code = 'dynamic-inputs';

export default defineCheck({
  id: 'dynamic-shapes',
  description:
    'Model inputs with symbolic or unknown dims, against the target\'s dynamic-shape limit: compilers such as ATC want fixed shapes ' +
    'or a set of gears (--input_shape, --dynamic_batch_size, --dynamic_dims). One finding per model, naming the inputs and dims.',
  messages: {
    'dynamic-inputs': {
      text: 'Model inputs with dynamic dims: {shapes}; on {target}: {reason}',
      severity: 'warning',
      description: 'Inputs whose shape is not fixed; severity follows the target\'s dynamic-shape verdict.',
    },
  },
  run({ facts, profile }) {
    const limit = profile.limits.dynamicShapes;
    if (facts.dynamicInputs.length === 0 || limit.level === 'supported') return [];
    const symbolic = [...new Set(facts.dynamicInputs.flatMap((i) => i.symbolic))];
    const finding: RawFinding<Code> = {
      code: 'dynamic-inputs',
      level: limit.level,
      severity: severityFor(limit.level),
      args: {
        inputs: plural(facts.dynamicInputs.length, 'input'),
        names: listNames(facts.dynamicInputs.map((i) => i.name)),
        shapes: listNames(facts.dynamicInputs.map(describeShape)),
        symbols: symbolic.length > 0 ? listNames(symbolic) : 'none',
        target: profile.name,
        reason: REASONS[limit.level],
      },
      remedy: limit.remedy,
      effort: 'low',
      source: limit.source,
      nodeCount: 0,
    };
    return [finding];
  },
});

const REASONS = {
  unsupported: 'shapes must be fixed at compile time',
  degraded: 'dynamic shapes compile, but run slower than fixed ones or need gears chosen ahead',
  unknown: 'no evidence how it handles dynamic shapes',
  supported: 'dynamic shapes are supported',
} as const;

/** "input_ids[batch, seq]", "mask[?, 128]", "x[unknown rank]". */
function describeShape(input: ModelFacts['dynamicInputs'][number]): string {
  if (input.unknownRank) return `${input.name}[unknown rank]`;
  return `${input.name}[${input.dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
