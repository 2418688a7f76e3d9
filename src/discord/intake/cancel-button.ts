import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { resolveLocale } from '../../i18n/locales.js';
import type { MessageKey } from '../../i18n/messages/index.js';
import { msg, t } from '../../i18n/translate.js';
import type { CancelResult } from '../../jobs/runner.js';
import { UserError } from '../../user-error.js';
import type { ButtonHandler } from './command.js';

const CANCEL_TEXT: Record<CancelResult, MessageKey & `commands.cancel.${string}`> = {
  cancelled: 'commands.cancel.cancelled',
  interrupting: 'commands.cancel.interrupting',
  pending: 'commands.cancel.pending',
  discarding: 'commands.cancel.discarding',
  'not-found': 'commands.cancel.finished',
  finished: 'commands.cancel.finished',
  'already-cancelled': 'commands.cancel.alreadyCancelled',
};

/** Cancel: the requester or members with Manage Messages. Never stops anybody else's generation. */
export const handleCancel: ButtonHandler = async (interaction, [jobId], deps) => {
  const job = jobId === undefined ? undefined : await deps.jobs.get(jobId);
  if (job === undefined) throw new UserError('job-gone', msg('commands.cancel.jobGone'));
  const moderator = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
  if (job.userId !== interaction.user.id && !moderator) {
    throw new UserError('not-yours', msg('commands.cancel.notYours'));
  }
  const text = t(resolveLocale(interaction.locale), CANCEL_TEXT[await deps.runner.cancel(job.id)]);
  await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
};
