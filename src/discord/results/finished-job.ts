/** The parent job a result button points at: found, finished, and the image and seed it names. */
import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import { msg } from '../../i18n/translate.js';
import type { Job, JobKind, JobResult } from '../../jobs/types.js';
import { UserError } from '../../user-error.js';
import type { BotDeps } from '../intake/command.js';
import { toMessageUrl } from './result-buttons.js';

export type FinishedJob = Job & { result: JobResult };
export type ActionInteraction = ButtonInteraction | ModalSubmitInteraction;

/** The parent job of a result button; a clear refusal when it is gone or never finished. */
export async function loadFinished(deps: BotDeps, jobId: string | undefined): Promise<FinishedJob> {
  const job = jobId === undefined ? undefined : await deps.jobs.get(jobId);
  if (job === undefined) {
    throw new UserError('job-gone', msg('commands.result.jobGone'));
  }
  if (job.state !== 'succeeded' || job.result === null) {
    throw new UserError('job-unfinished', msg('commands.result.jobUnfinished'));
  }
  return job as FinishedJob;
}

/** The 0-based image index a button carries, checked against the parent's batch. */
export function imageIndex(job: FinishedJob, raw: string | undefined): number {
  const index = Number(raw ?? '0');
  const count = Math.max(job.result.seeds.length, job.params.count);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new UserError('unknown-button', msg('commands.router.unknownButton'));
  }
  return index;
}

export const seedOf = (job: FinishedJob, index: number): number =>
  job.result.seeds[index] ?? job.result.seeds[0] ?? -1;

export function messageUrlOf(interaction: ActionInteraction): string | undefined {
  const message = interaction.message;
  if (message === null) return undefined;
  return toMessageUrl(interaction.guildId, message.channelId, message.id);
}

/** Reroll, Vary and Remix start a generation of the parent's kind; an upscale has none. */
export function generationKind(parent: FinishedJob): Exclude<JobKind, 'upscale'> {
  if (parent.kind === 'upscale') {
    throw new UserError('not-a-generation', msg('commands.result.notAGeneration'));
  }
  return parent.kind;
}
