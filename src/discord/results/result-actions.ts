import { InteractionResponseType, MessageFlags, PermissionFlagsBits, Routes } from 'discord.js';
import { resolveLocale } from '../../i18n/locales.js';
import { msg, t } from '../../i18n/translate.js';
import { UserError } from '../../user-error.js';
import { toMessageRequest } from '../delivery/multipart.js';
import type { ButtonHandler, ModalHandler } from '../intake/command.js';
import type { ButtonAction, ModalAction } from '../intake/custom-id.js';
import { contentTypeFor, prepareUpload } from '../uploads/upload-preflight.js';
import { imageFileName } from '../views/result-view.js';
import { handleReroll, handleUpscale, handleVary } from './child-jobs.js';
import { imageIndex, loadFinished, seedOf } from './finished-job.js';
import { handleRemix, handleRemixSubmit } from './remix.js';
import { renderJobInfo } from './result-info.js';

// The buttons under a result: the child jobs (child-jobs.ts) and the remix form (remix.ts) apart,
// the answers about the message itself (info, image, delete) here, and the tables the router uses.

/** Info: every parameter, the seeds, the model and the infotext, to the clicker only. */
export const handleInfo: ButtonHandler = async (interaction, [jobId], deps) => {
  const job = jobId === undefined ? undefined : await deps.jobs.get(jobId);
  if (job === undefined) {
    throw new UserError('job-gone', msg('commands.result.infoGone'));
  }
  await interaction.reply({
    ...renderJobInfo(job, resolveLocale(interaction.locale)),
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
};

/** Image n of a batch, the kept original at full size, to the clicker only. */
export const handleImage: ButtonHandler = async (interaction, [jobId, rawIndex], deps) => {
  const job = await loadFinished(deps, jobId);
  const index = imageIndex(job, rawIndex);
  const image = await deps.images.get(job.id, index);
  if (image === undefined) {
    throw new UserError('image-gone', msg('commands.result.originalGone'));
  }
  const seed = seedOf(job, index);
  const locale = resolveLocale(interaction.locale);
  const view = await prepareUpload(
    {
      content: t(locale, 'delivery.image.caption', {
        image: index + 1,
        count: job.result.seeds.length,
        seed: String(seed),
      }),
      embeds: [],
      components: [],
      files: [{ name: imageFileName(seed, index, job.params.count), data: image }],
    },
    { attachmentSizeLimit: interaction.attachmentSizeLimit, spoiler: job.params.delivery?.spoiler },
    locale,
  );
  // The callback goes out as one multipart Buffer, as job results do (see multipart.ts), not as the
  // Blobs `interaction.reply({ files })` would make.
  const callback = {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: {
      content: view.content,
      flags: MessageFlags.Ephemeral,
      allowed_mentions: { parse: [] },
      attachments: view.files.map((file, id) => ({ id, filename: file.name })),
    },
  };
  const files = view.files.map((file) => ({
    name: file.name,
    data: file.data,
    contentType: contentTypeFor(file.name),
  }));
  await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    ...toMessageRequest(callback, files),
    auth: false,
  });
};

/** Delete: the requester or members with Manage Messages; removes the message and its kept images. */
export const handleDelete: ButtonHandler = async (interaction, [jobId], deps) => {
  const job = jobId === undefined ? undefined : await deps.jobs.get(jobId);
  const moderator = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
  if (job !== undefined && job.userId !== interaction.user.id && !moderator) {
    throw new UserError('not-yours', msg('commands.result.deleteNotYours'));
  }
  if (job === undefined && !moderator) {
    throw new UserError('job-gone', msg('commands.result.deleteGone'));
  }
  await interaction.client.rest.delete(
    Routes.channelMessage(interaction.message.channelId, interaction.message.id),
  );
  if (job !== undefined) await deps.images.remove(job.id);
  deps.log.info({ jobId, userId: interaction.user.id }, 'result deleted');
  await interaction.reply({
    content: t(resolveLocale(interaction.locale), 'commands.result.deleted'),
    flags: MessageFlags.Ephemeral,
  });
};

/** The result buttons and the remix form, for the router. */
export const RESULT_BUTTONS: Record<Exclude<ButtonAction, 'cancel' | 'models' | 'loras'>, ButtonHandler> = {
  reroll: handleReroll,
  vary: handleVary,
  upscale: handleUpscale,
  remix: handleRemix,
  info: handleInfo,
  image: handleImage,
  delete: handleDelete,
};

export const RESULT_MODALS: Record<ModalAction, ModalHandler> = { remixed: handleRemixSubmit };
