import type { Finding } from '../findings/finding.js';
import type { BackendRun, NodeTime, ProviderName, RunResult } from './types.js';

/**
 * ONNX Runtime inlines an If branch whose condition is constant, naming its nodes
 * "<If>_then_branch__Inline_<n>__<original name>": the original name is what findings know.
 */
const INLINED = /__Inline_\d+__(.+)$/;

interface Reference {
  provider: ProviderName;
  totalMs: number;
  byName: Map<string, number>;
  byOp: Map<string, { ms: number; share: number }>;
  nodes: NodeTime[];
}

/** The profiled backend the shares are taken from: cpu when it ran (the reference), else the first. */
function reference(run: RunResult): Reference | undefined {
  const profiled = run.backends.filter((b): b is BackendRun & { nodeTimes: NodeTime[] } => b.status === 'ok' && !!b.nodeTimes && !!b.opTypeShares);
  const b = profiled.find((x) => x.provider === 'cpu') ?? profiled[0];
  if (!b || !b.profiledNodeMs) return undefined;
  const byName = new Map<string, number>();
  const add = (name: string, ms: number) => byName.set(name, (byName.get(name) ?? 0) + ms);
  for (const n of b.nodeTimes) {
    add(n.name, n.ms);
    const inlined = INLINED.exec(n.name)?.[1];
    if (inlined) add(inlined, n.ms);
  }
  const byOp = new Map(b.opTypeShares!.map((s) => [opKey(s.opType, s.domain), { ms: s.ms, share: s.share }]));
  return { provider: b.provider, totalMs: b.profiledNodeMs, byName, byOp, nodes: b.nodeTimes };
}

function opKey(opType: string, domain: string | undefined): string {
  return `${domain === undefined || domain === '' ? 'ai.onnx' : domain}\u0000${opType}`;
}

/** Whether every node of the finding is listed (findings list at most MAX_NODE_REFS). */
function fullyListed(f: Finding): boolean {
  return f.nodes.length >= f.nodeCount;
}

function round(share: number): number {
  return Math.round(share * 1e6) / 1e6;
}

/**
 * Each finding gets `timeShare`: the share of the reference run's node time spent in its nodes.
 * Nodes are matched by name when the finding lists them all; when it lists only the first few,
 * by its op type and domain (a finding about more nodes than it lists is about an op type). A
 * finding that matches nothing timed (a dtype finding about many nodes, a node folded away) gets
 * none. Returns new findings; the input is not changed.
 */
export function attachTimeShares(findings: Finding[], run: RunResult): Finding[] {
  const ref = reference(run);
  if (!ref) return findings.map((f) => ({ ...f }));
  return findings.map((f) => {
    const share = shareOf(f, ref);
    return share === undefined ? { ...f } : { ...f, timeShare: share };
  });
}

function shareOf(f: Finding, ref: Reference): number | undefined {
  if (f.nodeCount === 0) return undefined;
  if (fullyListed(f)) {
    let ms = 0;
    let matched = 0;
    for (const n of f.nodes) {
      const t = ref.byName.get(n.name);
      if (t !== undefined) {
        ms += t;
        matched++;
      }
    }
    if (matched > 0) return round(ms / ref.totalMs);
  }
  const keys = timedOpKeys(f, ref);
  if (keys.length > 0) return round(keys.reduce((sum, k) => sum + ref.byOp.get(k)!.share, 0));
  return undefined;
}

/**
 * The timed op types a finding is about: its `op` when that is an op type, else the op types its
 * `ops` argument lists (a quantization scheme or a software feature spans several op types:
 * ["ConvInteger", "MatMulInteger"]), in the finding's domain or any.
 */
function timedOpKeys(f: Finding, ref: Reference): string[] {
  if (f.op && ref.byOp.has(opKey(f.op, f.domain))) return [opKey(f.op, f.domain)];
  const listed = Array.isArray(f.args.ops) ? f.args.ops : [];
  if (listed.length === 0) return [];
  const wanted = new Set(listed);
  return [...ref.byOp.keys()].filter((k) => {
    const [domain, opType] = k.split('\u0000') as [string, string];
    return wanted.has(opType) && (f.domain === undefined || f.domain === domain);
  });
}

export interface BlockerTime {
  /** Share of the reference run's node time spent in nodes that error findings concern, 0..1. */
  share: number;
  provider: ProviderName;
  /** Error findings that matched timed nodes. */
  findings: number;
}

/**
 * What share of the reference run's time the blockers (error findings) account for, each node
 * counted once however many findings name it. Undefined when there was no profiled run.
 */
export function blockerTimeShare(findings: Finding[], run: RunResult): BlockerTime | undefined {
  const ref = reference(run);
  if (!ref) return undefined;
  const names = new Set<string>();
  const ops = new Set<string>();
  let matchedFindings = 0;
  for (const f of findings) {
    if (f.severity !== 'error' || f.nodeCount === 0) continue;
    const byName = fullyListed(f) ? f.nodes.filter((n) => ref.byName.has(n.name)) : [];
    if (byName.length > 0) {
      for (const n of byName) names.add(n.name);
      matchedFindings++;
    } else {
      const keys = timedOpKeys(f, ref);
      for (const k of keys) ops.add(k);
      if (keys.length > 0) matchedFindings++;
    }
  }
  let ms = 0;
  for (const key of ops) ms += ref.byOp.get(key)!.ms;
  for (const name of names) {
    // A node whose whole op type is counted already is not counted again.
    const node = ref.nodes.find((n) => n.name === name || INLINED.exec(n.name)?.[1] === name);
    if (node && ops.has(opKey(node.opType, node.domain))) continue;
    ms += ref.byName.get(name)!;
  }
  return { share: round(Math.min(1, ms / ref.totalMs)), provider: ref.provider, findings: matchedFindings };
}
