import type { ModelIR } from '../onnx/ir.js';
import { printable } from '../printable.js';
import { defineCheck } from '../assess/define-check.js';

type Code = 'decoder-warnings';

/**
 * What the decoder noticed but could read past: negative dims, a raw_data length that does not
 * match the dims, unknown element types, names cut at the length limit, an IR version outside
 * 3-12. Each makes the verdicts less certain, and ONNX Runtime may refuse the file outright.
 */
export default defineCheck({
  id: 'decode-warnings',
  summary: 'oddities the decoder read past (negative dims, tensor sizes that disagree with their dims, unknown element types, cut names): verdicts on damaged data are uncertain',
  description:
    'Oddities the decoder read past (negative dims, tensor sizes that disagree with their dims, unknown element types, ' +
    'names cut at the length limit, an IR version outside 3-12): the file is readable, but ONNX Runtime may refuse it and ' +
    'the verdicts rest on damaged data. One finding per model.',
  messages: {
    'decoder-warnings': {
      text: 'The file has {count:count(oddity,oddities)} the decoder read past: {warnings:list(3,count)}',
      severity: 'warning',
      level: 'unknown',
      remedy: 'Re-export the model, or run onnx.checker.check_model(model, full_check=True) to see which tensors or nodes are damaged.',
      effort: 'low',
      description: 'The model decoded with warnings; verdicts about the affected tensors and nodes are uncertain.',
    },
  },
  run({ model }) {
    const warnings = [...model.warnings, ...absurdTensors(model)];
    if (warnings.length === 0) return [];
    return [{
      code: 'decoder-warnings',
      args: { count: warnings.length, warnings: warnings.slice(0, 3).map((w) => printable(w, 160)) },
      source: [],
      nodeCount: 0,
    }];
  },
});

/**
 * Weights whose declared dims multiply past what any file or device could hold (2^60 × 2^60): the
 * size checks count them as nothing, so they are said here rather than read as "fits".
 */
function absurdTensors(model: ModelIR): string[] {
  const out: string[] = [];
  for (const g of model.graphs) {
    for (const t of [...g.initializers, ...g.sparseInitializers]) {
      if (!Number.isSafeInteger(t.elementCount)) out.push(`tensor ${t.name} declares dims [${t.dims.join(', ')}]: more elements than can exist`);
    }
  }
  return out;
}
