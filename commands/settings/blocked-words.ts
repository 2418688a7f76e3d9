import type { SlashCommandSubcommandGroupBuilder } from 'discord.js';
import { localizeCommand, localizeOption } from '../../src/discord/intake/localized.js';
import { renderBlockedList } from '../../src/discord/views/settings-view.js';
import { updateGuildPolicy } from '../../src/policy/guild-policy.js';
import { addBlockedTerm, removeBlockedTerm } from '../../src/policy/settings-changes.js';
import { lines, reply, type SettingsContext, unwrap } from './context.js';

/** `/settings blocked-words add|remove|list`: words and /patterns/ refused in prompts. */
export function blockedWordsGroup(
  group: SlashCommandSubcommandGroupBuilder,
): SlashCommandSubcommandGroupBuilder {
  return localizeCommand(
    group
      .setName('blocked-words')
      .setDescription('Words and /patterns/ refused in prompts')
      .addSubcommand((sub) =>
        localizeCommand(
          sub
            .setName('add')
            .setDescription('Block a word, a phrase or a /regex/')
            .addStringOption((option) =>
              localizeOption(
                option
                  .setName('term')
                  .setDescription('Word, phrase or /regex/')
                  .setRequired(true)
                  .setMaxLength(100),
                'commands.settings.blockedWords.add.term',
              ),
            ),
          'commands.settings.blockedWords.add',
        ),
      )
      .addSubcommand((sub) =>
        localizeCommand(
          sub
            .setName('remove')
            .setDescription('Unblock a term')
            .addStringOption((option) =>
              localizeOption(
                option.setName('term').setDescription('As listed').setRequired(true).setMaxLength(100),
                'commands.settings.blockedWords.remove.term',
              ),
            ),
          'commands.settings.blockedWords.remove',
        ),
      )
      .addSubcommand((sub) =>
        localizeCommand(
          sub.setName('list').setDescription('List the blocked terms'),
          'commands.settings.blockedWords.list',
        ),
      ),
    'commands.settings.blockedWords',
  );
}

export async function changeBlockedWords({ interaction, deps, guildId, locale, current }: SettingsContext) {
  const sub = interaction.options.getSubcommand(true);
  if (sub === 'list') return void (await reply(interaction, renderBlockedList(current.blockedTerms, locale)));
  const term = interaction.options.getString('term', true);
  const change = unwrap(
    sub === 'add' ? addBlockedTerm(current, term) : removeBlockedTerm(current, term),
    locale,
  );
  updateGuildPolicy(deps.settings, guildId, () => change.value);
  deps.log.info({ guildId, userId: interaction.user.id, action: sub }, 'blocked terms changed');
  await reply(interaction, lines(change.summary, locale));
}
