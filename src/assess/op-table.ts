import type { ModelFacts } from '../inspect/facts.js';
import type { Profile, SupportLevel } from '../profiles/schema.js';
import { ownerOf, verdictForOp } from './op-owner.js';
import type { OpVerdict } from './op-verdict.js';

/** Where an op type runs on a target; 'unknown' where the evidence does not say. */
export type OpEngine = NonNullable<Profile['ops']['entries'][number]['engine']> | 'unknown';

/** How each engine reads in every view and message: the words msit and ONNX Runtime use for them. */
export const ENGINE_WORDS: Record<OpEngine, string> = {
  aicore: 'AI Core',
  aicpu: 'AI CPU',
  decomposed: 'AI Core (subgraph)',
  ge: 'GE built-in',
  host: 'host',
  cuda: 'CUDA',
  tensorrt: 'TensorRT',
  'cpu-fallback': 'CPU fallback',
  'ort-builtin': 'ORT built-in',
  none: 'none',
  unknown: 'unknown',
};

/**
 * One row per op type of the model, supported ones included: what `msit analyze` lists after a
 * real ATC compile (CANN op type, engine, supported or not), from the profile's evidence alone.
 */
export interface OpTableRow {
  op: string;
  domain: string;
  opset?: number;
  nodeCount: number;
  level: SupportLevel;
  engine: OpEngine;
  /** What the op becomes on the target: the CANN op type(s), or the ORT kernel. */
  targetOp?: string;
  /**
   * Element types the target's kernel is listed for (from the SoC's AI Core definitions, or ORT's
   * type constraints); absent where no list is known. Where 910B and 910C differ, it shows here.
   */
  dtypes?: string[];
  /** The profile entry or policy the verdict rests on, and the source keys it cites. */
  evidence: { key: string; sources: string[] };
}

/**
 * The op table of one target: every (domain, op type) of the model in facts order, with the same
 * verdict every per-op check uses (verdictForOp). Calls to model-local functions have no row; the
 * ops of their bodies do.
 */
export function opTable(facts: ModelFacts, profile: Profile): OpTableRow[] {
  // The fallback-islands check and the report both need it: computed once per model and target.
  let byProfile = memo.get(facts);
  if (!byProfile) memo.set(facts, (byProfile = new WeakMap()));
  let rows = byProfile.get(profile);
  if (!rows) byProfile.set(profile, (rows = buildTable(facts, profile)));
  return rows;
}

const memo = new WeakMap<ModelFacts, WeakMap<Profile, OpTableRow[]>>();

function buildTable(facts: ModelFacts, profile: Profile): OpTableRow[] {
  const rows: OpTableRow[] = [];
  for (const op of facts.ops) {
    const verdict = verdictForOp(profile, op, facts);
    if (!verdict) continue;
    const engine = engineOf(verdict, profile, ownerOf(op, facts));
    const targetOp = verdict.basis === 'entry' ? verdict.entry?.mapsTo ?? kernelName(engine, op.opType) : undefined;
    rows.push({
      op: op.opType,
      domain: op.domain,
      ...(op.opset !== undefined && { opset: op.opset }),
      nodeCount: op.nodeCount,
      level: verdict.level,
      engine,
      ...(targetOp !== undefined && { targetOp }),
      ...(verdict.basis === 'entry' && verdict.entry?.dtypes && { dtypes: [...verdict.entry.dtypes] }),
      evidence: { key: evidenceKey(verdict, op.opType, op.domain, op.opset, ownerOf(op, facts)), sources: verdict.source },
    });
  }
  return rows;
}

/** An unsupported op runs nowhere; otherwise the entry's engine, else the domain policy's. */
function engineOf(verdict: OpVerdict, profile: Profile, owner: ReturnType<typeof ownerOf>): OpEngine {
  if (verdict.level === 'unsupported') return 'none';
  if (verdict.basis === 'entry' && verdict.entry?.engine) return verdict.entry.engine;
  if (verdict.basis === 'domain-policy') {
    const policy = owner === 'contrib-ops' ? profile.domains['com.microsoft'] : owner === 'tensorrt-plugins' ? profile.domains.tensorrt : profile.domains.custom;
    if (policy.engine) return policy.engine;
  }
  return 'unknown';
}

/** ORT names its kernels after the op: on the CUDA EP or the CPU provider the kernel is the op. */
function kernelName(engine: OpEngine, opType: string): string | undefined {
  return engine === 'cuda' || engine === 'cpu-fallback' ? opType : undefined;
}

/** The profile key the verdict was read from: "ops.entries Upsample@11-16", "ops.unlisted", "domains.custom". */
function evidenceKey(verdict: OpVerdict, opType: string, domain: string, opset: number | undefined, owner: ReturnType<typeof ownerOf>): string {
  const range = (e: OpVerdict['entry']): string => (e?.since === undefined ? '' : e.until === undefined ? `@${e.since}+` : `@${e.since}-${e.until}`);
  const qualified = domain === 'ai.onnx' ? opType : `${domain}::${opType}`;
  switch (verdict.basis) {
    case 'entry':
      return `ops.entries ${qualified}${range(verdict.entry)}`;
    case 'opset-out-of-range':
      return `ops.entries ${qualified} (none at opset ${opset ?? '?'})`;
    case 'unlisted':
      return 'ops.unlisted';
    case 'domain-policy':
      return owner === 'contrib-ops' ? 'domains.com.microsoft' : owner === 'tensorrt-plugins' ? 'domains.tensorrt' : 'domains.custom';
    case 'limit':
      return owner === 'control-flow' ? 'limits.controlFlow' : 'limits.quantization';
  }
}
