/** Reroll, Vary and Upscale: a child job of a finished one, admitted and queued as /imagine is. */
import { SdError } from '../../engines/errors.js';
import {
  checkDerivedLimits,
  toRerollParams,
  toUpscaleParams,
  toVaryParams,
} from '../../generation/derive.js';
import type { GenerationParams, JobOrigin } from '../../generation/request.js';
import { msg } from '../../i18n/translate.js';
import { loadSharp } from '../../images/sharp.js';
import type { JobKind } from '../../jobs/types.js';
import { UserError } from '../../user-error.js';
import { admitGeneration } from '../intake/admission.js';
import type { BotDeps, ButtonHandler } from '../intake/command.js';
import type { Ticket } from '../intake/member-order.js';
import { whenProbed } from '../intake/probed.js';
import { refuseWhileStopping, submitGeneration, toLimitRefusal } from '../intake/submit.js';
import {
  type ActionInteraction,
  type FinishedJob,
  generationKind,
  imageIndex,
  loadFinished,
  messageUrlOf,
  seedOf,
} from './finished-job.js';

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
export async function startChild(
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
  const admission = await admitGeneration(interaction, deps, options.texts ?? { prompt: params.prompt });
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

export const handleReroll: ButtonHandler = async (interaction, [jobId], deps) => {
  const parent = await loadFinished(deps, jobId);
  const origin: JobOrigin = { action: 'reroll', messageUrl: messageUrlOf(interaction) };
  await startChild(interaction, deps, parent, generationKind(parent), toRerollParams(parent.params, origin));
};

export const handleVary: ButtonHandler = async (interaction, [jobId, rawIndex], deps) => {
  const parent = await loadFinished(deps, jobId);
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
  const parent = await loadFinished(deps, jobId);
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
