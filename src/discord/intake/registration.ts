import { createHash } from 'node:crypto';
import { type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody, Routes } from 'discord.js';
import type { Logger } from '../../log.js';
import type { SettingsStore } from '../../store/settings-store.js';

export interface RegistrationTarget {
  applicationId: string;
  guildId: string | undefined;
}

/** A fingerprint of the definitions and where they go; registration is skipped when it is unchanged. */
export function commandsFingerprint(
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
  target: RegistrationTarget,
): string {
  return createHash('sha256').update(JSON.stringify({ target, definitions })).digest('hex');
}

/**
 * Bulk-overwrites the commands into the guild (instant) or globally. Discord allows 200 creates a
 * day per guild, so an unchanged set is not sent again.
 */
export async function registerCommands(
  rest: REST,
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
  target: RegistrationTarget,
  settings: SettingsStore,
  log: Logger,
): Promise<'registered' | 'unchanged'> {
  const fingerprint = commandsFingerprint(definitions, target);
  const key = 'commands.fingerprint';
  if (settings.getValue(key) === fingerprint) {
    log.info({ guildId: target.guildId ?? 'global' }, 'commands unchanged; registration skipped');
    return 'unchanged';
  }
  const route =
    target.guildId === undefined
      ? Routes.applicationCommands(target.applicationId)
      : Routes.applicationGuildCommands(target.applicationId, target.guildId);
  await rest.put(route, { body: definitions });
  settings.setValue(key, fingerprint);
  log.info({ count: definitions.length, guildId: target.guildId ?? 'global' }, 'commands registered');
  return 'registered';
}
