import { type Message, msg } from '../i18n/translate.js';
import { cleanText, type GenerationLimits, type GenerationParams, type JobOrigin } from './request.js';

/**
 * Parameters for the jobs that result buttons start, derived from the parent's stored parameters.
 * Pure: the handlers in `src/discord/results/child-jobs.ts` and `remix.ts` load the parent and submit the child.
 */

/** What a child never inherits: the parent's own origin and any upscale settings. */
function inherit(parent: GenerationParams, origin: JobOrigin): GenerationParams {
  const { origin: _origin, upscale: _upscale, ...rest } = parent;
  return { ...rest, origin };
}

/** Reroll: the same parameters with a new random seed (a variation's subseed is dropped). */
export function toRerollParams(parent: GenerationParams, origin: JobOrigin): GenerationParams {
  return { ...inherit(parent, origin), seed: -1, subseed: undefined, subseedStrength: undefined };
}

/** Vary: the chosen image's seed, a random subseed mixed in at `strength` (A1111 `subseed_strength`). */
export function toVaryParams(
  parent: GenerationParams,
  seed: number,
  strength: number,
  origin: JobOrigin,
): GenerationParams {
  return {
    ...oneVariant(inherit(parent, origin), origin.index),
    seed,
    subseed: -1,
    subseedStrength: strength,
  };
}

/**
 * A job made from one image of a `{a|b}` job keeps that image's variant alone (images come `count`
 * per variant, in order); without an image, no variant (a remix brings its own prompt).
 */
export function oneVariant(params: GenerationParams, index: number | undefined): GenerationParams {
  const variants = params.variants ?? [];
  if (variants.length === 0) return params;
  const variant = index === undefined ? undefined : variants[Math.floor(index / Math.max(1, params.count))];
  return { ...params, variants: undefined, ...(variant === undefined ? {} : { prompt: variant.prompt }) };
}

/** Remix: new prompts; the parent's first seed, so the composition stays recognisable. */
export function toRemixParams(
  parent: GenerationParams,
  texts: { prompt: string; negativePrompt: string },
  firstSeed: number | undefined,
  origin: JobOrigin,
): GenerationParams {
  return {
    ...oneVariant(inherit(parent, origin), undefined),
    prompt: cleanText(texts.prompt),
    negativePrompt: cleanText(texts.negativePrompt),
    seed: firstSeed ?? parent.seed,
  };
}

/** Upscale: one image, the source as bare base64, the output size; no checkpoint involved. */
export function toUpscaleParams(
  parent: GenerationParams,
  source: { base64: string; width: number; height: number; seed: number },
  upscale: { upscaler: string; factor: number },
  origin: JobOrigin,
): GenerationParams {
  return {
    ...oneVariant(inherit(parent, origin), origin.index),
    seed: source.seed,
    subseed: undefined,
    subseedStrength: undefined,
    denoisingStrength: undefined,
    count: 1,
    width: Math.round(source.width * upscale.factor),
    height: Math.round(source.height * upscale.factor),
    model: undefined,
    initImage: source.base64,
    upscale,
  };
}

/**
 * The limits a derived job must still meet (the configuration may have changed since its parent
 * ran, and a remix brings new prompts). Empty when it passes; otherwise one message per problem.
 */
export function checkDerivedLimits(params: GenerationParams, limits: GenerationLimits): Message[] {
  const problems: Message[] = [];
  if (params.upscale !== undefined) {
    const pixels = params.width * params.height;
    const budget = limits.maxTotalPixels ?? limits.maxPixels;
    if (pixels > budget) {
      problems.push(
        msg('refusals.derived.upscaleTooLarge', {
          factor: params.upscale.factor,
          width: params.width,
          height: params.height,
          pixels,
          limit: budget,
        }),
      );
    }
    return problems;
  }
  if (params.prompt === '') problems.push(msg('refusals.imagine.promptEmpty'));
  for (const [key, text] of [
    ['refusals.imagine.promptTooLong', params.prompt],
    ['refusals.imagine.negativeTooLong', params.negativePrompt],
  ] as const) {
    if (text.length > limits.maxPromptLength) {
      problems.push(msg(key, { length: text.length, limit: limits.maxPromptLength }));
    }
  }
  if (params.steps > limits.maxSteps) problems.push(msg('refusals.derived.steps', { max: limits.maxSteps }));
  if (params.count > limits.maxCount) problems.push(msg('refusals.derived.count', { max: limits.maxCount }));
  if (params.width * params.height > limits.maxPixels) {
    problems.push(
      msg('refusals.derived.tooManyPixels', {
        width: params.width,
        height: params.height,
        limit: limits.maxPixels,
      }),
    );
  }
  const total = params.width * params.height * params.count;
  if (limits.maxTotalPixels !== undefined && total > limits.maxTotalPixels) {
    problems.push(
      msg('refusals.derived.totalPixels', {
        count: params.count,
        width: params.width,
        height: params.height,
        total,
        limit: limits.maxTotalPixels,
      }),
    );
  }
  return problems;
}
