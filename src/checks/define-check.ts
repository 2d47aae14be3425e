import type { ModelIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import type { ModelFacts } from '../inspect/facts.js';
import type { MemoryEstimate } from '../estimate/memory.js';
import type { EffortClass, Finding, NodeRef, Severity, SupportLevel } from './finding.js';

export interface CheckContext {
  model: ModelIR;
  facts: ModelFacts;
  profile: Profile;
  /** The memory one inference needs on the target (estimate/memory targetMemory), when computed. */
  memory?: MemoryEstimate;
}

/** What a check returns for one finding: the message id and its args; defineCheck does the wording. */
export interface RawFinding<Code extends string> {
  code: Code;
  args: Record<string, string | number>;
  level: SupportLevel;
  /** Overrides the code's default severity. */
  severity?: Severity;
  op?: string;
  domain?: string;
  opset?: number;
  nodes?: NodeRef[];
  nodeCount?: number;
  remedy: string;
  effort: EffortClass;
  /** Profile source keys. */
  source: string[];
}

export interface MessageSpec {
  /** Template with {name} placeholders filled from the finding's args. */
  text: string;
  severity: Severity;
  /** One sentence for docs and SARIF help. */
  description: string;
}

export interface CheckDefinition<Code extends string> {
  id: string;
  description: string;
  messages: Record<Code, MessageSpec>;
  run(ctx: CheckContext): RawFinding<Code>[];
}

export interface Check {
  id: string;
  description: string;
  messages: Record<string, MessageSpec>;
  run(ctx: CheckContext): Finding[];
}

/** Fills a {placeholder} template; unknown placeholders stay as written so a typo shows. */
export function formatMessage(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in args ? String(args[key]) : whole,
  );
}

/** Resolves profile source keys to one line each: "title (upstream; file)". */
export function describeSources(profile: Profile, keys: string[]): string[] {
  return keys.map((key) => {
    const s = profile.sources[key];
    if (!s) return key;
    const where = [s.upstream, s.file].filter(Boolean).join('; ');
    return where ? `${s.title} (${where})` : s.title;
  });
}

export function defineCheck<Code extends string>(def: CheckDefinition<Code>): Check {
  return {
    id: def.id,
    description: def.description,
    messages: def.messages,
    run(ctx) {
      return def.run(ctx).map((raw): Finding => {
        const spec = def.messages[raw.code];
        const nodes = raw.nodes ?? [];
        return {
          rule: def.id,
          code: raw.code,
          severity: raw.severity ?? spec.severity,
          level: raw.level,
          ...(raw.op !== undefined && { op: raw.op }),
          ...(raw.domain !== undefined && { domain: raw.domain }),
          ...(raw.opset !== undefined && { opset: raw.opset }),
          nodeCount: raw.nodeCount ?? nodes.length,
          nodes: nodes.slice(0, 20),
          message: formatMessage(spec.text, raw.args),
          remedy: raw.remedy,
          effort: raw.effort,
          source: describeSources(ctx.profile, raw.source),
          args: raw.args,
        };
      });
    },
  };
}

/**
 * Memoises a computation that depends on the model alone, not the target: checks run once per
 * target, and model-only work (graph integrity, external data) should not be done three times.
 */
export function perModel<T>(compute: (model: ModelIR) => T): (model: ModelIR) => T {
  const cache = new WeakMap<ModelIR, T>();
  return (model) => {
    if (!cache.has(model)) cache.set(model, compute(model));
    return cache.get(model)!;
  };
}
