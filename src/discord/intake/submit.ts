import type { ChatInputCommandInteraction } from 'discord.js';
import type { GenerationParams } from '../../generation/request.js';
import { msg } from '../../i18n/translate.js';
import type { JobKind } from '../../jobs/types.js';
import { UserError } from '../../user-error.js';
import type { BotDeps } from './command.js';
import type { Ticket } from './member-order.js';

/** Discord keeps an interaction token usable for 15 minutes. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

/** What a job needs of the interaction that asked for it (a command, a button, a modal). */
export type JobRequester = Pick<
  ChatInputCommandInteraction,
  'user' | 'guildId' | 'channelId' | 'applicationId' | 'token'
> &
  Partial<Pick<ChatInputCommandInteraction, 'locale'>>;

/**
 * Turns validated parameters into a queued job for an interaction that is already deferred, and
 * shows its place in line. Over a limit → a UserError naming it. `onQueued` runs as soon as the job
 * is in the queue, before its message is shown (which may still fail).
 */
export async function submitGeneration(
  interaction: JobRequester,
  deps: BotDeps,
  kind: JobKind,
  params: GenerationParams,
  parentId: string | null,
  {
    receivedAt = deps.now(),
    onQueued,
    ticket,
  }: { receivedAt?: number; onQueued?: () => void; ticket?: Ticket } = {},
): Promise<void> {
  // The member's earlier requests go in first, whatever order the servers answered them in.
  await ticket?.turn();
  // After the deferral's round trip: 200 of them come back together; take turns.
  await deps.turns.next();
  refuseWhileStopping(deps);
  const submitted = await deps.runner.submit({
    kind,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    applicationId: interaction.applicationId,
    interactionToken: interaction.token,
    tokenExpiresAt: receivedAt + INTERACTION_TOKEN_LIFETIME_MS,
    params,
    parentId,
    locale: interaction.locale ?? null,
  });
  if (!submitted.ok) throw toLimitRefusal(submitted.reason, submitted.limit);
  onQueued?.();
  ticket?.done();
  await deps.reporter.queued(submitted.job, submitted.position, submitted.total, undefined);
}

/** Refuses new work while the bot shuts down (running jobs finish, the rest wait for the next start). */
export function refuseWhileStopping(deps: Pick<BotDeps, 'runner'>): void {
  if (!deps.runner.isAccepting()) {
    throw new UserError('shutting-down', msg('commands.submit.shuttingDown'));
  }
}

/** The refusal for a job over the per-member or the queue limit. */
export function toLimitRefusal(reason: 'user-limit' | 'queue-full', limit: number): UserError {
  return new UserError(
    reason,
    reason === 'user-limit'
      ? msg('commands.submit.userLimit', { limit })
      : msg('commands.submit.queueFull', { limit }),
  );
}
