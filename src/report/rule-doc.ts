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

