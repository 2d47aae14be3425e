import { RULES as CHECK_RULES } from './checks/index.js';
import { PRECISION_RULE } from './precision/findings.js';
import { LOAD_RULE } from './report/load-error.js';
import type { RuleDoc } from './report/rule-doc.js';
import { RUN_RULE } from './runtime/run-findings.js';

/**
 * Every rule a report can carry: the static checks, what a real run adds, and a model that could
 * not be read (among several). SARIF's rules[],
 * `port-check rules` and the README's rule table all come from this one list.
 */
export const RULES: RuleDoc[] = [...CHECK_RULES, RUN_RULE, PRECISION_RULE, LOAD_RULE];
