import type { EffortClass, Finding, FindingArgs, NodeRef, Severity, SupportLevel } from './finding.js';
import { MAX_NODE_REFS } from './finding.js';

/** One message code of a rule: its words (templates, see render.ts), severity, level and effort. */
export interface MessageDef {
  /**
   * The message, with {placeholders} filled from the finding's args: `{op}`, `{nodeCount:count(node)}`
   * ("3 nodes"), `{size:bytes}`, `{share:percent}`, `{value:number}`, `{names:list(3,nameCount)}`.
   * `[...]` is an optional part, left out when a value inside it is missing.
   */
  text: string;
  severity: Severity;
  /** The level a finding of this code has, unless the finding gives its own (codes that follow the target's verdict). */
  level?: SupportLevel;
  /** One sentence: what the code means (docs, SARIF help, `port-check rules`). */
  description: string;
  /** What to do, a template over the same args; a profile's own remedy for the case wins over it. */
  remedy: string;
  effort: EffortClass;
}

/** A rule: one definition of everything a report, SARIF and the docs say about its findings. */
export interface RuleDef<Code extends string = string> {
  /** Stable id: config ignores, baselines and SARIF name it. */
  id: string;
  /** What it finds, in one line (Markdown): the README's rule table and `port-check rules`. */
  summary: string;
  /** What the rule looks at, in a sentence or three. */
  description: string;
  /** Where its findings come from: a static check, a real run, or the precision emulation. */
  stage: 'check' | 'run' | 'precision';
  messages: Record<Code, MessageDef>;
}

/** What a finding says beyond its rule and code; defaults come from the code's MessageDef. */
export interface FindingInput {
  args: FindingArgs;
  level?: SupportLevel;
  severity?: Severity;
  op?: string;
  domain?: string;
  opset?: number;
  nodes?: readonly NodeRef[];
  /** Defaults to the number of nodes given. */
  nodeCount?: number;
  /** The profile's remedy for this case, if it has one; else the code's template applies. */
  remedy?: string;
  effort?: EffortClass;
  /** Sources, already resolved to text (see describeSources). */
  source: string[];
}

export interface Rule<Code extends string = string> extends RuleDef<Code> {
  /** A finding of this rule: the one way every stage makes one. */
  finding(code: Code, input: FindingInput): Finding;
}

const LEVEL_OF_SEVERITY: Record<Severity, SupportLevel> = { error: 'unsupported', warning: 'degraded', info: 'supported' };

export function defineRule<Code extends string>(def: RuleDef<Code>): Rule<Code> {
  return {
    ...def,
    finding(code, input) {
      const spec = def.messages[code];
      const nodes = input.nodes ?? [];
      const severity = input.severity ?? spec.severity;
      return {
        rule: def.id,
        code,
        severity,
        level: input.level ?? spec.level ?? LEVEL_OF_SEVERITY[severity],
        ...(input.op !== undefined && { op: input.op }),
        ...(input.domain !== undefined && { domain: input.domain }),
        ...(input.opset !== undefined && { opset: input.opset }),
        nodeCount: input.nodeCount ?? nodes.length,
        nodes: nodes.slice(0, MAX_NODE_REFS),
        args: input.args,
        ...(input.remedy !== undefined && { remedy: input.remedy }),
        effort: input.effort ?? spec.effort,
        source: input.source,
      };
    },
  };
}
