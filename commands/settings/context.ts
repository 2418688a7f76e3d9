import { type ChatInputCommandInteraction, type InteractionReplyOptions, MessageFlags } from 'discord.js';
import type { BotDeps } from '../../src/discord/intake/command.js';
import type { Locale } from '../../src/i18n/locales.js';
import { type Message, msg, render } from '../../src/i18n/translate.js';
import type { Change } from '../../src/policy/change.js';
import type { GuildPolicy } from '../../src/policy/policy.js';
import { UserError } from '../../src/user-error.js';

/** What every /settings subcommand's handler is given, once the member may change settings. */
export interface SettingsContext {
  interaction: ChatInputCommandInteraction;
  deps: BotDeps;
  guildId: string;
  /** The member's language. */
  locale: Locale;
  /** The server's stored policy before the change. */
  current: GuildPolicy;
}

export type SettingsHandler = (context: SettingsContext) => Promise<void>;

/** An ephemeral reply that pings no one. */
export async function reply(
  interaction: ChatInputCommandInteraction,
  content: string,
  embeds: NonNullable<InteractionReplyOptions['embeds']> = [],
): Promise<void> {
  await interaction.reply({ content, embeds, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** The text as the answer: in the deferred reply when there is one, else as a reply. */
export async function answer(interaction: ChatInputCommandInteraction, text: string): Promise<void> {
  if (interaction.deferred) await interaction.editReply({ content: text, allowedMentions: { parse: [] } });
  else await reply(interaction, text);
}

/** The change, or a refusal listing every problem in the member's language (rendered here: bullets). */
export function unwrap<T>(change: Change<T>, locale: Locale): { value: T; summary: Message[] } {
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

/** What changed, one line each. */
export const lines = (summary: readonly Message[], locale: Locale) =>
  summary.map((line) => render(line, locale)).join('\n');
