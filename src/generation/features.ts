/**
 * The optional features of /imagine (LoRAs, styles, hires fix, ADetailer, prompt variants, model
 * families), checked against the servers' lists and the server's policy before anything is sent.
 * Pure: every function takes plain data and returns the new parameters or every problem.
 */
import type { LoraInfo, StyleInfo } from '../engines/types.js';
import { type Message, msg } from '../i18n/translate.js';
import { detectFamily, familyDefaults, type ModelFamily } from '../models/family.js';
import { editDistance } from '../models/match.js';
import type { CustomStyle, FeatureName, FeaturePolicy } from '../policy/policy.js';
import { isAspectRatio, toSizeForAspect } from './aspect.js';
import { checkHiresBudget, hiresTargetSize, type PixelLimits, parseHiresOption } from './hires.js';
import { closestLoras, extractLoraTags, findLora, parseLoraOption } from './loras.js';
import type { GenerationParams } from './request.js';
import { expandVariants, VARIANT_SYNTAX } from './variants.js';

export interface FeatureInput {
  lora?: string | undefined;
  style?: string | undefined;
  hires?: string | undefined;
  adetailer?: boolean | undefined;
}

/** The features in force in one server: its policy within the bot's configured limits. */
export interface EffectiveFeatures {
  allowed: Readonly<Record<FeatureName, boolean>>;
  maxLoras: number;
  maxHiresScale: number;
  hiresUpscaler: string | undefined;
  hiresDenoise: number;
  hiresSteps: number | undefined;
  families: Readonly<Record<string, ModelFamily>>;
  styles: readonly CustomStyle[];
}

/** The second pass's denoising strength when neither the member nor the server names one. */
export const DEFAULT_HIRES_DENOISE = 0.5;

export function toEffectiveFeatures(
  policy: FeaturePolicy | undefined,
  limits: { maxLoras: number; maxHiresScale: number },
): EffectiveFeatures {
  const allowed = policy?.allowed ?? {};
  const maxHiresScale = Math.min(policy?.maxHiresScale ?? limits.maxHiresScale, limits.maxHiresScale);
  const maxLoras = Math.min(policy?.maxLoras ?? limits.maxLoras, limits.maxLoras);
  return {
    allowed: {
      loras: (allowed.loras ?? true) && maxLoras > 0,
      styles: allowed.styles ?? true,
      hires: (allowed.hires ?? true) && maxHiresScale > 1,
      adetailer: allowed.adetailer ?? true,
      variants: allowed.variants ?? true,
    },
    maxLoras,
    maxHiresScale,
    hiresUpscaler: policy?.hiresUpscaler,
    hiresDenoise: policy?.hiresDenoise ?? DEFAULT_HIRES_DENOISE,
    hiresSteps: policy?.hiresSteps,
    families: policy?.families ?? {},
    styles: policy?.styles ?? [],
  };
}

const notAllowed = (feature: FeatureName): Message => {
  switch (feature) {
    case 'loras':
      return msg('refusals.features.lorasOff');
    case 'styles':
      return msg('refusals.features.stylesOff');
    case 'hires':
      return msg('refusals.features.hiresOff');
    case 'adetailer':
      return msg('refusals.features.adetailerOff');
    case 'variants':
      return msg('refusals.features.variantsOff', { syntax: VARIANT_SYNTAX });
  }
};

const quote = (names: readonly string[]) => names.map((name) => `\`${name.replace(/`/g, 'ˋ')}\``).join(', ');
const echo = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);

/** The names nearest to `wanted` (for a refusal). */
function closestNames(wanted: string, names: readonly string[], limit = 3): string[] {
  const lower = wanted.toLowerCase();
  return [...names]
    .map((name) => ({ name, distance: editDistance(lower, name.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}

/** A1111's `merge_prompts`: `{prompt}` in the style stands for the prompt, else they join with `, `. */
export function mergeStylePrompt(style: string, prompt: string): string {
  if (style.includes('{prompt}')) return style.replaceAll('{prompt}', prompt);
  return [prompt.trim(), style.trim()].filter((part) => part !== '').join(', ');
}

export interface LoraPrompt {
  /** The prompt without its `<lora:…>` tags. */
  prompt: string;
  loras: { name: string; weight: number }[];
}

/**
 * The LoRAs a request asks for: the `lora` option and `<lora:name:w>` tags typed in the prompt
 * (taken out of it, so each server gets them its own way). Names are checked later.
 */
export function readLoras(
  prompt: string,
  option: string | undefined,
  maxLoras: number,
): { ok: true; value: LoraPrompt } | { ok: false; problem: Message } {
  const tagged = extractLoraTags(prompt);
  const typed = option === undefined ? { ok: true as const, loras: [] } : parseLoraOption(option, 10);
  if (!typed.ok) return { ok: false, problem: typed.problem };
  const loras = [...tagged.loras];
  for (const lora of typed.loras) {
    if (loras.some((known) => known.name.toLowerCase() === lora.name.toLowerCase())) {
      return { ok: false, problem: msg('refusals.loras.twice', { name: lora.name }) };
    }
    loras.push(lora);
  }
  if (loras.length > maxLoras) {
    return {
      ok: false,
      problem:
        maxLoras === 0
          ? notAllowed('loras')
          : msg('refusals.loras.tooManyPerRequest', { count: loras.length, max: maxLoras }),
    };
  }
  return { ok: true, value: { prompt: tagged.prompt, loras } };
}

export interface VariantPlan {
  variants: { prompt: string; label: string }[];
}

/**
 * `{a|b}` variants of a prompt, one image each within the request's image count (`count` images
 * per variant, at most `maxImages` in all). A prompt without choices gives no variants.
 */
export function planVariants(
  prompt: string,
  count: number,
  maxImages: number,
  allowed: boolean,
): { ok: true; value: VariantPlan } | { ok: false; problem: Message } {
  const expanded = expandVariants(prompt, Math.max(1, Math.floor(maxImages / count)) * 8);
  if (!expanded.ok) return { ok: false, problem: expanded.problem };
  if (expanded.variants.length <= 1) return { ok: true, value: { variants: [] } };
  if (!allowed) return { ok: false, problem: notAllowed('variants') };
  const images = expanded.variants.length * count;
  if (images > maxImages) {
    const params = {
      variants: expanded.variants.length,
      syntax: VARIANT_SYNTAX,
      count,
      images,
      limit: maxImages,
    };
    return {
      ok: false,
      problem: msg(
        count === 1 ? 'refusals.variants.tooManyImagesOne' : 'refusals.variants.tooManyImages',
        params,
      ),
    };
  }
  return {
    ok: true,
    value: {
      variants: expanded.variants.map((variant) => ({
        prompt: variant.text,
        label: echo(variant.choices.map((choice) => (choice === '' ? '∅' : choice)).join(' · ')),
      })),
    },
  };
}

export interface FeatureLists {
  /** Merged over the servers (each name once). */
  loras: readonly LoraInfo[];
  styles: readonly StyleInfo[];
  /** Upscalers a hires pass can use: `/upscalers` and `/latent-upscale-modes`. */
  upscalers: readonly string[];
}

/** Whether any server has each feature at all. */
export interface FeatureAvailability {
  loras: boolean;
  styles: boolean;
  hires: boolean;
  adetailer: boolean;
}

export interface FeatureContext {
  features: EffectiveFeatures;
  lists: FeatureLists;
  available: FeatureAvailability;
  pixels: PixelLimits;
  img2img: boolean;
}

export type FeatureResult = { ok: true; params: GenerationParams } | { ok: false; problems: Message[] };

/**
 * Checks the features of one request and writes them into its parameters. `loras` are the ones
 * `readLoras` found (the prompt in `params` is already without tags). Unknown LoRAs, styles and
 * upscalers are refused with the closest names, before any request.
 */
export function resolveFeatures(
  params: GenerationParams,
  input: FeatureInput & { loras: readonly { name: string; weight: number }[] },
  context: FeatureContext,
): FeatureResult {
  const { features, lists, available } = context;
  const problems: Message[] = [];
  const next: GenerationParams = { ...params };

  if (input.loras.length > 0) {
    if (!features.allowed.loras) problems.push(notAllowed('loras'));
    else if (!available.loras) problems.push(msg('refusals.features.noLoraServer'));
    else {
      const resolved: { name: string; weight: number }[] = [];
      for (const lora of input.loras) {
        const entry = findLora(lora.name, lists.loras);
        if (entry === undefined) {
          const closest = closestLoras(lora.name, lists.loras).map((candidate) => candidate.name);
          problems.push(
            closest.length > 0
              ? msg('refusals.loras.unknownClosest', { name: echo(lora.name), closest: quote(closest) })
              : msg('refusals.loras.unknown', { name: echo(lora.name) }),
          );
        } else resolved.push({ name: entry.name, weight: lora.weight });
      }
      next.loras = resolved;
    }
  }

  if (input.style !== undefined) {
    const wanted = input.style.trim().toLowerCase();
    const own = features.styles.find((style) => style.name.toLowerCase() === wanted);
    const server = lists.styles.find((style) => style.name.toLowerCase() === wanted);
    if (!features.allowed.styles) problems.push(notAllowed('styles'));
    else if (own !== undefined) {
      next.prompt = mergeStylePrompt(own.prompt, next.prompt);
      next.negativePrompt = mergeStylePrompt(own.negativePrompt, next.negativePrompt);
      next.variants = next.variants?.map((variant) => ({
        ...variant,
        prompt: mergeStylePrompt(own.prompt, variant.prompt),
      }));
      next.notes = [...(next.notes ?? []), `Style: ${own.name}`];
    } else if (server !== undefined && available.styles) {
      next.styles = [server.name];
    } else {
      const names = [
        ...features.styles.map((style) => style.name),
        ...lists.styles.map((style) => style.name),
      ];
      const closest = closestNames(input.style, names);
      problems.push(
        closest.length > 0
          ? msg('refusals.styles.unknownClosest', { name: echo(input.style), closest: quote(closest) })
          : msg('refusals.styles.unknownNone', { name: echo(input.style) }),
      );
    }
  }

  if (input.hires !== undefined) {
    const hires = resolveHires(input.hires, next, context);
    if (hires.ok) next.hires = hires.value;
    else problems.push(...hires.problems);
  }

  if (input.adetailer === true) {
    if (!features.allowed.adetailer) problems.push(notAllowed('adetailer'));
    else if (!available.adetailer) problems.push(msg('refusals.features.noAdetailerServer'));
    else next.adetailer = true;
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, params: next };
}

function resolveHires(
  text: string,
  params: GenerationParams,
  context: FeatureContext,
): { ok: true; value: NonNullable<GenerationParams['hires']> } | { ok: false; problems: Message[] } {
  const { features } = context;
  if (!features.allowed.hires) return { ok: false, problems: [notAllowed('hires')] };
  if (!context.available.hires) return { ok: false, problems: [msg('refusals.features.noHiresServer')] };
  if (context.img2img) return { ok: false, problems: [msg('refusals.hires.img2img')] };
  const parsed = parseHiresOption(text, { maxScale: features.maxHiresScale });
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const option = parsed.hires;
  const final = hiresTargetSize(params.width, params.height, option);
  const scale =
    option.scale ??
    Math.round(Math.max(final.width / params.width, final.height / params.height) * 100) / 100;
  const problems: Message[] = [];
  if (final.width <= params.width && final.height <= params.height) {
    problems.push(
      msg('refusals.hires.mustEnlarge', {
        finalWidth: final.width,
        finalHeight: final.height,
        width: params.width,
        height: params.height,
      }),
    );
  } else if (scale > features.maxHiresScale) {
    problems.push(msg('refusals.hires.scaleTooHigh', { scale, max: features.maxHiresScale }));
  }
  problems.push(
    ...checkHiresBudget(
      {
        width: params.width,
        height: params.height,
        finalWidth: final.width,
        finalHeight: final.height,
        count: params.count,
      },
      context.pixels,
    ),
  );
  let upscaler = option.upscaler ?? features.hiresUpscaler;
  if (upscaler !== undefined) {
    const wanted = upscaler.toLowerCase();
    const found = context.lists.upscalers.find((name) => name.toLowerCase() === wanted);
    if (found === undefined) {
      const closest = closestNames(upscaler, context.lists.upscalers);
      problems.push(
        closest.length > 0
          ? msg('refusals.upscaler.unknownClosest', { name: echo(upscaler), closest: quote(closest) })
          : msg('refusals.upscaler.unknown', { name: echo(upscaler) }),
      );
    } else upscaler = found;
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      scale,
      width: final.width,
      height: final.height,
      upscaler,
      denoise: option.denoise ?? features.hiresDenoise,
      steps: option.steps ?? features.hiresSteps,
    },
  };
}

/** A checkpoint's family: the server admins' choice, else what its name and file tell. */
export function familyOfModel(
  model: { title: string; filename?: string | undefined } | undefined,
  overrides: Readonly<Record<string, ModelFamily>>,
  /** The shapes of the embeddings a server loaded with this checkpoint (they fit it), when it is loaded. */
  embeddingShapes: readonly number[] = [],
): ModelFamily {
  if (model === undefined) return 'other';
  const override = overrides[model.title];
  if (override !== undefined) return override;
  return detectFamily({
    name: model.title,
    ...(model.filename === undefined ? {} : { filename: model.filename }),
    ...(embeddingShapes.length === 0 ? {} : { embeddingShapes: [...embeddingShapes] }),
  }).family;
}

export interface FamilyContext {
  /** What the member typed themselves (never overridden). */
  typed: { cfgScale: boolean; size: boolean; scheduler: boolean };
  /** The Discord server set its own default size. */
  serverSize: boolean;
  aspect: string | undefined;
  maxPixels: number;
  maxTotalPixels: number | undefined;
  /** Scheduler labels the servers list (null: none have a scheduler choice). */
  schedulers: readonly string[] | null;
}

/**
 * A family's defaults on what the member left open: the native area for the size (and aspect
 * presets), the cfg, and for Flux cfg 1, the distilled cfg and the Simple scheduler, with a note
 * that its negative prompt is ignored. SD 1.x and unknown families keep the configured defaults.
 */
export function applyFamilyDefaults(
  params: GenerationParams,
  family: ModelFamily,
  context: FamilyContext,
): GenerationParams {
  if (family === 'other') return params;
  const defaults = familyDefaults(family);
  const next: GenerationParams = { ...params, family };
  if (family === 'sd1') return next;
  if (!context.typed.cfgScale) next.cfgScale = defaults.cfg;
  if (!context.typed.size && !context.serverSize && params.width * params.height !== defaults.area) {
    const aspect = context.aspect !== undefined && isAspectRatio(context.aspect) ? context.aspect : '1:1';
    const size = toSizeForAspect(aspect, defaults.aspectArea, context.maxPixels);
    const total = size.width * size.height * params.count;
    if (context.maxTotalPixels === undefined || total <= context.maxTotalPixels) {
      next.width = size.width;
      next.height = size.height;
    }
  }
  if (defaults.distilledCfg !== undefined) next.distilledCfg = defaults.distilledCfg;
  if (defaults.scheduler !== undefined && !context.typed.scheduler && context.schedulers !== null) {
    const wanted = defaults.scheduler.toLowerCase();
    const label = context.schedulers.find((name) => name.toLowerCase() === wanted);
    if (label !== undefined) next.scheduler = label;
  }
  if (defaults.negativePromptIgnored && params.negativePrompt !== '') {
    next.notes = [...(next.notes ?? []), `${familyLabel(family)} models ignore the negative prompt.`];
  }
  return next;
}

function familyLabel(family: ModelFamily): string {
  return family === 'flux' ? 'Flux' : family.toUpperCase();
}
