import { describe, expect, it } from 'vitest';
import type { Finding, FindingArgs } from '../../src/findings/finding.js';
import { messageOf, remedyOf } from '../../src/findings/render.js';
import type { Rule } from '../../src/findings/rule.js';
import { FORMATTERS } from '../../src/report/index.js';
import type { Report } from '../../src/report/types.js';
import { RULES } from '../../src/rules.js';
import { TOOL, modelSummary, target } from './fixture.js';

const PLACEHOLDER = /\{(\w+)(?::(\w+)(?:\([^)]*\))?)?\}/g;

/** Args for every placeholder of a code's templates, of the kind its format asks for. */
function argsFor(rule: Rule, code: string): FindingArgs {
  const m = rule.messages[code]!;
  const args: FindingArgs = {};
  for (const [, key, format] of `${m.text} ${m.remedy}`.matchAll(PLACEHOLDER)) {
    if (format === 'percent') args[key!] = 0.42;
    else if (format === 'count' || format === 'bytes' || format === 'number') args[key!] = 3;
    else if (format === 'list') args[key!] = [`${key}-a`, `${key}-b`];
    else args[key!] = `${key}-value`;
  }
  return args;
}

const findings: Finding[] = RULES.flatMap((rule) =>
  Object.keys(rule.messages).map((code) => rule.finding(code, { args: argsFor(rule, code), op: `Op-${code}`, source: ['a source'] })));

const report: Report = {
  schemaVersion: 1,
  tool: { ...TOOL },
  model: modelSummary('models/every-code.onnx'),
  targets: [target('ascend-910b', 'Huawei Ascend 910B', findings, { supported: 1, degraded: 0, unsupported: 0, unknown: 0 })],
};

describe('every message code renders in every formatter', () => {
  it('renders each message and remedy with every placeholder filled', () => {
    for (const f of findings) {
      expect(messageOf(f, RULES), `${f.rule}/${f.code}`).not.toMatch(PLACEHOLDER);
      expect(remedyOf(f, RULES), `${f.rule}/${f.code}`).not.toMatch(PLACEHOLDER);
      expect(messageOf(f, RULES)).not.toMatch(/\[|\]/); // optional parts: brackets never show
    }
  });

  it.each(Object.keys(FORMATTERS))('%s', (name) => {
    const raw = FORMATTERS[name]!([report], { rules: RULES, verbose: true, toolVersion: '0.1.0' });
    // SARIF documents each code's template in rules[].help: look at the results only.
    const out = name === 'sarif' ? JSON.stringify((JSON.parse(raw) as { runs: { results: unknown }[] }).runs[0]!.results) : raw.replace(/\\(?=[-_.*[\]()#+!|`])/g, '');
    // GitHub annotates only the worst few (the job summary has the rest): it is held to the template check below.
    for (const f of name === 'github' ? [] : findings) {
      const id = name === 'text' ? f.rule : name === 'json' ? `"code": "${f.code}"` : `${f.rule}/${f.code}`;
      expect(out, `${name}: ${f.rule}/${f.code}`).toContain(id);
    }
    // No template reaches the output unrendered.
    for (const rule of RULES) for (const m of Object.values(rule.messages)) expect(out).not.toContain(m.text);
    expect(out).not.toMatch(/\{(op|nodeCount|names|reason|note)(:\w+(\([^)]*\))?)?\}/);
    if (name === 'json') {
      const json = JSON.parse(out) as { targets: { findings: { message: string }[] }[] };
      expect(json.targets[0]!.findings.map((f) => f.message).sort()).toEqual(findings.map((f) => messageOf(f, RULES)).sort());
    }
  });
});
