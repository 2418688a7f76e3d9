import type { ChatInputCommandInteraction } from 'discord.js';
import { admitGeneration } from '../src/discord/intake/admission.js';
import { autocompleteGenerationOption } from '../src/discord/intake/autocomplete.js';
import type { BotDeps, Command } from '../src/discord/intake/command.js';
import { applyImagineFeatures, fetchFeatureLists } from '../src/discord/intake/imagine-features.js';
import type { Ticket } from '../src/discord/intake/member-order.js';
import { whenProbed } from '../src/discord/intake/probed.js';
import { refuseUnroutable } from '../src/discord/intake/routable.js';
import { submitGeneration } from '../src/discord/intake/submit.js';
import { prepareImg2Img, readImg2ImgOptions } from '../src/discord/uploads/img2img-option.js';
import {
  type FeatureInput,
  planVariants,
  readLoras,
  toEffectiveFeatures,
} from '../src/generation/features.js';
import { resolveAgainstCatalog } from '../src/generation/prepare.js';
import { type ImagineInput, validateImagineInput } from '../src/generation/request.js';
import { resolveLocale } from '../src/i18n/locales.js';
import { loadGuildPolicy, serverDefaults } from '../src/policy/guild-policy.js';
import { UserError } from '../src/user-error.js';
import { imagineData as data } from './imagine/definition.js';

/** Reads the options as typed; absent ones stay undefined. */
export function readImagineInput(interaction: ChatInputCommandInteraction): ImagineInput {
  const options = interaction.options;
  return {
    prompt: options.getString('prompt', true),
    negativePrompt: options.getString('negative_prompt') ?? undefined,
    aspect: options.getString('aspect') ?? undefined,
    width: options.getInteger('width') ?? undefined,
    height: options.getInteger('height') ?? undefined,
    steps: options.getInteger('steps') ?? undefined,
    cfgScale: options.getNumber('cfg_scale') ?? undefined,
    seed: options.getInteger('seed') ?? undefined,
    sampler: options.getString('sampler') ?? undefined,
    scheduler: options.getString('scheduler') ?? undefined,
    count: options.getInteger('count') ?? undefined,
    model: options.getString('model') ?? undefined,
  };
}

/** The model a WebUI has loaded now: known from the runner, else asked of the backends in turn. */
async function currentModel(deps: BotDeps): Promise<string | undefined> {
  const known = deps.runner.backends().find((backend) => backend.loadedModel !== undefined)?.loadedModel;
  if (known !== undefined) return known;
  for (const backend of deps.backends) {
    try {
      const loaded = (await backend.engine.loadedModel()) ?? undefined;
      deps.runner.setLoadedModel(backend.id, loaded);
      if (loaded !== undefined) return loaded;
    } catch {
      // Down: the next backend may know; with none, the job carries no override.
    }
  }
  return undefined;
}

/**
 * The model a job gets when neither the member nor the server's default names one: the one loaded
 * now, so every server that can switch makes the same image. Where a server has a fixed model, no
 * model: a model nobody chose must not keep jobs off that server (a mixed pool works as one).
 */
async function unchosenModel(deps: BotDeps): Promise<string | undefined> {
  await whenProbed(deps.backends);
  if (deps.backends.some((backend) => backend.engine.capabilities.models === 'fixed')) return undefined;
  return currentModel(deps);
}

async function execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  const ticket = deps.memberOrder.take(interaction.user.id);
  try {
    await queueImagine(interaction, deps, ticket);
  } finally {
    ticket.done();
  }
}

/** The feature options as typed (see `src/generation/features.ts`). */
export function readFeatureInput(interaction: ChatInputCommandInteraction): FeatureInput {
  const options = interaction.options;
  return {
    lora: options.getString('lora') ?? undefined,
    style: options.getString('style') ?? undefined,
    hires: options.getString('hires') ?? undefined,
    adetailer: options.getBoolean('adetailer') ?? undefined,
  };
}

async function queueImagine(
  interaction: ChatInputCommandInteraction,
  deps: BotDeps,
  ticket: Ticket,
): Promise<void> {
  const { config } = deps;
  const input = readImagineInput(interaction);
  const featureInput = readFeatureInput(interaction);
  const guildPolicy = loadGuildPolicy(deps.settings, interaction.guildId);
  const features = toEffectiveFeatures(guildPolicy.features, config.limits);
  const validation = validateImagineInput(input, serverDefaults(deps, interaction.guildId), config.limits);
  if (!validation.ok) throw new UserError('invalid-options', validation.problems);
  // LoRA tags typed in the prompt come out of it (each server gets them its own way); then {a|b}.
  const loras = readLoras(validation.params.prompt, featureInput.lora, features.maxLoras);
  if (!loras.ok) throw new UserError('invalid-options', loras.problem);
  const plan = planVariants(
    loras.value.prompt,
    validation.params.count,
    config.limits.maxCount,
    features.allowed.variants,
  );
  if (!plan.ok) throw new UserError('invalid-options', plan.problem);
  const validated = {
    ...validation.params,
    prompt: loras.value.prompt,
    ...(plan.value.variants.length > 0 ? { variants: plan.value.variants } : {}),
  };
  const img2img = readImg2ImgOptions(interaction, config);
  // Blocked terms (in every variant) and quotas, before anything reaches the WebUI (throws a UserError).
  const admission = await admitGeneration(interaction, deps, {
    prompt: validation.params.prompt,
    negativePrompt: input.negativePrompt,
    variants: plan.value.variants.map((variant) => variant.prompt),
  });
  try {
    await interaction.deferReply();
    const request = {
      input,
      featureInput,
      loras: loras.value.loras,
      features,
      serverSize: guildPolicy.defaults.width !== undefined,
      img2img: img2img.attachment !== undefined,
    };
    const [samplers, schedulers, models, lists] = await Promise.all([
      deps.catalog.get('samplers'),
      deps.catalog.get('schedulers'),
      deps.catalog.get('models'),
      fetchFeatureLists(deps, request),
    ]);
    const guildDefault =
      interaction.guildId === null ? undefined : deps.settings.get(interaction.guildId).defaultModel;
    const fallback = guildDefault ?? (await unchosenModel(deps));
    const resolved = resolveAgainstCatalog(validated, { samplers, schedulers, models }, fallback, {
      sampler: input.sampler !== undefined,
      scheduler: input.scheduler !== undefined,
    });
    const withFeatures = applyImagineFeatures(deps, resolved, { models, schedulers, lists }, request);
    const prepared = await prepareImg2Img(img2img, withFeatures, input, config);
    await refuseUnroutable(deps, prepared, resolveLocale(interaction.locale));
    const admitted = admission.apply(prepared.params);
    await submitGeneration(interaction, deps, prepared.kind, admitted, null, {
      onQueued: () => admission.accepted(admitted),
      ticket,
    });
  } catch (error: unknown) {
    // No job came of it (a refusal or failure before the queue): the quota place goes back.
    admission.release();
    throw error;
  }
}

export const imagine: Command = { data, execute, autocomplete: autocompleteGenerationOption };
