import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { CancelResult } from '../../jobs/runner.js';
import { UserError } from '../../user-error.js';
import type { ButtonHandler } from './command.js';

const CANCEL_TEXT: Record<CancelResult, string> = {
  cancelled: 'Cancelled.',
  interrupting: 'Stopping the generation…',
  pending:
    'Cancelled. The image server had not started it yet (it is finishing other work first); it is stopped the moment it starts, and nothing is delivered.',
  discarding:
    'Cancelled. This image server cannot stop a generation once it has started, so it will finish and the image will be thrown away.',
  'not-found': 'This job has already finished.',
  finished: 'This job has already finished.',
};

/** Cancel: the requester or members with Manage Messages. Never stops anybody else's generation. */
export const handleCancel: ButtonHandler = async (interaction, [jobId], deps) => {
  const job = jobId === undefined ? undefined : deps.jobs.get(jobId);
  if (job === undefined) throw new UserError('job-gone', 'That job no longer exists.');
  const moderator = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
  if (job.userId !== interaction.user.id && !moderator) {
    throw new UserError(
      'not-yours',
      'Only the member who asked for this image (or a moderator) can cancel it.',
    );
  }
  const text = CANCEL_TEXT[await deps.runner.cancel(job.id)];
  await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
};
