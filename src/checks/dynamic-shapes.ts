import { defineCheck } from '../assess/define-check.js';
import { severityFor } from '../findings/levels.js';
import type { ModelFacts } from '../inspect/facts.js';

export default defineCheck({
  id: 'dynamic-shapes',
  summary: 'symbolic input dims: ATC wants fixed shapes or gears',
  description:
    'Model inputs with symbolic or unknown dims, against the target\'s dynamic-shape limit: compilers such as ATC want fixed shapes ' +
    'or a set of gears (--input_shape, --dynamic_batch_size, --dynamic_dims). One finding per model, naming the inputs and dims.',
  messages: {
    'dynamic-inputs': {
      text: 'Model inputs with dynamic dims: {shapes}; dynamic shapes are {level} here',
      severity: 'warning',
      description: 'Inputs whose shape is not fixed; severity follows the target\'s dynamic-shape verdict.',
      remedy: 'Pin the input shapes at conversion, or declare the gears the model will see.',
      effort: 'low',
    },
  },
  run({ facts, profile }) {
    const limit = profile.limits.dynamicShapes;
    if (facts.dynamicInputs.length === 0 || limit.level === 'supported') return [];
    const symbolic = [...new Set(facts.dynamicInputs.flatMap((i) => i.symbolic))];
    return [{
      code: 'dynamic-inputs',
      level: limit.level,
      severity: severityFor(limit.level),
      args: {
        inputCount: facts.dynamicInputs.length,
        names: facts.dynamicInputs.map((i) => i.name),
        shapes: facts.dynamicInputs.map(describeShape),
        symbols: symbolic,
        level: limit.level,
      },
      remedy: limit.remedy,
      source: limit.source,
      nodeCount: 0,
    }];
  },
});

/** "input_ids[batch, seq]", "mask[?, 128]", "x[?]" (unknown rank): a shape in the notation of a shape. */
function describeShape(input: ModelFacts['dynamicInputs'][number]): string {
  if (input.unknownRank) return `${input.name}[?]`;
  return `${input.name}[${input.dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
