import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { opArgs, opLocation } from '../assess/op-args.js';
import { verdictForOp } from '../assess/op-owner.js';
import { opNameMatches } from '../assess/software-features.js';
import { familyOf } from '../onnx/data-types.js';
import type { OpUse } from '../inspect/facts.js';
import type { Profile } from '../profiles/schema.js';

type Code = 'slow-op' | 'int64-index-math';

/** Ops whose int64 inputs or outputs are index or shape arithmetic. */
const INDEX_OPS: ReadonlySet<string> = new Set([
  'ArgMax', 'ArgMin', 'CumSum', 'Gather', 'GatherElements', 'GatherND', 'NonZero', 'OneHot', 'Range',
  'Scatter', 'ScatterElements', 'ScatterND', 'TopK', 'Unique',
]);

export default defineCheck({
  id: 'slow-ops',
  summary: 'ops that compile but run slowly (AI CPU, int64 index math); a slow-op entry that names dtypes (Where, Gather, TopK: int64) applies only where the op\'s tensors are known to use them',
  description:
    'Performance hazards the per-op verdict does not carry: ops the profile lists as slow (slowOps; an entry that names dtypes ' +
    'applies only where the op\'s tensors are known to use one of them, so a Where on float and bool is not int64 math), and int64 index math ' +
    '(Gather, ScatterND, NonZero, TopK, Range... on int64 tensors) where the target handles int64 at a cost. ' +
    'Ops that are unsupported or degraded already have their op-support (or owner check) finding, which names the engine, and are skipped.',
  messages: {
    'slow-op': {
      text: '{op} ({nodeCount:count(node)}) is slow: {reason}',
      severity: 'warning',
      level: 'degraded',
      description: 'The op compiles on the target but is known to run slowly.',
      remedy: 'Measure its share of the run time (port-check --run); where it matters, rewrite the subgraph around {op} or pin the shapes it depends on.',
      effort: 'low',
    },
    'int64-index-math': {
      text: '{op} ({nodeCount:count(node)}) does int64 index math, which the target handles at a cost[: {note}]',
      severity: 'info',
      level: 'degraded',
      description: 'An index or shape op on int64 tensors, on a target where int64 is slow or needs care.',
      remedy: 'Cast the indices to int32 where their range allows it (re-export, or rewrite the graph).',
      effort: 'low',
    },
  },
  run({ facts, profile, precision }) {
    const out: RawFinding<Code>[] = [];
    const int64 = precision.support.int64;
    for (const op of facts.ops) {
      const verdict = verdictForOp(profile, op, facts);
      if (!verdict || verdict.level === 'unsupported') continue;
      const slow = verdict.level === 'supported' ? slowEntry(profile, op) : undefined;
      if (slow) {
        out.push({ ...opLocation(op), code: 'slow-op', args: { ...opArgs(op, profile), reason: slow.reason }, source: slow.source });
      }
      const usesInt64 = op.dtypes.includes('INT64') || op.dtypes.includes('UINT64');
      // A slowOps entry already tells why the op is slow: one finding per op type.
      if (!slow && int64 && int64.level === 'degraded' && op.domain === 'ai.onnx' && INDEX_OPS.has(op.opType) && usesInt64) {
        out.push({
          ...opLocation(op), code: 'int64-index-math',
          args: { ...opArgs(op, profile), ...(int64.note !== undefined && { note: int64.note }) },
          ...(int64.remedy !== undefined && { remedy: int64.remedy }),
          source: int64.source,
        });
      }
    }
    return out;
  },
});

/** The op's slowOps entry, if the op matches it and uses one of the entry's dtypes (when it names any). */
function slowEntry(profile: Profile, op: OpUse): Profile['slowOps'][number] | undefined {
  const families = new Set<string>(op.dtypes.map(familyOf));
  return profile.slowOps.find((s) => opNameMatches(s.op, op) && (s.dtypes === undefined || s.dtypes.some((d) => families.has(d))));
}
