import type { SlashCommandSubcommandBuilder } from 'discord.js';
import { localizeCommand } from '../../src/discord/intake/localized.js';
import { renderSettingsView } from '../../src/discord/views/settings-view.js';
import { effectivePolicy, serverDefaults } from '../../src/policy/guild-policy.js';
import { reply, type SettingsContext } from './context.js';

/** `/settings view`: the defaults and policies in force. */
export function viewSubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return localizeCommand(
    sub.setName('view').setDescription('Show the defaults and policies in force'),
    'commands.settings.view',
  );
}

export async function showSettings({ interaction, deps, guildId, locale, current }: SettingsContext) {
  const embed = renderSettingsView(
    {
      stored: current,
      effective: effectivePolicy(deps.config, deps.settings, guildId),
      defaults: serverDefaults(deps, guildId),
      defaultModel: deps.settings.get(guildId).defaultModel,
    },
    locale,
  );
  await reply(interaction, '', [embed]);
}
