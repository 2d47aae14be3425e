/**
 * The repository the package is published from (package.json `repository` and `homepage` say the
 * same): the rule pages below live there, so links work from any copy of a report.
 */
export const REPOSITORY_URL = 'https://github.com/port-check/port-check';
/** The branch the published docs are read from. */
const DOCS_REF = 'main';

/**
 * The page that documents a rule: `docs/rules/<id>.md` in the repository. SARIF's `helpUri` takes
 * the URL from here, as do the README's rule table and `port-check rules`. A code after a slash
 * (`op-support/unsupported-op`) is an anchor on the rule's page.
 */
export function ruleDocsUrl(ruleId: string): string {
  const [rule, code] = ruleId.split('/', 2);
  const slug = (s: string) => encodeURIComponent(s.toLowerCase());
  return `${REPOSITORY_URL}/blob/${DOCS_REF}/docs/rules/${slug(rule ?? '')}.md${code ? `#${slug(code)}` : ''}`;
}

/** Where a rule's page sits in the repository and the package (`port-check rules <id>` reads it there). */
export function ruleDocsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}
