import type { CatalogLists } from '../catalog/catalog.js';
import { cleanText, type GenerationDefaults, type GenerationLimits } from '../generation/request.js';
import { resolveSampler } from '../generation/sampler.js';
import { type Message, msg } from '../i18n/translate.js';
import { closestModels, findModel } from '../models/match.js';
import { type Change, isWhole, unknownModel } from './change.js';
import type { GuildPolicy } from './policy.js';

/** `/settings defaults`: the server's own /imagine defaults and default model. */
export const DEFAULTS_RESETS = ['all', 'model', 'negative_prompt', 'steps', 'size', 'sampler'] as const;
export type DefaultsReset = (typeof DEFAULTS_RESETS)[number];

export interface DefaultsInput {
  model?: string | undefined;
  negativePrompt?: string | undefined;
  steps?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  sampler?: string | undefined;
  scheduler?: string | undefined;
  reset?: DefaultsReset | undefined;
}

export interface DefaultsContext {
  configured: GenerationDefaults;
  limits: GenerationLimits;
  /** Live lists; only needed when a sampler, scheduler or model is given. */
  lists: Partial<CatalogLists>;
}

/** The new policy and the server's default model (`null`: cleared, `undefined`: unchanged). */
export interface DefaultsOutcome {
  policy: GuildPolicy;
  model: string | null | undefined;
}

// Long on purpose: one pass over every option that collects each problem, so nothing changes unless all pass.
export function planDefaultsChange(
  current: GuildPolicy,
  input: DefaultsInput,
  context: DefaultsContext,
): Change<DefaultsOutcome> {
  const problems: Message[] = [];
  const summary: Message[] = [];
  const defaults = { ...current.defaults };
  let model: string | null | undefined;
  const reset = input.reset;
  if (reset !== undefined) {
    if (reset === 'all' || reset === 'model') model = null;
    if (reset === 'all')
      for (const key of Object.keys(defaults)) delete defaults[key as keyof typeof defaults];
    if (reset === 'negative_prompt') delete defaults.negativePrompt;
    if (reset === 'steps') delete defaults.steps;
    if (reset === 'size') {
      delete defaults.width;
      delete defaults.height;
    }
    if (reset === 'sampler') {
      delete defaults.sampler;
      delete defaults.scheduler;
    }
    summary.push(
      reset === 'all'
        ? msg('refusals.settings.resetAll')
        : msg('refusals.settings.reset', { what: reset.replace('_', ' ') }),
    );
  }

  if (input.model !== undefined) {
    const found = findModel(input.model, context.lists.models ?? []);
    if (found === undefined) {
      const closest = closestModels(input.model, context.lists.models ?? []).map(
        (candidate) => `\`${candidate.title}\``,
      );
      problems.push(unknownModel(input.model, closest));
    } else {
      model = found.title;
      summary.push(msg('refusals.settings.defaultModel', { model: found.title }));
    }
  }
  if (input.negativePrompt !== undefined) {
    const text = cleanText(input.negativePrompt);
    if (text.length > context.limits.maxPromptLength) {
      problems.push(
        msg('refusals.imagine.negativeTooLong', {
          length: text.length,
          limit: context.limits.maxPromptLength,
        }),
      );
    } else {
      defaults.negativePrompt = text;
      summary.push(
        text === ''
          ? msg('refusals.settings.defaultNegativeNone')
          : msg('refusals.settings.defaultNegativeSet'),
      );
    }
  }
  if (input.steps !== undefined) {
    if (!isWhole(input.steps, 1, context.limits.maxSteps)) {
      problems.push(msg('refusals.settings.stepsRange', { min: 1, max: context.limits.maxSteps }));
    } else {
      defaults.steps = input.steps;
      summary.push(msg('refusals.settings.defaultSteps', { steps: input.steps }));
    }
  }
  let sizeOk = true;
  for (const [key, value] of [
    ['refusals.settings.widthRange', input.width],
    ['refusals.settings.heightRange', input.height],
  ] as const) {
    if (value === undefined) continue;
    if (!isWhole(value, 64, 2048) || value % 8 !== 0) {
      problems.push(msg(key, { multiple: 8, min: 64, max: 2048, value }));
      sizeOk = false;
    }
  }
  if (sizeOk && (input.width !== undefined || input.height !== undefined)) {
    const width = input.width ?? defaults.width ?? context.configured.width;
    const height = input.height ?? defaults.height ?? context.configured.height;
    if (width * height > context.limits.maxPixels) {
      problems.push(
        msg('refusals.settings.tooManyPixels', {
          width,
          height,
          pixels: width * height,
          limit: context.limits.maxPixels,
        }),
      );
    } else {
      defaults.width = width;
      defaults.height = height;
      summary.push(msg('refusals.settings.defaultSize', { width, height }));
    }
  }
  if (input.sampler !== undefined || input.scheduler !== undefined) {
    const samplerName = input.sampler ?? defaults.sampler ?? context.configured.sampler;
    const resolved = resolveSampler(
      samplerName,
      input.scheduler,
      context.lists.samplers ?? [],
      context.lists.schedulers ?? null,
    );
    if (!resolved.ok) problems.push(resolved.message);
    else {
      defaults.sampler = resolved.sampler;
      // A sampler without a scheduler gets the WebUI's automatic choice, as it does in /imagine.
      const automatic = context.lists.schedulers?.find((scheduler) => scheduler.name === 'automatic')?.label;
      const scheduler = resolved.scheduler ?? (input.sampler !== undefined ? automatic : undefined);
      if (scheduler !== undefined) defaults.scheduler = scheduler;
      else if (input.sampler !== undefined) delete defaults.scheduler;
      summary.push(
        scheduler === undefined
          ? msg('refusals.settings.defaultSampler', { sampler: resolved.sampler })
          : msg('refusals.settings.defaultSamplerScheduler', { sampler: resolved.sampler, scheduler }),
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: [msg('refusals.settings.nothingToChange')] };
  return { ok: true, value: { policy: { ...current, defaults }, model }, summary };
}
