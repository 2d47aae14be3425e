/**
 * Writes what the rule definitions document: the README's rule table. Run after changing a rule:
 * `npm run build && node dist/scripts/write-rule-docs.js` (test/rule-docs.test.ts fails while the
 * committed files are stale; `--check` only says whether they are current).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withRuleTable } from '../src/report/rule-docs.js';
import { RULES } from '../src/rules.js';

// dist/scripts/ -> the repository root.
const root = new URL('../../', import.meta.url);
const check = process.argv.includes('--check');
const stale: string[] = [];

const readmeUrl = new URL('README.md', root);
const readme = readFileSync(readmeUrl, 'utf8');
const fresh = withRuleTable(readme, RULES);
if (fresh !== readme) {
  stale.push('README.md');
  if (!check) writeFileSync(readmeUrl, fresh);
}

if (check) {
  process.stdout.write(stale.length > 0 ? `stale: ${stale.join(', ')}\n` : 'rule docs are current\n');
  process.exitCode = stale.length > 0 ? 1 : 0;
} else {
  process.stdout.write(stale.length > 0 ? `wrote ${stale.map((s) => fileURLToPath(new URL(s, root))).join(', ')}\n` : 'rule docs are current\n');
}
