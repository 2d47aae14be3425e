/**
 * Writes what the rule definitions document: a page per rule (docs/rules/<id>.md, keeping each
 * page's hand-written part) and the README's rule table. Run after changing a rule:
 * `npm run build && node dist/scripts/write-rule-docs.js` (test/rule-docs.test.ts fails while the
 * committed files are stale; `--check` only says whether they are current).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { proseOf, rulePage, withRuleTable } from '../src/report/rule-docs.js';
import { ruleDocsPath } from '../src/report/rule-docs-url.js';
import { RULES } from '../src/rules.js';

// dist/scripts/ -> the repository root.
const root = new URL('../../', import.meta.url);
const check = process.argv.includes('--check');
const stale: string[] = [];

function update(path: string, fresh: (old: string | undefined) => string): void {
  const url = new URL(path, root);
  const old = existsSync(url) ? readFileSync(url, 'utf8') : undefined;
  const text = fresh(old);
  if (text === old) return;
  stale.push(path);
  if (!check) writeFileSync(url, text);
}

mkdirSync(new URL('docs/rules/', root), { recursive: true });
for (const rule of RULES) update(ruleDocsPath(rule.id), (old) => rulePage(rule, proseOf(old)));
update('README.md', (old) => withRuleTable(old ?? '', RULES));

if (check) {
  process.stdout.write(stale.length > 0 ? `stale: ${stale.join(', ')}\n` : 'rule docs are current\n');
  process.exitCode = stale.length > 0 ? 1 : 0;
} else {
  process.stdout.write(stale.length > 0 ? `wrote ${stale.map((s) => fileURLToPath(new URL(s, root))).join(', ')}\n` : 'rule docs are current\n');
}
