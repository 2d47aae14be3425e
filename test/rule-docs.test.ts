import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withRuleTable } from '../src/report/rule-docs.js';
import { RULES } from '../src/rules.js';

describe('rule docs generated from the definitions', () => {
  it('the README rule table is current (node dist/scripts/write-rule-docs.js rewrites it)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withRuleTable(readme, RULES)).toBe(readme);
  });

  it('lists every rule in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const r of RULES) expect(readme).toMatch(new RegExp(`^\\| \`${r.id}\` \\|`, 'm'));
  });
});
