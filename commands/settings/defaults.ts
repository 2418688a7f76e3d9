import { MessageFlags, type SlashCommandSubcommandBuilder } from 'discord.js';
import { localizeCommand, localizedChoices, localizeOption } from '../../src/discord/intake/localized.js';
import { serializePolicy } from '../../src/policy/policy.js';
import {
  DEFAULTS_RESETS,
  type DefaultsReset,
  planDefaultsChange,
} from '../../src/policy/settings-changes.js';
import { answer, lines, type SettingsContext, unwrap } from './context.js';

/** `/settings defaults`: this server's /imagine defaults. */
export function defaultsSubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return localizeCommand(
    sub
      .setName('defaults')
      .setDescription('Change this server’s /imagine defaults')
      .addStringOption((option) =>
        localizeOption(
          option.setName('model').setDescription('Default checkpoint').setAutocomplete(true),
          'commands.settings.defaults.model',
        ),
      )
      .addStringOption((option) =>
        localizeOption(
          option.setName('negative_prompt').setDescription('Default negative prompt').setMaxLength(1000),
          'commands.settings.defaults.negativePrompt',
        ),
      )
      .addIntegerOption((option) =>
        localizeOption(
          option.setName('steps').setDescription('Default steps').setMinValue(1).setMaxValue(150),
          'commands.settings.defaults.steps',
        ),
      )
      .addIntegerOption((option) =>
        localizeOption(
          option
            .setName('width')
            .setDescription('Default width, a multiple of 8')
            .setMinValue(64)
            .setMaxValue(2048),
          'commands.settings.defaults.width',
        ),
      )
      .addIntegerOption((option) =>
        localizeOption(
          option
            .setName('height')
            .setDescription('Default height, a multiple of 8')
            .setMinValue(64)
            .setMaxValue(2048),
          'commands.settings.defaults.height',
        ),
      )
      .addStringOption((option) =>
        localizeOption(
          option.setName('sampler').setDescription('Default sampler').setAutocomplete(true),
          'commands.settings.defaults.sampler',
        ),
      )
      .addStringOption((option) =>
        localizeOption(
          option.setName('scheduler').setDescription('Default scheduler').setAutocomplete(true),
          'commands.settings.defaults.scheduler',
        ),
      )
      .addStringOption((option) =>
        localizeOption(
          option
            .setName('reset')
            .setDescription('Back to the bot’s default')
            .addChoices(...localizedChoices(DEFAULTS_RESETS, 'commands.settings.reset')),
          'commands.settings.defaults.reset',
        ),
      ),
    'commands.settings.defaults',
  );
}

/** The sampler and model are checked against the live lists, fetched only when needed. */
export async function changeDefaults({ interaction, deps, guildId, locale, current }: SettingsContext) {
  const options = interaction.options;
  const input = {
    model: options.getString('model') ?? undefined,
    negativePrompt: options.getString('negative_prompt') ?? undefined,
    steps: options.getInteger('steps') ?? undefined,
    width: options.getInteger('width') ?? undefined,
    height: options.getInteger('height') ?? undefined,
    sampler: options.getString('sampler') ?? undefined,
    scheduler: options.getString('scheduler') ?? undefined,
    reset: (options.getString('reset') ?? undefined) as DefaultsReset | undefined,
  };
  const needsSamplers = input.sampler !== undefined || input.scheduler !== undefined;
  if (needsSamplers || input.model !== undefined)
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const [samplers, schedulers, models] = await Promise.all([
    needsSamplers ? deps.catalog.get('samplers') : undefined,
    needsSamplers ? deps.catalog.get('schedulers') : undefined,
    input.model !== undefined ? deps.catalog.get('models') : undefined,
  ]);
  const change = unwrap(
    planDefaultsChange(current, input, {
      configured: deps.config.defaults,
      limits: deps.config.limits,
      lists: {
        ...(samplers === undefined ? {} : { samplers }),
        ...(schedulers === undefined ? {} : { schedulers }),
        ...(models === undefined ? {} : { models }),
      },
    }),
    locale,
  );
  deps.settings.setPolicyJson(guildId, serializePolicy(change.value.policy));
  if (change.value.model !== undefined)
    deps.settings.setDefaultModel(guildId, change.value.model ?? undefined);
  deps.log.info({ guildId, userId: interaction.user.id }, 'server defaults changed');
  await answer(interaction, lines(change.summary, locale));
}
