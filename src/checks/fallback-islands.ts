import { defineCheck, type RawFinding } from './define-check.js';
import { listNames, plural } from './format-values.js';
import { opTable } from './op-table.js';
import { HOST_ENGINES, partitionGraph } from './partition-graph.js';

type Code = 'fallback-island' | 'many-fallback-islands';

/**
 * From this many host-side islands on, the crossings are a performance problem of their own: each
 * is a copy (or an engine switch) and a synchronisation that a single fallback op does not make.
 */
export const MANY_ISLANDS = 3;

export default defineCheck({
  id: 'fallback-islands',
  description:
    'The partitions a target cuts the main graph into: runs of ops on the accelerator (AI Core; the CUDA EP) and the host-side islands ' +
    'between them (AI CPU; ORT\'s CPU provider), as ONNX Runtime\'s usability checker reports them. Every tensor crossing between the ' +
    'two is a copy and a synchronisation; many small islands cost more than the ops in them. The report\'s op table gives the bytes ' +
    '(observed with --run, inferred otherwise) and the estimate adds their transfer time on the host link.',
  messages: {
    'fallback-island': {
      text: '{target} cuts the graph into {partitions} partitions: {islands} on {host} ({ops}) between {device} ones, {crossings} crossing per inference',
      severity: 'info',
      description: 'Some ops run on the host side of the target, so tensors cross between partitions on every inference.',
    },
    'many-fallback-islands': {
      text: '{target} cuts the graph into {partitions} partitions: {islands} on {host} ({ops}) between {device} ones, {crossings} crossing per inference',
      severity: 'warning',
      description: 'Many host-side islands: each crossing is a copy and a synchronisation, which can cost more than the ops themselves.',
    },
  },
  run({ model, facts, profile }) {
    const table = opTable(facts, profile);
    const parts = partitionGraph(model, facts, profile, table);
    if (parts.hostIslands === 0) return [];
    const ops = [...new Set(parts.islands.flatMap((i) => i.ops))].sort();
    const hostRows = table.filter((r) => ops.includes(r.op) && HOST_ENGINES.has(r.engine));
    const many = parts.hostIslands >= MANY_ISLANDS;
    const finding: RawFinding<Code> = {
      code: many ? 'many-fallback-islands' : 'fallback-island',
      level: 'degraded',
      nodeCount: parts.islands.reduce((n, i) => n + i.nodes, 0),
      args: {
        target: profile.name,
        partitions: parts.partitions,
        islands: plural(parts.hostIslands, 'island'),
        host: parts.host,
        device: parts.device,
        ops: listNames(ops),
        crossings: plural(parts.crossings, 'tensor'),
      },
      remedy: many
        ? `Move the ${parts.host} ops out of the hot path (host pre- or post-processing) or replace them with ${parts.device} ops, so that the graph stays in one partition.`
        : `Check the ${parts.host} ops' share of the run time (port-check --run); replace them with ${parts.device} ops where it matters.`,
      effort: many ? 'medium' : 'low',
      source: [...new Set(hostRows.flatMap((r) => r.evidence.sources))],
    };
    return [finding];
  },
});
