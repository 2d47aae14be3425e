import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { opTable } from '../assess/op-table.js';
import { HOST_ENGINES, partitionGraph } from '../assess/partition-graph.js';

type Code = 'fallback-island' | 'many-fallback-islands';

/**
 * From this many host-side islands on, the crossings are a performance problem of their own: each
 * is a copy (or an engine switch) and a synchronisation that a single fallback op does not make.
 */
export const MANY_ISLANDS = 3;

const TEXT = 'The graph is cut into {partitions:count(partition)}: {islands:count(island)} on {host} ({ops:list}) between {device} ones, {crossings:count(tensor)} crossing per inference';

export default defineCheck({
  id: 'fallback-islands',
  summary: 'the partitions a target cuts the graph into (AI Core ↔ AI CPU; CUDA ↔ ORT\'s CPU provider): host-side islands and tensor crossings; three islands or more is a warning',
  description:
    'The partitions a target cuts the main graph into: runs of ops on the accelerator (AI Core; the CUDA EP) and the host-side islands ' +
    'between them (AI CPU; ORT\'s CPU provider), as ONNX Runtime\'s usability checker reports them. Every tensor crossing between the ' +
    'two is a copy and a synchronisation; many small islands cost more than the ops in them. The report\'s op table gives the bytes ' +
    '(observed with --run, inferred otherwise) and the estimate adds their transfer time on the host link.',
  messages: {
    'fallback-island': {
      text: TEXT,
      severity: 'info',
      level: 'degraded',
      description: 'Some ops run on the host side of the target, so tensors cross between partitions on every inference.',
      remedy: 'Check the {host} ops\' share of the run time (port-check --run); replace them with {device} ops where it matters.',
      effort: 'low',
    },
    'many-fallback-islands': {
      text: TEXT,
      severity: 'warning',
      level: 'degraded',
      description: 'Many host-side islands: each crossing is a copy and a synchronisation, which can cost more than the ops themselves.',
      remedy: 'Move the {host} ops out of the hot path (host pre- or post-processing) or replace them with {device} ops, so that the graph stays in one partition.',
      effort: 'medium',
    },
  },
  run({ model, facts, profile, ops: given, partitions }) {
    const table = given ?? opTable(facts, profile);
    const parts = partitions ?? partitionGraph(model, facts, profile, table);
    if (parts.hostIslands === 0) return [];
    const ops = [...new Set(parts.islands.flatMap((i) => i.ops))].sort();
    const hostRows = table.filter((r) => ops.includes(r.op) && HOST_ENGINES.has(r.engine));
    const finding: RawFinding<Code> = {
      code: parts.hostIslands >= MANY_ISLANDS ? 'many-fallback-islands' : 'fallback-island',
      nodeCount: parts.islands.reduce((n, i) => n + i.nodes, 0),
      args: {
        partitions: parts.partitions,
        islands: parts.hostIslands,
        host: parts.host,
        device: parts.device,
        ops,
        crossings: parts.crossings,
      },
      source: [...new Set(hostRows.flatMap((r) => r.evidence.sources))],
    };
    return [finding];
  },
});
