/**
 * The rule core: what a finding is, how a rule is defined (defineRule), how its words are
 * rendered (formatMessage, messageOf, remedyOf) and the one order, level ranking and value
 * formats every stage and formatter shares. It imports nothing from a later stage.
 */
export * from './finding.js';
export * from './levels.js';
export * from './order.js';
export * from './format-values.js';
export * from './rule.js';
export * from './render.js';
export * from './sources.js';
