import { ChannelType, type SlashCommandSubcommandBuilder } from 'discord.js';
import { localizeCommand, localizedChoices, localizeOption } from '../../src/discord/intake/localized.js';
import { LOCALES, type Locale } from '../../src/i18n/locales.js';
import { NSFW_MODES, type NsfwMode } from '../../src/policy/nsfw-mode.js';
import { serializePolicy } from '../../src/policy/policy.js';
import {
  LOCALE_NAMES,
  POLICY_CLEARS,
  type PolicyClear,
  planPolicyChange,
} from '../../src/policy/settings-changes.js';
import { lines, reply, type SettingsContext, unwrap } from './context.js';

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/** `/settings policy`: this server's content policy and quotas. */
export function policySubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return localizeCommand(
    addQuotaOptions(
      addContentOptions(
        sub.setName('policy').setDescription('Change this server’s content policy and quotas'),
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
  );
}

/** What members may see outside age-restricted channels, and where requests are recorded. */
function addContentOptions(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
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
    );
}

/** How often members may ask, and who skips the limits. */
function addQuotaOptions(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
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
    );
}

export async function changePolicy({ interaction, deps, guildId, locale, current }: SettingsContext) {
  const options = interaction.options;
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
  await reply(interaction, lines(change.summary, locale));
}
