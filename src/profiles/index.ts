/** Target profiles: the schema, and loading built-in or user profiles by id or file. */
export {
  loadProfileFile,
  parseProfileText,
  loadBuiltinProfile,
  builtinProfileIds,
  builtinProfilesDir,
  resolveTargets,
  describeTargets,
  MAX_PROFILE_BYTES,
} from './load.js';
export { profileSchema } from './schema.js';
export type { Profile, OpSupport, SupportLevel, EffortClass, ProfilePrecisionFamily } from './schema.js';
/** A target's precision policy, resolved in the one place that reads it (see precision-policy.ts). */
export { resolvePolicy, type TargetPrecision } from './precision-policy.js';
