import {
  type ButtonInteraction,
  InteractionResponseType,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  Routes,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { SdError } from '../../engines/errors.js';
import {
  checkDerivedLimits,
  toRemixParams,
  toRerollParams,
  toUpscaleParams,
  toVaryParams,
} from '../../generation/derive.js';
import type { GenerationParams, JobOrigin } from '../../generation/request.js';
import { resolveLocale } from '../../i18n/locales.js';
import { msg, t } from '../../i18n/translate.js';
import { loadSharp } from '../../images/sharp.js';
import type { Job, JobKind, JobResult } from '../../jobs/types.js';
import { effectivePolicy } from '../../policy/guild-policy.js';
import { UserError } from '../../user-error.js';
import { toMessageRequest } from '../delivery/multipart.js';
import { admitGeneration } from '../intake/admission.js';
import type { BotDeps, ButtonHandler, ModalHandler } from '../intake/command.js';
import type { ButtonAction, ModalAction } from '../intake/custom-id.js';
import { encodeCustomId } from '../intake/custom-id.js';
import type { Ticket } from '../intake/member-order.js';
import { whenProbed } from '../intake/probed.js';
import { refuseWhileStopping, submitGeneration, toLimitRefusal } from '../intake/submit.js';
import { contentTypeFor, prepareUpload } from '../uploads/upload-preflight.js';
import { imageFileName } from '../views/result-view.js';
import { toMessageUrl } from './result-buttons.js';
import { renderJobInfo } from './result-info.js';

type FinishedJob = Job & { result: JobResult };
type ActionInteraction = ButtonInteraction | ModalSubmitInteraction;

const REMIX_PROMPT = 'prompt';
const REMIX_NEGATIVE = 'negative_prompt';
/** Discord's longest text input value. */
const MAX_TEXT_INPUT = 4000;

/** The parent job of a result button; a clear refusal when it is gone or never finished. */
function loadFinished(deps: BotDeps, jobId: string | undefined): FinishedJob {
  const job = jobId === undefined ? undefined : deps.jobs.get(jobId);
  if (job === undefined) {
    throw new UserError('job-gone', msg('commands.result.jobGone'));
  }
  if (job.state !== 'succeeded' || job.result === null) {
    throw new UserError('job-unfinished', msg('commands.result.jobUnfinished'));
  }
  return job as FinishedJob;
}

/** The 0-based image index a button carries, checked against the parent's batch. */
function imageIndex(job: FinishedJob, raw: string | undefined): number {
  const index = Number(raw ?? '0');
  const count = Math.max(job.result.seeds.length, job.params.count);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new UserError('unknown-button', msg('commands.router.unknownButton'));
  }
  return index;
}

const seedOf = (job: FinishedJob, index: number): number =>
  job.result.seeds[index] ?? job.result.seeds[0] ?? -1;

function messageUrlOf(interaction: ActionInteraction): string | undefined {
  const message = interaction.message;
  if (message === null) return undefined;
  return toMessageUrl(interaction.guildId, message.channelId, message.id);
}

/** The same limits /imagine applies, checked before deferring so a refusal stays ephemeral. */
function refuseOverLimits(deps: BotDeps, userId: string, params: GenerationParams): void {
  const problems = checkDerivedLimits(params, deps.config.limits);
  if (problems.length > 0) throw new UserError('invalid-options', problems);
  const admission = deps.runner.admission(userId);
  if (!admission.ok) throw toLimitRefusal(admission.reason, admission.limit);
  refuseWhileStopping(deps);
}

/**
 * A new public message for the new job, then the queue: the same limits, blocked terms, quotas,
 * content policy and audit as /imagine (`texts`: what the member typed, for a remix).
 */
async function startChild(
  interaction: ActionInteraction,
  deps: BotDeps,
  parent: FinishedJob,
  kind: JobKind,
  params: GenerationParams,
  options: { texts?: { prompt: string; negativePrompt: string }; beforeSubmit?: () => Promise<void> } = {},
): Promise<void> {
  const ticket = deps.memberOrder.take(interaction.user.id);
  try {
    await startChildInOrder(interaction, deps, parent, kind, params, options, ticket);
  } finally {
    ticket.done();
  }
}

async function startChildInOrder(
  interaction: ActionInteraction,
  deps: BotDeps,
  parent: FinishedJob,
  kind: JobKind,
  params: GenerationParams,
  options: { texts?: { prompt: string; negativePrompt: string }; beforeSubmit?: () => Promise<void> },
  ticket: Ticket,
): Promise<void> {
  refuseOverLimits(deps, interaction.user.id, params);
  const { channelId } = interaction;
  if (channelId === null) throw new UserError('no-channel', msg('commands.result.noChannel'));
  // Without a remix the member typed nothing new: the prompt is checked against today's blocked
  // terms, but not the stored negative prompt, which may hold the SFW terms the policy added.
  const admission = admitGeneration(interaction, deps, options.texts ?? { prompt: params.prompt });
  try {
    await interaction.deferReply();
    await options.beforeSubmit?.();
    const requester = {
      user: interaction.user,
      guildId: interaction.guildId,
      channelId,
      applicationId: interaction.applicationId,
      token: interaction.token,
      locale: interaction.locale,
    };
    // The channel's content policy now (SFW negative prompt, spoilers) and this interaction's upload limit.
    const admitted = admission.apply(params);
    await submitGeneration(requester, deps, kind, admitted, parent.id, {
      onQueued: () => admission.accepted(admitted),
      ticket,
    });
  } catch (error: unknown) {
    // No job came of it (e.g. an unknown upscaler, a full queue): the quota place goes back.
    admission.release();
    throw error;
  }
}

/** Reroll, Vary and Remix start a generation of the parent's kind; an upscale has none. */
function generationKind(parent: FinishedJob): Exclude<JobKind, 'upscale'> {
  if (parent.kind === 'upscale') {
    throw new UserError('not-a-generation', msg('commands.result.notAGeneration'));
  }
  return parent.kind;
}

export const handleReroll: ButtonHandler = async (interaction, [jobId], deps) => {
  const parent = loadFinished(deps, jobId);
  const origin: JobOrigin = { action: 'reroll', messageUrl: messageUrlOf(interaction) };
  await startChild(interaction, deps, parent, generationKind(parent), toRerollParams(parent.params, origin));
};

export const handleVary: ButtonHandler = async (interaction, [jobId, rawIndex], deps) => {
  const parent = loadFinished(deps, jobId);
  const index = imageIndex(parent, rawIndex);
  const origin: JobOrigin = { action: 'vary', index, messageUrl: messageUrlOf(interaction) };
  const params = toVaryParams(parent.params, seedOf(parent, index), deps.config.results.varyStrength, origin);
  await startChild(interaction, deps, parent, generationKind(parent), params);
};

/**
 * The upscaler must be installed on a server that can upscale (the job goes to one of those);
 * unknown → the names they do know. The lists come from the catalog cache.
 */
async function checkUpscaler(deps: BotDeps, name: string): Promise<void> {
  await whenProbed(deps.backends);
  const capable = deps.backends.filter((backend) => backend.engine.capabilities.upscale);
  if (capable.length === 0) {
    throw new UserError('cannot-upscale', msg('commands.result.cannotUpscale'));
  }
  let lists: Map<string, { name: string }[]>;
  try {
    lists = await deps.catalog.byBackend('upscalers');
  } catch (error: unknown) {
    throw error instanceof SdError
      ? error
      : new UserError('sd-unavailable', msg('commands.result.serverUnreachable'));
  }
  const known = capable.flatMap((backend) => {
    const list = lists.get(backend.id);
    return list === undefined ? [] : [list.map((upscaler) => upscaler.name)];
  });
  if (known.length === 0) {
    throw new UserError('sd-unavailable', msg('commands.result.serverUnreachable'));
  }
  if (known.some((names) => names.includes(name))) return;
  const available = [...new Set(known.flat())].filter((candidate) => candidate !== 'None');
  throw new UserError(
    'unknown-upscaler',
    available.length > 0
      ? msg('commands.result.unknownUpscaler', { name, available: available.join(', ') })
      : msg('commands.result.unknownUpscalerNoneListed', { name }),
  );
}

export const handleUpscale: ButtonHandler = async (interaction, [jobId, rawIndex], deps) => {
  const parent = loadFinished(deps, jobId);
  const index = imageIndex(parent, rawIndex);
  const image = await deps.images.get(parent.id, index);
  if (image === undefined) {
    throw new UserError('image-gone', msg('commands.result.originalGoneUpscale'));
  }
  const sharp = await loadSharp();
  const { width, height } = await sharp(image).metadata();
  const { upscaler, upscaleFactor } = deps.config.results;
  const origin: JobOrigin = { action: 'upscale', index, messageUrl: messageUrlOf(interaction) };
  const params = toUpscaleParams(
    parent.params,
    {
      base64: image.toString('base64'),
      width: width ?? parent.params.width,
      height: height ?? parent.params.height,
      seed: seedOf(parent, index),
    },
    { upscaler, factor: upscaleFactor },
    origin,
  );
  await startChild(interaction, deps, parent, 'upscale', params, {
    beforeSubmit: () => checkUpscaler(deps, upscaler),
  });
};

/** Remix: a form with the prompts, prefilled; its submit starts the job. */
export const handleRemix: ButtonHandler = async (interaction, [jobId], deps) => {
  const parent = loadFinished(deps, jobId);
  generationKind(parent);
  const locale = resolveLocale(interaction.locale);
  const limit = deps.config.limits.maxPromptLength;
  const prompt = new TextInputBuilder()
    .setCustomId(REMIX_PROMPT)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMaxLength(Math.min(MAX_TEXT_INPUT, limit))
    .setValue(parent.params.prompt.slice(0, limit));
  const negative = new TextInputBuilder()
    .setCustomId(REMIX_NEGATIVE)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(false)
    .setMaxLength(MAX_TEXT_INPUT);
  if (parent.params.negativePrompt !== '')
    negative.setValue(parent.params.negativePrompt.slice(0, MAX_TEXT_INPUT));
  const modal = new ModalBuilder()
    .setCustomId(encodeCustomId('remixed', parent.id))
    .setTitle(t(locale, 'commands.result.remixModalTitle'))
    .addLabelComponents(
      new LabelBuilder().setLabel(t(locale, 'commands.result.promptLabel')).setTextInputComponent(prompt),
      new LabelBuilder()
        .setLabel(t(locale, 'commands.result.negativePromptLabel'))
        .setTextInputComponent(negative),
    );
  await interaction.showModal(modal);
};

/** `text` without `terms` (case-insensitive), where the policy appended them. */
function withoutTerms(text: string, terms: string): string {
  const trimmed = terms.trim();
  if (trimmed === '') return text;
  const at = text.toLowerCase().indexOf(trimmed.toLowerCase());
  return at < 0 ? text : `${text.slice(0, at)}${text.slice(at + trimmed.length)}`;
}

function textField(interaction: ModalSubmitInteraction, id: string): string {
  try {
    return interaction.fields.getTextInputValue(id);
  } catch {
    return '';
  }
}

export const handleRemixSubmit: ModalHandler = async (interaction, [jobId], deps) => {
  const parent = loadFinished(deps, jobId);
  const kind = generationKind(parent);
  const typed = {
    prompt: textField(interaction, REMIX_PROMPT),
    negativePrompt: textField(interaction, REMIX_NEGATIVE),
  };
  const limit = Math.max(deps.config.limits.maxPromptLength, parent.params.negativePrompt.length);
  if (typed.negativePrompt.length > limit) {
    throw new UserError(
      'invalid-options',
      msg('commands.result.negativeTooLong', { length: typed.negativePrompt.length, limit }),
    );
  }
  const origin: JobOrigin = { action: 'remix', messageUrl: messageUrlOf(interaction) };
  const params = toRemixParams(parent.params, typed, parent.result.seeds[0], origin);
  // Blocked terms are checked in what the member typed, less the SFW terms the form was prefilled
  // with; the content policy is applied on top again.
  const { sfwNegativePrompt } = effectivePolicy(deps.config, deps.settings, interaction.guildId);
  const texts = {
    prompt: typed.prompt,
    negativePrompt: withoutTerms(typed.negativePrompt, sfwNegativePrompt),
  };
  await startChild(interaction, deps, parent, kind, params, { texts });
};

/** Info: every parameter, the seeds, the model and the infotext, to the clicker only. */
export const handleInfo: ButtonHandler = async (interaction, [jobId], deps) => {
  const job = jobId === undefined ? undefined : deps.jobs.get(jobId);
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
  const job = loadFinished(deps, jobId);
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
  const job = jobId === undefined ? undefined : deps.jobs.get(jobId);
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
