import { randomBytes } from 'node:crypto';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import { SdUnsupportedError } from '../../engines/errors.js';
import { resolveLocale } from '../../i18n/locales.js';
import { msg, t } from '../../i18n/translate.js';
import { UserError } from '../../user-error.js';
import { toUserMessage } from '../views/user-message.js';
import { LIMITS, truncate } from '../views/view-text.js';
import type { BotDeps, ButtonHandler, Command, ModalHandler } from './command.js';
import { type ButtonAction, type ModalAction, parseCustomId } from './custom-id.js';

export interface Router {
  handle(interaction: Interaction): Promise<void>;
}

/** Every handler, by name or custom id action: a missing one fails to compile. */
export interface RouterTable {
  commands: readonly Command[];
  buttons: Record<ButtonAction, ButtonHandler>;
  modals: Record<ModalAction, ModalHandler>;
}

type Replyable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** What to run for one interaction, or the refusal when nothing matches. */
function toRoute(
  interaction: Replyable,
  table: RouterTable,
  byName: ReadonlyMap<string, Command>,
  deps: BotDeps,
): () => Promise<void> {
  if (interaction.isChatInputCommand()) {
    const command = byName.get(interaction.commandName);
    if (command === undefined) throw new UserError('unknown-command', msg('commands.router.unknownCommand'));
    return () => command.execute(interaction, deps);
  }
  const parsed = parseCustomId(interaction.customId);
  if (interaction.isButton()) {
    const handler = parsed === undefined ? undefined : table.buttons[parsed.action as ButtonAction];
    if (parsed === undefined || handler === undefined) {
      throw new UserError('unknown-button', msg('commands.router.unknownButton'));
    }
    return () => handler(interaction, parsed.args, deps);
  }
  const handler = parsed === undefined ? undefined : table.modals[parsed.action as ModalAction];
  if (parsed === undefined || handler === undefined || !interaction.isModalSubmit()) {
    throw new UserError('unknown-form', msg('commands.router.unknownForm'));
  }
  return () => handler(interaction, parsed.args, deps);
}

/**
 * The one error boundary: every interaction goes through here; every error becomes one or two
 * plain sentences for the member (with a short reference id for the operator's log). Commands,
 * buttons and modal submits take one path, and all take turns through a burst.
 */
export function createRouter(table: RouterTable, deps: BotDeps): Router {
  const byName = new Map(table.commands.map((command) => [command.data.name, command]));

  async function replyWithError(interaction: Replyable, error: unknown) {
    // A refusal, or a server that lacks what was asked (a missing capability, not a fault): no reference.
    const expected = error instanceof UserError || error instanceof SdUnsupportedError;
    const reference = randomBytes(3).toString('hex');
    if (expected) deps.log.info({ code: error.code, userId: interaction.user.id }, 'refused a request');
    else deps.log.error({ err: error, reference, userId: interaction.user.id }, 'interaction failed');
    const locale = resolveLocale(interaction.locale);
    const text = expected
      ? toUserMessage(error, locale)
      : t(locale, 'commands.router.withReference', { text: toUserMessage(error, locale), reference });
    // Discord refuses content over 2000 characters: the member would get no answer at all.
    const payload = {
      content: truncate(text, LIMITS.content),
      embeds: [],
      components: [],
      files: [],
      allowedMentions: { parse: [] },
    };
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply(payload);
      else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
    } catch (replyError: unknown) {
      deps.log.warn({ err: replyError, reference }, 'could not tell the member about an error');
    }
  }

  async function handleAutocomplete(interaction: AutocompleteInteraction) {
    const command = byName.get(interaction.commandName);
    try {
      if (command?.autocomplete === undefined) await interaction.respond([]);
      else await command.autocomplete(interaction, deps);
    } catch (error: unknown) {
      deps.log.warn({ err: error, command: interaction.commandName }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    }
  }

  return {
    async handle(interaction) {
      if (interaction.isAutocomplete()) return handleAutocomplete(interaction);
      if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit())
        return;
      try {
        const run = toRoute(interaction, table, byName, deps);
        await deps.turns.next(true);
        await run();
      } catch (error: unknown) {
        await replyWithError(interaction, error);
      }
    },
  };
}
