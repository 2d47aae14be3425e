import type { ProfilePrecisionFamily, SupportLevel } from '../../src/profiles/schema.js';
import { cannDtypeFamilies } from './families.js';
import type { Knowledge } from './knowledge.js';

/**
 * Where a parsed ONNX op would run on an Ascend SoC, judged from the CANN op types its parser emits.
 * The open-source op lists are incomplete, so only positive evidence moves the verdict:
 * - an AI Core definition for this SoC → 'aicore', with its dtypes;
 * - only PartitionedCall → 'decomposed' (ATC expands the op into a subgraph);
 * - an AI CPU kernel and no open-source AI Core definition for any SoC → 'aicpu', degraded;
 * - anything else → engine left unset (a closed-source TBE kernel may well exist).
 */
export interface EngineVerdict {
  level: SupportLevel;
  engine?: 'aicore' | 'aicpu' | 'decomposed';
  dtypes?: ProfilePrecisionFamily[];
  notes: string[];
  sources: string[];
  remedy?: string;
}

const SUBGRAPH = 'PartitionedCall';

/**
 * Ops whose AI CPU kernel is not a slowness verdict: a Reshape or Identity relabels a buffer and
 * GE normally emits no compute for it, so flagging every Reshape as "slow" would bury real findings.
 */
const BUFFER_ONLY_OPS = new Set(['Reshape', 'Identity']);

export class CannEngineIndex {
  private readonly dtypesBySoc = new Map<string, Map<string, string[]>>();
  private readonly socsByOp = new Map<string, Set<string>>();

  constructor(private readonly k: Knowledge) {
    for (const def of k.aicore) {
      if (def.soc === '') continue;
      let ops = this.dtypesBySoc.get(def.soc);
      if (!ops) this.dtypesBySoc.set(def.soc, (ops = new Map()));
      ops.set(def.cannOp, [...(ops.get(def.cannOp) ?? []), ...def.dtypes]);
      let socs = this.socsByOp.get(def.cannOp);
      if (!socs) this.socsByOp.set(def.cannOp, (socs = new Set()));
      socs.add(def.soc);
    }
  }

  /** True when some AI Core definition for this SoC lists a dtype of the family. */
  socHasFamily(soc: string, family: ProfilePrecisionFamily): boolean {
    for (const dtypes of this.dtypesBySoc.get(soc)?.values() ?? []) {
      if (cannDtypeFamilies(dtypes).includes(family)) return true;
    }
    return false;
  }

  /** AI Core op names for this SoC whose definitions list a dtype of the family, sorted. */
  socOpsWithFamily(soc: string, family: ProfilePrecisionFamily): string[] {
    const out: string[] = [];
    for (const [op, dtypes] of this.dtypesBySoc.get(soc) ?? []) {
      if (cannDtypeFamilies(dtypes).includes(family)) out.push(op);
    }
    return out.sort();
  }

  verdict(cannOps: readonly string[], soc: string): EngineVerdict {
    const concrete = cannOps.filter((op) => op !== SUBGRAPH);
    const hasSubgraph = concrete.length < cannOps.length;
    const notes: string[] = [];
    if (concrete.length === 0) notes.push('ATC expands it into a subgraph of CANN ops (PartitionedCall)');
    else if (hasSubgraph) notes.push(`ATC emits ${concrete.join(' or ')} or a subgraph of CANN ops (PartitionedCall), depending on opset and attributes`);

    const socDtypes = this.dtypesBySoc.get(soc);
    const onSoc = concrete.filter((op) => socDtypes?.has(op));
    if (onSoc.length > 0) {
      return {
        level: 'supported',
        engine: 'aicore',
        dtypes: cannDtypeFamilies(onSoc.flatMap((op) => socDtypes!.get(op)!)),
        notes,
        sources: ['cann-aicore'],
      };
    }
    if (concrete.length === 0) return { level: 'supported', engine: 'decomposed', notes, sources: [] };

    const sources: string[] = [];
    const aicpuOnly = concrete.filter((op) => this.k.aicpu.has(op) && !this.socsByOp.has(op));
    const slow = aicpuOnly.filter((op) => !BUFFER_ONLY_OPS.has(op));
    if (slow.length > 0 && !hasSubgraph) {
      return {
        level: 'degraded',
        engine: 'aicpu',
        notes: [...notes, `only an AI CPU kernel is open-sourced for ${slow.join(', ')}: it runs on the NPU's ARM cores, far slower than AI Core (the closed CANN package may still hold an AI Core kernel)`],
        sources: ['cann-aicpu'],
        remedy: 'keep it off the hot path, or express it with ops that have AI Core kernels',
      };
    }
    for (const op of aicpuOnly) {
      sources.push('cann-aicpu');
      notes.push(BUFFER_ONLY_OPS.has(op)
        ? `only an AI CPU kernel is open-sourced for ${op}, but a ${op} only relabels a buffer, so it is not counted as slow`
        : `an AI CPU kernel exists for ${op}`);
    }
    for (const op of concrete) {
      const socs = this.socsByOp.get(op);
      if (socs) {
        sources.push('cann-aicore');
        notes.push(`open-source AI Core definitions of ${op} list only ${[...socs].sort().join(', ')}; the ${soc} kernel may be in the closed CANN package`);
      }
    }
    return { level: 'supported', notes, sources: [...new Set(sources)] };
  }
}
