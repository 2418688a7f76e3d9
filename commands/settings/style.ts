import type { SlashCommandSubcommandBuilder } from 'discord.js';
import { localizeCommand, localizeOption } from '../../src/discord/intake/localized.js';
import { planStyleChange } from '../../src/policy/feature-changes.js';
import { serializePolicy } from '../../src/policy/policy.js';
import { lines, reply, type SettingsContext, unwrap } from './context.js';

/** `/settings style`: a style for /imagine, for image servers without styles of their own. */
export function styleSubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return localizeCommand(
    sub
      .setName('style')
      .setDescription('Define a style for /imagine (for image servers without styles)')
      .addStringOption((option) =>
        localizeOption(
          option.setName('name').setDescription('The style’s name').setRequired(true).setMaxLength(100),
          'commands.settings.style.name',
        ),
      )
      .addStringOption((option) =>
        localizeOption(
          option
            .setName('prompt')
            .setDescription('Added to the prompt; {prompt} stands for it')
            .setMaxLength(1000),
          'commands.settings.style.prompt',
        ),
      )
      .addStringOption((option) =>
        localizeOption(
          option.setName('negative_prompt').setDescription('Added to the negative prompt').setMaxLength(1000),
          'commands.settings.style.negativePrompt',
        ),
      )
      .addBooleanOption((option) =>
        localizeOption(
          option.setName('remove').setDescription('Remove this style'),
          'commands.settings.style.remove',
        ),
      ),
    'commands.settings.style',
  );
}

export async function changeStyle({ interaction, deps, guildId, locale, current }: SettingsContext) {
  const options = interaction.options;
  const change = unwrap(
    planStyleChange(
      current,
      {
        name: options.getString('name', true),
        prompt: options.getString('prompt') ?? undefined,
        negativePrompt: options.getString('negative_prompt') ?? undefined,
        remove: options.getBoolean('remove') ?? undefined,
      },
      deps.config.limits.maxPromptLength,
    ),
    locale,
  );
  deps.settings.setPolicyJson(guildId, serializePolicy(change.value));
  deps.log.info({ guildId, userId: interaction.user.id }, 'server styles changed');
  await reply(interaction, lines(change.summary, locale));
}
