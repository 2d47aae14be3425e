/**
 * What a formatter knows about a rule: its id, description and message codes. The check registry
 * (`RULES` in src/checks/index.ts) has this shape; formatters take it as data so that they stay
 * pure functions and do not import the checks.
 */
export interface RuleDoc {
  id: string;
  description: string;
  messages: Record<string, RuleMessageDoc>;
}

export interface RuleMessageDoc {
  /** The message template, with {placeholders}. */
  text: string;
  severity: string;
  /** One sentence for docs and SARIF help. */
  description: string;
}


/**
 * The repository the package is published from (package.json `repository` and `homepage` say the
 * same): the docs pages below live there, so links work from any copy of a report.
 */
export const REPOSITORY_URL = 'https://github.com/port-check/port-check';
/** The branch the published docs are read from. */
const DOCS_REF = 'main';

/**
 * The page that documents a rule: `docs/rules/<id>.md` in the repository. SARIF's `helpUri`, the
 * HTML appendix and the rule-core docs generator all take the URL from here. A code after a slash
 * (`op-support/unsupported-op`) is an anchor on the rule's page.
 */
export function ruleDocsUrl(ruleId: string): string {
  const [rule, code] = ruleId.split('/', 2);
  const slug = (s: string) => encodeURIComponent(s.toLowerCase());
  return `${REPOSITORY_URL}/blob/${DOCS_REF}/docs/rules/${slug(rule ?? '')}.md${code ? `#${slug(code)}` : ''}`;
}
