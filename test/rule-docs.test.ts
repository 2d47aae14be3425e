import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROSE_SECTIONS, proseOf, rulePage, withRuleTable } from '../src/report/rule-docs.js';
import { ruleDocsPath, ruleDocsUrl } from '../src/report/rule-docs-url.js';
import { RULES } from '../src/rules.js';
import { runCli } from './cli/run-cli.js';

describe('rule docs generated from the definitions (node dist/scripts/write-rule-docs.js rewrites them)', () => {
  it('the README rule table is current and links every rule to its page', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withRuleTable(readme, RULES)).toBe(readme);
    for (const r of RULES) expect(readme).toContain(`| [\`${r.id}\`](docs/rules/${r.id}.md) |`);
  });

  it('every rule has a page, and no page is left without its rule', () => {
    expect(readdirSync('docs/rules').sort()).toEqual(RULES.map((r) => `${r.id}.md`).sort());
  });

  it.each(RULES.map((r) => [r.id, r] as const))('the page of %s is current, with every code and the hand-written sections', (_id, rule) => {
    const path = ruleDocsPath(rule.id);
    expect(existsSync(path), path).toBe(true);
    const page = readFileSync(path, 'utf8');
    expect(rulePage(rule, proseOf(page))).toBe(page);
    for (const code of Object.keys(rule.messages)) expect(page).toContain(`### \`${code}\``);
    const prose = proseOf(page);
    for (const section of PROSE_SECTIONS) {
      const body = prose.split(`## ${section}\n`)[1]?.split('\n## ')[0]?.trim() ?? '';
      expect(body.length, `${rule.id}: ${section}`).toBeGreaterThan(40);
      expect(body, `${rule.id}: ${section}`).not.toMatch(/^TODO$/);
    }
  });

  it('ruleDocsUrl points at the page, a code at its heading', () => {
    expect(ruleDocsUrl('op-support')).toMatch(/\/docs\/rules\/op-support\.md$/);
    expect(ruleDocsUrl('op-support/unsupported-op')).toMatch(/\/docs\/rules\/op-support\.md#unsupported-op$/);
  });
});

describe('port-check rules', () => {
  it('lists every rule and code', async () => {
    const r = await runCli(['rules']);
    expect(r.code).toBe(0);
    for (const rule of RULES) for (const code of Object.keys(rule.messages)) expect(r.stdout).toContain(`${rule.id}/${code} (`);
  });

  it('with an id (any case), prints the rule\'s page', async () => {
    const r = await runCli(['rules', 'Control-Flow']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync('docs/rules/control-flow.md', 'utf8'));
  });

  it('a mistyped id: exit 2 with the likely one', async () => {
    const r = await runCli(['rules', 'op-suport']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("port-check: unknown rule 'op-suport': did you mean 'op-support'? (port-check rules lists them)\n");
  });
});
