import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/rules.js';

describe('every rule is documented', () => {
  const readme = readFileSync('README.md', 'utf8');

  it.each(RULES.map((r) => r.id))('README lists rule %s', (id) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${id}\` \\|`, 'm'));
  });

  it('every message code has a description and a severity', () => {
    for (const rule of RULES) {
      for (const [code, m] of Object.entries(rule.messages)) {
        expect(m.description.length, `${rule.id}/${code}`).toBeGreaterThan(10);
        expect(['error', 'warning', 'info']).toContain(m.severity);
      }
    }
  });
});
