/** port-check.config.yaml: finding, validating and applying it. */
export { CONFIG_FILE_NAMES, MAX_CONFIG_BYTES, findConfigFile, loadConfigFile, parseConfigText, resolveConfig, type PortCheckConfig } from './load-config.js';
export { CONFIG_FORMATS, configSchema, type ConfigData, type IgnoreRule, type ModelInputs } from './schema.js';
export { applyIgnores, type IgnoreOptions, type IgnoreResult } from './apply-ignores.js';
export { inputsFor, type ResolvedInputs } from './inputs-for.js';
export { compileGlob, matchesGlob, MAX_GLOB_CHARS, type GlobMatcher } from './glob.js';
