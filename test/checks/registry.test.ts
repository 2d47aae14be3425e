import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { RULES } from '../../src/rules.js';

const CHECKS_DIR = new URL('../../src/checks/', import.meta.url);

/** Files that define a check: those whose default export is a defineCheck(...) call. */
function checkFiles(): string[] {
  return readdirSync(CHECKS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => /export default defineCheck\(/.test(readFileSync(new URL(f, CHECKS_DIR), 'utf8')))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

describe('check registry', () => {
  it('lists exactly the checks defined in src/checks/, each in a file named after its id', () => {
    expect(CHECKS.map((c) => c.id).sort()).toEqual(checkFiles());
  });

  it('has unique kebab-case ids', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('documents every rule and message code in RULES', () => {
    expect(RULES.map((r) => r.id)).toEqual([...CHECKS.map((c) => c.id), 'run', 'precision-emulation']);
    for (const rule of RULES) {
      expect(rule.description.length, rule.id).toBeGreaterThan(40);
      const codes = Object.entries(rule.messages);
      expect(codes.length, rule.id).toBeGreaterThan(0);
      for (const [code, spec] of codes) {
        expect(code, `${rule.id}/${code}`).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        expect(spec.description.length, `${rule.id}/${code}`).toBeGreaterThan(20);
        expect(spec.text, `${rule.id}/${code}`).toMatch(/\{\w+(:[\w(),]+)?\}/);
        expect(spec.remedy.length, `${rule.id}/${code} remedy`).toBeGreaterThan(10);
        expect(['error', 'warning', 'info']).toContain(spec.severity);
        expect(['none', 'low', 'medium', 'high']).toContain(spec.effort);
      }
    }
  });
});
