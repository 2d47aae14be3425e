import { externalPartsOf, type ModelIR } from '../onnx/ir.js';
import { defineCheck, perModel, type RawFinding } from '../assess/define-check.js';

type Code = 'unreadable-external-data';

const REMEDY =
  'Keep the external data files in the model\'s folder, referenced by a relative path without "..", and complete; ' +
  're-save with onnx.save_model(model, path, save_as_external_data=True, location="weights.bin").';

export default defineCheck({
  id: 'external-data',
  summary: 'external weights whose location is absolute, has `..`, leaves the folder through a link, is missing or too short: refused, never read',
  description:
    'Tensors whose external data cannot be used: a location that is absolute, contains "..", leaves the model\'s folder through a link, ' +
    'is missing, or is shorter than offset + length. Such references are refused and never read; ONNX Runtime would fail on them too. ' +
    'One finding per distinct problem, naming the tensors.',
  messages: {
    'unreadable-external-data': {
      text: '{count:count(tensor)} ({names:list(5,count)}) cannot be loaded: {problem}; refused, never read',
      severity: 'error',
      level: 'unsupported',
      remedy: REMEDY,
      effort: 'low',
      description: 'An external data reference is unsafe or broken, so the weights it names cannot be loaded.',
    },
  },
  run({ model }) {
    const out: RawFinding<Code>[] = [];
    for (const [problem, names] of problemsOf(model)) {
      out.push({
        code: 'unreadable-external-data',
        op: 'external-data',
        args: { count: names.count, names: names.examples, problem },
        source: [],
        nodeCount: 0,
      });
    }
    return out;
  },
});

/** Tensors (initializers and tensor attributes) grouped by their external-data problem, in model order. */
const problemsOf = perModel((model: ModelIR): Map<string, { count: number; examples: string[] }> => {
  const byProblem = new Map<string, { count: number; examples: string[] }>();
  const note = (name: string, problem: string | undefined): void => {
    if (problem === undefined) return;
    let entry = byProblem.get(problem);
    if (!entry) byProblem.set(problem, (entry = { count: 0, examples: [] }));
    entry.count += 1;
    if (entry.examples.length < 5) entry.examples.push(name);
  };
  for (const graph of model.graphs) {
    for (const t of graph.initializers) note(t.name, t.external?.problem);
    for (const t of graph.sparseInitializers) for (const { ref } of externalPartsOf(t)) note(t.name, ref.problem);
    for (const node of graph.nodes) {
      for (const a of node.attributes) for (const t of a.tensors ?? []) note(t.name || node.name, t.external?.problem);
    }
  }
  return byProblem;
});
