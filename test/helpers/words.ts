/** A finding's words as a user reads them: rendered from the rule registry, as every formatter does. */
import type { Finding } from '../../src/findings/finding.js';
import { messageOf, remedyOf } from '../../src/findings/render.js';
import { RULES } from '../../src/rules.js';

export function message(f: Finding): string {
  return messageOf(f, RULES);
}

export function remedy(f: Finding): string {
  return remedyOf(f, RULES);
}
