/**
 * The pure checks and changes behind /settings, one module per subcommand (features and styles are
 * in `feature-changes.ts`), gathered here for one import.
 */
export { addBlockedTerm, removeBlockedTerm } from './blocked-term-changes.js';
export { type Change, unknownModel } from './change.js';
export {
  DEFAULTS_RESETS,
  type DefaultsContext,
  type DefaultsInput,
  type DefaultsOutcome,
  type DefaultsReset,
  planDefaultsChange,
} from './defaults-changes.js';
export { LOCALE_NAMES } from './locale-names.js';
export {
  describeNsfwMode,
  POLICY_CLEARS,
  type PolicyClear,
  type PolicyInput,
  planPolicyChange,
} from './policy-changes.js';
