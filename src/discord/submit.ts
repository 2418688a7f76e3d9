import type { ChatInputCommandInteraction } from 'discord.js';
import type { GenerationParams } from '../generation/request.js';
import type { JobKind } from '../jobs/types.js';
import { UserError } from '../user-error.js';
import type { BotDeps } from './command.js';

/** Discord keeps an interaction token usable for 15 minutes. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

/**
 * Turns validated parameters into a queued job for an interaction that is already deferred, and
 * shows its place in line. Over a limit → a UserError naming it.
 */
export async function submitGeneration(
  interaction: ChatInputCommandInteraction,
  deps: BotDeps,
  kind: JobKind,
  params: GenerationParams,
  parentId: string | null,
  receivedAt: number = deps.now(),
): Promise<void> {
  if (!deps.runner.isAccepting()) {
    throw new UserError(
      'shutting-down',
      'The bot is restarting and not taking new images right now. Try again in a minute.',
    );
  }
  const submitted = deps.runner.submit({
    kind,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    applicationId: interaction.applicationId,
    interactionToken: interaction.token,
    tokenExpiresAt: receivedAt + INTERACTION_TOKEN_LIFETIME_MS,
    params,
    parentId,
  });
  if (!submitted.ok) {
    throw new UserError(
      submitted.reason,
      submitted.reason === 'user-limit'
        ? `You already have ${submitted.limit} images waiting or in progress (the limit per member). Wait for one to finish or cancel one.`
        : `The queue is full (${submitted.limit} images). Try again in a few minutes.`,
    );
  }
  await deps.reporter.queued(submitted.job, submitted.position, submitted.total, undefined);
}
