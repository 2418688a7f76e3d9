import { MessageFlags, type SlashCommandSubcommandBuilder } from 'discord.js';
import { localizeCommand, localizeOption } from '../../src/discord/intake/localized.js';
import { MODEL_FAMILIES, type ModelFamily } from '../../src/models/family.js';
import { planFeaturesChange } from '../../src/policy/feature-changes.js';
import { FEATURE_NAMES, serializePolicy } from '../../src/policy/policy.js';
import { answer, lines, type SettingsContext, unwrap } from './context.js';

/** `/settings features`: which of LoRAs, styles, hires fix, ADetailer and variants members may use. */
export function featuresSubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return localizeCommand(
    addHiresDefaults(
      addFeatureLimits(
        sub
          .setName('features')
          .setDescription('Which of LoRAs, styles, hires fix, ADetailer and variants members may use'),
      ),
    )
      .addStringOption((option) =>
        localizeOption(
          option.setName('model').setDescription('A checkpoint whose family to set').setAutocomplete(true),
          'commands.settings.features.model',
        ),
      )
      .addStringOption((option) =>
        localizeOption(
          option
            .setName('family')
            .setDescription('That checkpoint’s family (auto: detect)')
            .addChoices(...['auto', ...MODEL_FAMILIES].map((value) => ({ name: value, value }))),
          'commands.settings.features.family',
        ),
      )
      .addBooleanOption((option) =>
        localizeOption(
          option.setName('reset').setDescription('Back to the bot’s defaults (styles are kept)'),
          'commands.settings.features.reset',
        ),
      ),
    'commands.settings.features',
  );
}

/** Each feature allowed or not, and the most of it a request may ask for. */
function addFeatureLimits(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .addBooleanOption((option) =>
      localizeOption(
        option.setName('allow_loras').setDescription('LoRAs in /imagine'),
        'commands.settings.features.allowLoras',
      ),
    )
    .addBooleanOption((option) =>
      localizeOption(
        option.setName('allow_styles').setDescription('Styles in /imagine'),
        'commands.settings.features.allowStyles',
      ),
    )
    .addBooleanOption((option) =>
      localizeOption(
        option.setName('allow_hires').setDescription('Hires fix in /imagine'),
        'commands.settings.features.allowHires',
      ),
    )
    .addBooleanOption((option) =>
      localizeOption(
        option.setName('allow_adetailer').setDescription('ADetailer in /imagine'),
        'commands.settings.features.allowAdetailer',
      ),
    )
    .addBooleanOption((option) =>
      localizeOption(
        option.setName('allow_variants').setDescription('{a|b} prompt variants in /imagine'),
        'commands.settings.features.allowVariants',
      ),
    )
    .addIntegerOption((option) =>
      localizeOption(
        option.setName('max_loras').setDescription('Most LoRAs per request').setMinValue(0).setMaxValue(10),
        'commands.settings.features.maxLoras',
      ),
    )
    .addNumberOption((option) =>
      localizeOption(
        option.setName('max_hires_scale').setDescription('Highest hires scale').setMinValue(1).setMaxValue(4),
        'commands.settings.features.maxHiresScale',
      ),
    );
}

/** What hires fix uses when a member names nothing. */
function addHiresDefaults(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .addStringOption((option) =>
      localizeOption(
        option.setName('hires_upscaler').setDescription('Default hires upscaler').setAutocomplete(true),
        'commands.settings.features.hiresUpscaler',
      ),
    )
    .addNumberOption((option) =>
      localizeOption(
        option
          .setName('hires_denoise')
          .setDescription('Default hires denoise (0-1)')
          .setMinValue(0.01)
          .setMaxValue(1),
        'commands.settings.features.hiresDenoise',
      ),
    )
    .addIntegerOption((option) =>
      localizeOption(
        option.setName('hires_steps').setDescription('Default hires steps').setMinValue(1).setMaxValue(150),
        'commands.settings.features.hiresSteps',
      ),
    );
}

/** A model or an upscaler is checked against the live lists, fetched only when given. */
export async function changeFeatures({ interaction, deps, guildId, locale, current }: SettingsContext) {
  const options = interaction.options;
  const allowed = Object.fromEntries(
    FEATURE_NAMES.flatMap((name) => {
      const value = options.getBoolean(`allow_${name}`);
      return value === null ? [] : [[name, value]];
    }),
  );
  const input = {
    allowed,
    maxLoras: options.getInteger('max_loras') ?? undefined,
    maxHiresScale: options.getNumber('max_hires_scale') ?? undefined,
    hiresUpscaler: options.getString('hires_upscaler') ?? undefined,
    hiresDenoise: options.getNumber('hires_denoise') ?? undefined,
    hiresSteps: options.getInteger('hires_steps') ?? undefined,
    model: options.getString('model') ?? undefined,
    family: (options.getString('family') ?? undefined) as ModelFamily | 'auto' | undefined,
    reset: options.getBoolean('reset') ?? undefined,
  };
  const needsLists = input.model !== undefined || input.hiresUpscaler !== undefined;
  if (needsLists) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const [models, upscalers, latent] = await Promise.all([
    input.model !== undefined ? deps.catalog.get('models') : undefined,
    input.hiresUpscaler !== undefined ? deps.catalog.get('upscalers') : [],
    input.hiresUpscaler !== undefined ? deps.catalog.get('hiresUpscalers') : [],
  ]);
  const change = unwrap(
    planFeaturesChange(current, input, {
      limits: deps.config.limits,
      models,
      upscalers: [...latent, ...upscalers].map((upscaler) => upscaler.name),
    }),
    locale,
  );
  deps.settings.setPolicyJson(guildId, serializePolicy(change.value));
  deps.log.info({ guildId, userId: interaction.user.id }, 'server features changed');
  await answer(interaction, lines(change.summary, locale));
}
