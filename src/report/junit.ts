import type { Finding } from '../findings/finding.js';
import { SEVERITY_RANK } from '../findings/levels.js';
import type { RuleDef } from '../findings/rule.js';
import { messageOf, remedyOf } from '../findings/render.js';
import { escapeXml as x } from './escape.js';
import type { FormatOptions } from './format-options.js';
import { repoRelativePath } from './model-path.js';
import type { Report, TargetReport } from './types.js';
import { nodeNames, opLabel, plural } from './wording.js';

const MAX_NODES_SHOWN = 10;

interface TestCase {
  name: string;
  findings: Finding[];
  suppressed: Finding[];
}

interface Outcome {
  xml: string;
  failed: boolean;
  skipped: boolean;
}

/**
 * JUnit XML as GitLab and Jenkins read it: a <testsuite> per (model, target) and a <testcase> per
 * op type (or per rule, for findings about no op), named uniquely within its suite. A test case
 * fails when one of its findings is at or above `failOn` (default error); lesser findings pass and
 * are listed in <system-out>; a case whose findings the baseline all suppressed is skipped. Every
 * case carries `file` (the model, relative to the repository root) and `time`: "0", since a check
 * times no op (the parsers expect the attribute; the run's timings are in the other formats).
 */
export function formatJunit(reports: Report[], options: FormatOptions): string {
  const failOn = options.failOn ?? 'error';
  const failRank = failOn === 'never' ? Number.POSITIVE_INFINITY : SEVERITY_RANK[failOn];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const report of reports) {
    const modelPath = repoRelativePath(report.model.path, options);
    for (const target of report.targets) {
      const cases = groupCases(target).map((c) => renderCase(c, target, modelPath, failRank, options.rules));
      const f = cases.filter((c) => c.failed).length;
      const s = cases.filter((c) => c.skipped).length;
      tests += cases.length;
      failures += f;
      skipped += s;
      suites.push(
        `  <testsuite name="${x(`${modelPath} on ${target.name}`)}" tests="${cases.length}" failures="${f}" errors="0" skipped="${s}" time="0" file="${x(modelPath)}">\n` +
          '    <properties>\n' +
          `      <property name="model" value="${x(modelPath)}"/>\n` +
          `      <property name="target" value="${x(target.id)}"/>\n` +
          `      <property name="verdict" value="${x(target.verdict)}"/>\n` +
          '    </properties>\n' +
          cases.map((c) => c.xml).join('') +
          '  </testsuite>\n',
      );
    }
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="port-check" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n` +
    suites.join('') +
    '</testsuites>\n'
  );
}

/** One case per op type, or per rule for findings without an op, in the report's finding order. */
function groupCases(target: TargetReport): TestCase[] {
  const cases = new Map<string, TestCase>();
  const caseFor = (f: Finding): TestCase => {
    const op = opLabel(f);
    const key = op ? `op\u0000${op}` : `rule\u0000${f.rule}`;
    let c = cases.get(key);
    if (!c) {
      c = { name: op || f.rule, findings: [], suppressed: [] };
      cases.set(key, c);
    }
    return c;
  };
  for (const f of target.findings) caseFor(f).findings.push(f);
  for (const f of target.suppressed ?? []) caseFor(f).suppressed.push(f);
  // A target with nothing to report still shows as one passing test, not an empty suite.
  if (cases.size === 0) return [{ name: 'no findings', findings: [], suppressed: [] }];
  return uniqueNames([...cases.values()]);
}

/**
 * Test-case names unique within a suite, as reporters key results by name: an op named like a
 * rule (or a dtype named like an op) gets what it is added ("Cast (op)", "Cast (rule)"), and any
 * name still repeated a number.
 */
function uniqueNames(cases: TestCase[]): TestCase[] {
  const count = new Map<string, number>();
  for (const c of cases) count.set(c.name, (count.get(c.name) ?? 0) + 1);
  const named = cases.map((c) => {
    if (count.get(c.name)! === 1) return c;
    const kind = c.findings[0]?.op ?? c.suppressed[0]?.op;
    return { ...c, name: `${c.name} (${kind !== undefined ? 'op' : 'rule'})` };
  });
  const used = new Map<string, number>();
  return named.map((c) => {
    const n = (used.get(c.name) ?? 0) + 1;
    used.set(c.name, n);
    return n === 1 ? c : { ...c, name: `${c.name} #${n}` };
  });
}

function describeFinding(f: Finding, rules: readonly RuleDef[]): string {
  const lines = [`${f.severity} ${f.rule}/${f.code} (${f.level}): ${messageOf(f, rules)}`];
  const { names, more } = nodeNames(f, MAX_NODES_SHOWN);
  if (names.length > 0) lines.push(`  nodes: ${names.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`);
  else if (f.nodeCount > 0) lines.push(`  ${plural(f.nodeCount, 'node')}`);
  const remedy = remedyOf(f, rules);
  if (remedy) lines.push(`  remedy: ${remedy} (effort: ${f.effort})`);
  for (const s of f.source) lines.push(`  source: ${s}`);
  return lines.join('\n');
}

function renderCase(c: TestCase, target: TargetReport, modelPath: string, failRank: number, rules: readonly RuleDef[]): Outcome {
  const describe = (f: Finding): string => describeFinding(f, rules);
  const classname = `${target.id}.${modelPath.replace(/[./\\]/g, '_')}`;
  const open = `    <testcase name="${x(c.name)}" classname="${x(classname)}" file="${x(modelPath)}" time="0"`;
  const failing = c.findings.filter((f) => SEVERITY_RANK[f.severity] >= failRank);
  const passing = c.findings.filter((f) => SEVERITY_RANK[f.severity] < failRank);
  const notes = [
    ...passing.map(describe),
    ...c.suppressed.map((f) => `suppressed by the baseline: ${describe(f)}`),
  ];
  const out = notes.length > 0 ? `      <system-out>${x(notes.join('\n'))}</system-out>\n` : '';
  if (failing.length > 0) {
    const first = failing[0]!;
    const more = failing.length > 1 ? ` (+${failing.length - 1} more)` : '';
    const body = failing.map(describe).join('\n');
    return {
      xml:
        `${open}>\n` +
        `      <failure message="${x(messageOf(first, rules) + more)}" type="${x(`${first.rule}/${first.code}`)}">${x(body)}</failure>\n` +
        out +
        '    </testcase>\n',
      failed: true,
      skipped: false,
    };
  }
  if (c.findings.length === 0 && c.suppressed.length > 0) {
    return {
      xml: `${open}>\n      <skipped message="suppressed by the baseline"/>\n${out}    </testcase>\n`,
      failed: false,
      skipped: true,
    };
  }
  return { xml: out ? `${open}>\n${out}    </testcase>\n` : `${open}/>\n`, failed: false, skipped: false };
}
