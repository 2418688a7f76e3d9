import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../../user-error.js';
import type { ButtonHandler } from './command.js';

/** Cancel: the requester or members with Manage Messages. */
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
  const outcome = deps.runner.cancel(job.id);
  const text =
    outcome === 'cancelled'
      ? 'Cancelled.'
      : outcome === 'interrupting'
        ? 'Stopping the generation…'
        : 'This job has already finished.';
  await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
};
