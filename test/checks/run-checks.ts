/** Runs every check on a small model against a built-in target, the way `port-check` does. */
import { expect, it } from 'vitest';
import { opCoverage } from '../../src/assess/op-coverage.js';
import { runChecks } from '../../src/checks/index.js';
import { analyseModel, targetMemory } from '../../src/estimate/index.js';
import type { Finding } from '../../src/findings/finding.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import type { ModelIR } from '../../src/onnx/ir.js';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import type { Profile, SupportLevel } from '../../src/profiles/schema.js';
import { roundTrip } from './models.js';

export const TARGETS = ['h20', 'ascend-910b', 'ascend-910c'] as const;
export type TargetId = (typeof TARGETS)[number];
export const ASCEND = ['ascend-910b', 'ascend-910c'] as const;

const profiles = new Map<string, Profile>();
export function profile(id: TargetId): Profile {
  let p = profiles.get(id);
  if (!p) profiles.set(id, (p = loadBuiltinProfile(id)));
  return p;
}

function asModel(model: ModelSpec | ModelIR): ModelIR {
  return 'graphs' in model ? model : roundTrip(model);
}

export function check(model: ModelSpec | ModelIR, target: TargetId): Finding[] {
  const ir = asModel(model);
  // The memory one inference needs, as check() computes it for memory-fit.
  const memory = targetMemory(ir, analyseModel(ir), profile(target));
  return runChecks(ir, inspectModel(ir), profile(target), { memory });
}

export function coverage(model: ModelSpec | ModelIR, target: TargetId): Record<SupportLevel, number> {
  const ir = asModel(model);
  return opCoverage(ir, inspectModel(ir), profile(target));
}

/** The findings of one rule, as "code level severity" lines plus the findings themselves. */
export function ofRule(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

export function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule}/${f.code} ${f.severity} ${f.level}`);
}

export function errors(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

export interface RuleCase {
  name: string;
  model: ModelSpec;
  /** Per target: the rule's findings as "code level" strings, in report order. */
  expect: Record<TargetId, string[]>;
}

/** One test per (case, target): what the rule reports, as "code level". */
export function ruleTable(rule: string, cases: RuleCase[]): void {
  for (const c of cases) {
    for (const target of TARGETS) {
      it(`${c.name} → ${target}: ${c.expect[target].join(', ') || 'nothing'}`, () => {
        expect(ofRule(check(c.model, target), rule).map((f) => `${f.code} ${f.level}`)).toEqual(c.expect[target]);
      });
    }
  }
}

/** The same expectation on every target. */
export function everywhere(findings: string[]): Record<TargetId, string[]> {
  return { h20: findings, 'ascend-910b': findings, 'ascend-910c': findings };
}

/** One expectation for h20, another for both Ascend targets. */
export function gpuVsAscend(h20: string[], ascend: string[]): Record<TargetId, string[]> {
  return { h20, 'ascend-910b': ascend, 'ascend-910c': ascend };
}
