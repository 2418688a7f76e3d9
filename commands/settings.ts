import {
  ChannelType,
  type ChatInputCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import { autocompleteGenerationOption } from '../src/discord/intake/autocomplete.js';
import type { BotDeps, Command } from '../src/discord/intake/command.js';
import {
  localizeCommand,
  localized,
  localizedChoices,
  localizeOption,
} from '../src/discord/intake/localized.js';
import { renderBlockedList, renderSettingsView } from '../src/discord/views/settings-view.js';
import { LOCALES, type Locale, resolveLocale } from '../src/i18n/locales.js';
import { type Message, msg, render } from '../src/i18n/translate.js';
import { MODEL_FAMILIES, type ModelFamily } from '../src/models/family.js';
import { planFeaturesChange, planStyleChange } from '../src/policy/feature-changes.js';
import {
  effectivePolicy,
  loadGuildPolicy,
  serverDefaults,
  updateGuildPolicy,
} from '../src/policy/guild-policy.js';
import { NSFW_MODES, type NsfwMode } from '../src/policy/nsfw-mode.js';
import { FEATURE_NAMES, serializePolicy } from '../src/policy/policy.js';
import {
  addBlockedTerm,
  type Change,
  DEFAULTS_RESETS,
  type DefaultsReset,
  LOCALE_NAMES,
  POLICY_CLEARS,
  type PolicyClear,
  planDefaultsChange,
  planPolicyChange,
  removeBlockedTerm,
} from '../src/policy/settings-changes.js';
import { UserError } from '../src/user-error.js';

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

const data = new SlashCommandBuilder()
  .setName('settings')
  .setDescription('This server’s /imagine defaults and policies')
  .setNameLocalizations(localized('commands.settings.commandName'))
  .setDescriptionLocalizations(localized('commands.settings.commandDescription'))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((sub) =>
    localizeCommand(
      sub.setName('view').setDescription('Show the defaults and policies in force'),
      'commands.settings.view',
    ),
  )
  .addSubcommand((sub) =>
    localizeCommand(
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
    ),
  )
  .addSubcommand((sub) =>
    localizeCommand(
      sub
        .setName('policy')
        .setDescription('Change this server’s content policy and quotas')
        .addStringOption((option) =>
          localizeOption(
            option
              .setName('nsfw_mode')
              .setDescription('Outside age-restricted channels')
              .addChoices(...localizedChoices(NSFW_MODES, 'commands.settings.nsfwMode')),
            'commands.settings.policy.nsfwMode',
          ),
        )
        .addStringOption((option) =>
          localizeOption(
            option
              .setName('sfw_negative_prompt')
              .setDescription('Added outside age-restricted channels')
              .setMaxLength(1000),
            'commands.settings.policy.sfwNegativePrompt',
          ),
        )
        .addChannelOption((option) =>
          localizeOption(
            option
              .setName('audit_channel')
              .setDescription('Where to record who asked for what')
              .addChannelTypes(...TEXT_CHANNELS),
            'commands.settings.policy.auditChannel',
          ),
        )
        .addIntegerOption((option) =>
          localizeOption(
            option
              .setName('cooldown_seconds')
              .setDescription('Per member; 0 = off')
              .setMinValue(0)
              .setMaxValue(86_400),
            'commands.settings.policy.cooldownSeconds',
          ),
        )
        .addIntegerOption((option) =>
          localizeOption(
            option
              .setName('hourly_limit')
              .setDescription('Requests per hour for the server; 0 = off')
              .setMinValue(0)
              .setMaxValue(100_000),
            'commands.settings.policy.hourlyLimit',
          ),
        )
        .addRoleOption((option) =>
          localizeOption(
            option.setName('bypass_role').setDescription('Members with this role skip quotas'),
            'commands.settings.policy.bypassRole',
          ),
        )
        .addBooleanOption((option) =>
          localizeOption(
            option.setName('bypass_manage_server').setDescription('Members with Manage Server skip quotas'),
            'commands.settings.policy.bypassManageServer',
          ),
        )
        .addStringOption((option) =>
          localizeOption(
            option
              .setName('locale')
              .setDescription('Language of the audit channel and of posts to no one member')
              .addChoices(...LOCALES.map((value) => ({ name: LOCALE_NAMES[value], value }))),
            'commands.settings.policy.locale',
          ),
        )
        .addStringOption((option) =>
          localizeOption(
            option
              .setName('clear')
              .setDescription('Back to the bot’s default')
              .addChoices(...localizedChoices(POLICY_CLEARS, 'commands.settings.clear')),
            'commands.settings.policy.clear',
          ),
        ),
      'commands.settings.policy',
    ),
  )
  .addSubcommand((sub) =>
    localizeCommand(
      sub
        .setName('features')
        .setDescription('Which of LoRAs, styles, hires fix, ADetailer and variants members may use')
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
            option
              .setName('max_loras')
              .setDescription('Most LoRAs per request')
              .setMinValue(0)
              .setMaxValue(10),
            'commands.settings.features.maxLoras',
          ),
        )
        .addNumberOption((option) =>
          localizeOption(
            option
              .setName('max_hires_scale')
              .setDescription('Highest hires scale')
              .setMinValue(1)
              .setMaxValue(4),
            'commands.settings.features.maxHiresScale',
          ),
        )
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
            option
              .setName('hires_steps')
              .setDescription('Default hires steps')
              .setMinValue(1)
              .setMaxValue(150),
            'commands.settings.features.hiresSteps',
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
    ),
  )
  .addSubcommand((sub) =>
    localizeCommand(
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
            option
              .setName('negative_prompt')
              .setDescription('Added to the negative prompt')
              .setMaxLength(1000),
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
    ),
  )
  .addSubcommandGroup((group) =>
    localizeCommand(
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
    ),
  )
  .toJSON();

const reply = (
  interaction: ChatInputCommandInteraction,
  content: string,
  embeds = [] as ReturnType<typeof renderSettingsView>[],
) => interaction.reply({ content, embeds, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });

/** The change, or a refusal listing every problem in the member's language (rendered here: bullets). */
function unwrap<T>(change: Change<T>, locale: Locale): { value: T; summary: Message[] } {
  if (!change.ok)
    throw new UserError(
      'invalid-settings',
      [
        render(msg('refusals.settings.nothingChanged'), locale),
        ...change.problems.map((problem) => `• ${render(problem, locale)}`),
      ].join('\n'),
    );
  return change;
}

const lines = (summary: readonly Message[], locale: Locale) =>
  summary.map((line) => render(line, locale)).join('\n');

// Long on purpose: one switch over the subcommands, each a few lines that call a pure planner.
async function execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  const guildId = interaction.guildId;
  if (guildId === null) throw new UserError('guild-only', msg('refusals.settings.guildOnly'));
  if (!(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false)) {
    throw new UserError('forbidden', msg('refusals.settings.needsManageServer'));
  }
  const locale = resolveLocale(interaction.locale);
  const options = interaction.options;
  const group = options.getSubcommandGroup(false);
  const sub = options.getSubcommand(true);
  const current = loadGuildPolicy(deps.settings, guildId);

  if (group === 'blocked-words') {
    if (sub === 'list')
      return void (await reply(interaction, renderBlockedList(current.blockedTerms, locale)));
    const term = options.getString('term', true);
    const change = unwrap(
      sub === 'add' ? addBlockedTerm(current, term) : removeBlockedTerm(current, term),
      locale,
    );
    updateGuildPolicy(deps.settings, guildId, () => change.value);
    deps.log.info({ guildId, userId: interaction.user.id, action: sub }, 'blocked terms changed');
    return void (await reply(interaction, lines(change.summary, locale)));
  }

  if (sub === 'view') {
    const embed = renderSettingsView(
      {
        stored: current,
        effective: effectivePolicy(deps.config, deps.settings, guildId),
        defaults: serverDefaults(deps, guildId),
        defaultModel: deps.settings.get(guildId).defaultModel,
      },
      locale,
    );
    return void (await reply(interaction, '', [embed]));
  }

  if (sub === 'style') {
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
    return void (await reply(interaction, lines(change.summary, locale)));
  }

  if (sub === 'features') {
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
    const text = lines(change.summary, locale);
    if (interaction.deferred) await interaction.editReply({ content: text, allowedMentions: { parse: [] } });
    else await reply(interaction, text);
    return;
  }

  if (sub === 'policy') {
    const channel = options.getChannel('audit_channel');
    const role = options.getRole('bypass_role');
    const change = unwrap(
      planPolicyChange(
        current,
        {
          nsfwMode: (options.getString('nsfw_mode') ?? undefined) as NsfwMode | undefined,
          sfwNegativePrompt: options.getString('sfw_negative_prompt') ?? undefined,
          auditChannel:
            channel === null
              ? undefined
              : {
                  id: channel.id,
                  textBased: (TEXT_CHANNELS as readonly ChannelType[]).includes(channel.type),
                },
          cooldownSeconds: options.getInteger('cooldown_seconds') ?? undefined,
          hourlyLimit: options.getInteger('hourly_limit') ?? undefined,
          bypassRoleId: role?.id,
          bypassManageServer: options.getBoolean('bypass_manage_server') ?? undefined,
          locale: (options.getString('locale') ?? undefined) as Locale | undefined,
          clear: (options.getString('clear') ?? undefined) as PolicyClear | undefined,
        },
        deps.config.limits.maxPromptLength,
      ),
      locale,
    );
    deps.settings.setPolicyJson(guildId, serializePolicy(change.value));
    deps.log.info({ guildId, userId: interaction.user.id }, 'server policy changed');
    return void (await reply(interaction, lines(change.summary, locale)));
  }

  // defaults: the sampler and model are checked against the live lists, fetched only when needed.
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
  const text = lines(change.summary, locale);
  if (interaction.deferred) await interaction.editReply({ content: text, allowedMentions: { parse: [] } });
  else await reply(interaction, text);
}

export const settings: Command = { data, execute, autocomplete: autocompleteGenerationOption };
