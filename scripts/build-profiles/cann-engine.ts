import type { ProfilePrecisionFamily, SupportLevel } from '../../src/profiles/schema.js';
import { cannDtypeFamilies } from './families.js';
import type { Knowledge } from './knowledge.js';

/**
 * Where a parsed ONNX op would run on an Ascend SoC, judged first from the engine its parser plugin
 * declares (ImplyType, cann_onnx_imply_types.tsv), then from the CANN op types it emits. The
 * open-source op lists are incomplete, so only positive evidence moves the verdict:
 * - ImplyType::AI_CPU → 'aicpu', degraded (the NPU's ARM cores, and a copy each way);
 * - ImplyType::GELOCAL → 'ge' (GE handles it itself: shape and relabelling ops);
 * - an AI Core definition for this SoC → 'aicore', with its dtypes;
 * - only PartitionedCall → 'decomposed' (ATC expands the op into a subgraph);
 * - ImplyType::TVM without an open-source definition for this SoC → 'aicore', dtypes unknown
 *   (the kernel is in the closed CANN package; 910B and 910C differ most here);
 * - no ImplyType known, an AI CPU kernel and no open-source AI Core definition for any SoC → 'aicpu';
 * - anything else → engine left unset.
 */
export interface EngineVerdict {
  level: SupportLevel;
  engine?: 'aicore' | 'aicpu' | 'decomposed' | 'ge';
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

  /** `implied`: the engines the op's parser plugins declare (aicore, aicpu, ge-local, custom); empty when none is known. */
  verdict(cannOps: readonly string[], soc: string, implied: ReadonlySet<string> = new Set()): EngineVerdict {
    const declaresAiCore = implied.has('aicore') || implied.has('custom');
    if (!declaresAiCore && implied.has('aicpu')) {
      return {
        level: 'degraded',
        engine: 'aicpu',
        notes: [`CANN's ONNX parser plugin registers it with ImplyType::AI_CPU: ATC places ${cannOps.join(' | ')} on AI CPU (the NPU's ARM control cores), far slower than AI Core, with a copy to and from the AI Core partitions around it`],
        sources: ['cann-imply-types'],
        remedy: 'keep it off the hot path (move it to host pre- or post-processing), or express it with ops that have AI Core kernels',
      };
    }
    if (!declaresAiCore && implied.has('ge-local')) {
      return {
        level: 'supported',
        engine: 'ge',
        notes: ['GE handles it itself (ImplyType::GELOCAL): shape bookkeeping, no device kernel'],
        sources: ['cann-imply-types'],
      };
    }
    const imply = declaresAiCore ? ['cann-imply-types'] : [];
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
        sources: ['cann-aicore', ...imply],
      };
    }
    if (concrete.length === 0) return { level: 'supported', engine: 'decomposed', notes, sources: imply };

    const sources: string[] = [];
    const aicpuOnly = concrete.filter((op) => this.k.aicpu.has(op) && !this.socsByOp.has(op));
    const slow = aicpuOnly.filter((op) => !BUFFER_ONLY_OPS.has(op));
    if (slow.length > 0 && !hasSubgraph && !declaresAiCore) {
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
    if (declaresAiCore) {
      notes.unshift(`the parser plugin declares an AI Core kernel (ImplyType::TVM), not open-sourced for ${soc}: its dtypes are not known`);
      return { level: 'supported', engine: hasSubgraph && concrete.length === 0 ? 'decomposed' : 'aicore', notes, sources: [...new Set([...sources, ...imply])] };
    }
    return { level: 'supported', notes, sources: [...new Set(sources)] };
  }
}
