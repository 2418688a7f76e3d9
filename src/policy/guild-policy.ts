import type { Config } from '../config.js';
import type { GenerationDefaults } from '../generation/request.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import type { SettingsStore } from '../store/settings-store.js';
import {
  type EffectivePolicy,
  EMPTY_POLICY,
  type GuildPolicy,
  parsePolicy,
  serializePolicy,
  toEffectivePolicy,
  toServerDefaults,
} from './policy.js';

/** A server's stored policy (the empty policy outside servers or when none was saved). */
export function loadGuildPolicy(settings: SettingsStore, guildId: string | null): GuildPolicy {
  if (guildId === null) return { ...EMPTY_POLICY, defaults: {} };
  return parsePolicy(settings.getPolicyJson(guildId));
}

/** Reads, changes and saves a server's policy in one go; returns the saved policy. */
export function updateGuildPolicy(
  settings: SettingsStore,
  guildId: string,
  change: (policy: GuildPolicy) => GuildPolicy,
): GuildPolicy {
  const next = change(loadGuildPolicy(settings, guildId));
  settings.setPolicyJson(guildId, serializePolicy(next));
  return next;
}

export function effectivePolicy(
  config: Config,
  settings: SettingsStore,
  guildId: string | null,
): EffectivePolicy {
  return toEffectivePolicy(loadGuildPolicy(settings, guildId), config.policy);
}

/** The /imagine defaults in force in a server: the configuration overlaid with the server's own. */
export function serverDefaults(
  deps: { config: Config; settings: SettingsStore },
  guildId: string | null,
): GenerationDefaults {
  return toServerDefaults(
    deps.config.defaults,
    loadGuildPolicy(deps.settings, guildId),
    deps.config.limits.maxPixels,
  );
}

/**
 * The language for messages tied to no one member (audit channel posts, channel fallback posts):
 * the server's `/settings policy locale`, else English. Outside a server: English.
 */
export function serverLocale(deps: { settings: SettingsStore }, guildId: string | null): Locale {
  return loadGuildPolicy(deps.settings, guildId).locale ?? DEFAULT_LOCALE;
}
