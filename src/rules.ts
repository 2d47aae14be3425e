import { CHECK_RULES } from './checks/index.js';
import type { Rule } from './findings/rule.js';
import { PRECISION_RULE } from './precision/findings.js';
import { RUN_RULE } from './runtime/run-findings.js';

/**
 * Every rule a report can carry: the static checks, then what a real run adds. The one registry:
 * `port-check rules`, SARIF's rules[], the docs pages and the README's rule table come from it,
 * and formatters render every message from it.
 */
export const RULES: readonly Rule[] = [...CHECK_RULES, RUN_RULE as unknown as Rule, PRECISION_RULE as unknown as Rule];
