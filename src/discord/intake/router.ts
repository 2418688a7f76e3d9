import { randomBytes } from 'node:crypto';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import { UserError } from '../../user-error.js';
import { LIMITS, truncate } from '../views/render.js';
import { toUserMessage } from '../views/user-message.js';
import type { BotDeps, ButtonHandler, Command, ModalHandler } from './command.js';
import { type CustomIdAction, parseCustomId } from './custom-id.js';

export interface Router {
  handle(interaction: Interaction): Promise<void>;
}

/**
 * The one error boundary: every interaction goes through here; every error becomes one or two
 * plain sentences for the member (with a short reference id for the operator's log).
 */
export function createRouter(
  commands: readonly Command[],
  buttons: Partial<Record<CustomIdAction, ButtonHandler>>,
  deps: BotDeps,
  modals: Partial<Record<CustomIdAction, ModalHandler>> = {},
): Router {
  const byName = new Map(commands.map((command) => [command.data.name, command]));

  async function replyWithError(
    interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
    error: unknown,
  ) {
    const expected = error instanceof UserError;
    const reference = randomBytes(3).toString('hex');
    if (expected) deps.log.info({ code: error.code, userId: interaction.user.id }, 'refused a request');
    else deps.log.error({ err: error, reference, userId: interaction.user.id }, 'interaction failed');
    const text = expected ? toUserMessage(error) : `${toUserMessage(error)} (reference ${reference})`;
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
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        try {
          if (command === undefined)
            throw new UserError('unknown-command', 'This command is not available any more.');
          await deps.turns.next(true);
          await command.execute(interaction, deps);
        } catch (error: unknown) {
          await replyWithError(interaction, error);
        }
        return;
      }
      if (interaction.isButton()) {
        const parsed = parseCustomId(interaction.customId);
        const handler = parsed === undefined ? undefined : buttons[parsed.action];
        try {
          if (parsed === undefined || handler === undefined) {
            throw new UserError('unknown-button', 'This button is no longer available.');
          }
          await deps.turns.next(true);
          await handler(interaction, parsed.args, deps);
        } catch (error: unknown) {
          await replyWithError(interaction, error);
        }
        return;
      }
      if (interaction.isModalSubmit()) {
        const parsed = parseCustomId(interaction.customId);
        const handler = parsed === undefined ? undefined : modals[parsed.action];
        try {
          if (parsed === undefined || handler === undefined) {
            throw new UserError('unknown-form', 'This form is no longer available.');
          }
          await handler(interaction, parsed.args, deps);
        } catch (error: unknown) {
          await replyWithError(interaction, error);
        }
      }
    },
  };
}
