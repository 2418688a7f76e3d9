import { type ChatInputCommandInteraction, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { autocompleteGenerationOption } from '../src/discord/intake/autocomplete.js';
import type { BotDeps, Command } from '../src/discord/intake/command.js';
import { localized } from '../src/discord/intake/localized.js';
import { resolveLocale } from '../src/i18n/locales.js';
import { msg } from '../src/i18n/translate.js';
import { loadGuildPolicy } from '../src/policy/guild-policy.js';
import { UserError } from '../src/user-error.js';
import { blockedWordsGroup, changeBlockedWords } from './settings/blocked-words.js';
import type { SettingsHandler } from './settings/context.js';
import { changeDefaults, defaultsSubcommand } from './settings/defaults.js';
import { changeFeatures, featuresSubcommand } from './settings/features.js';
import { changePolicy, policySubcommand } from './settings/policy.js';
import { changeStyle, styleSubcommand } from './settings/style.js';
import { showSettings, viewSubcommand } from './settings/view.js';

/** `/settings`: each subcommand's options and handler live in `commands/settings/<subcommand>.ts`. */
const data = new SlashCommandBuilder()
  .setName('settings')
  .setDescription('This server’s /imagine defaults and policies')
  .setNameLocalizations(localized('commands.settings.commandName'))
  .setDescriptionLocalizations(localized('commands.settings.commandDescription'))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand(viewSubcommand)
  .addSubcommand(defaultsSubcommand)
  .addSubcommand(policySubcommand)
  .addSubcommand(featuresSubcommand)
  .addSubcommand(styleSubcommand)
  .addSubcommandGroup(blockedWordsGroup)
  .toJSON();

/** Every subcommand, and the one group, as `data` registers them. */
type SettingsName = 'view' | 'defaults' | 'policy' | 'features' | 'style' | 'blocked-words';

/** The handler of each subcommand (the `blocked-words` group's handler reads which of its own). */
const HANDLERS: Readonly<Record<SettingsName, SettingsHandler>> = {
  view: showSettings,
  defaults: changeDefaults,
  policy: changePolicy,
  features: changeFeatures,
  style: changeStyle,
  'blocked-words': changeBlockedWords,
};

async function execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  const guildId = interaction.guildId;
  if (guildId === null) throw new UserError('guild-only', msg('refusals.settings.guildOnly'));
  if (!(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false)) {
    throw new UserError('forbidden', msg('refusals.settings.needsManageServer'));
  }
  const options = interaction.options;
  const name = options.getSubcommandGroup(false) ?? options.getSubcommand(true);
  const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name as SettingsName] : undefined;
  if (handler === undefined) throw new UserError('unknown-command', msg('commands.router.unknownCommand'));
  const current = loadGuildPolicy(deps.settings, guildId);
  await handler({ interaction, deps, guildId, locale: resolveLocale(interaction.locale), current });
}

export const settings: Command = { data, execute, autocomplete: autocompleteGenerationOption };
