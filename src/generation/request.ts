import { type Message, msg } from '../i18n/translate.js';
import type { ModelFamily } from '../models/family.js';
import { ASPECT_RATIOS, type AspectRatio, isAspectRatio, toSizeForAspect } from './aspect.js';

/** What a member typed, as Discord delivered it (every field but the prompt optional). */
export interface ImagineInput {
  prompt: string;
  negativePrompt?: string | undefined;
  seed?: number | undefined;
  steps?: number | undefined;
  cfgScale?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  aspect?: string | undefined;
  sampler?: string | undefined;
  scheduler?: string | undefined;
  count?: number | undefined;
  model?: string | undefined;
}

export interface GenerationDefaults {
  steps: number;
  cfgScale: number;
  width: number;
  height: number;
  sampler: string;
  scheduler: string;
  negativePrompt: string;
}

export interface GenerationLimits {
  maxSteps: number;
  maxPixels: number;
  maxCount: number;
  maxPromptLength: number;
  /** Most pixels per request (width × height × count); unset: no limit beyond maxPixels per image. */
  maxTotalPixels?: number | undefined;
}

/** A validated generation, stored with its job; sampler and model are still as typed. */
export interface GenerationParams {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  cfgScale: number;
  width: number;
  height: number;
  count: number;
  sampler: string;
  scheduler: string | undefined;
  /** Checkpoint title, when known. */
  model: string | undefined;
  subseed?: number | undefined;
  subseedStrength?: number | undefined;
  /** img2img: bare base64 of the init image, and its denoising strength. */
  initImage?: string | undefined;
  denoisingStrength?: number | undefined;
  /** How the result reaches Discord (set by the command, read by the job reporter; never sent to the WebUI). */
  delivery?: { attachmentSizeLimit?: number | undefined; spoiler?: boolean | undefined } | undefined;
  /** LoRAs by the name the servers list them under, with weights. */
  loras?: { name: string; weight: number }[] | undefined;
  /** Server styles (`/prompt-styles`) by name; a bot-defined style is already in the prompts. */
  styles?: string[] | undefined;
  /** Hires fix: the final size (the budget counted it), upscaler, denoise and second-pass steps. */
  hires?: HiresParams | undefined;
  /** The face detailer (ADetailer, SD.Next's detailer). */
  adetailer?: boolean | undefined;
  /** The checkpoint's family, when known, and the distilled cfg of guidance-distilled ones (Flux). */
  family?: ModelFamily | undefined;
  distilledCfg?: number | undefined;
  /**
   * `{a|b}` prompt variants: one request per entry (`count` images each), in order; `prompt` above
   * is the text as typed. The reply labels each image with its choices.
   */
  variants?: { prompt: string; label: string }[] | undefined;
  /** Lines the reply adds (e.g. that a Flux model ignores the negative prompt). */
  notes?: string[] | undefined;
  /** Upscale jobs: the WebUI upscaler and the factor; the source image is `initImage`. */
  upscale?: { upscaler: string; factor: number } | undefined;
  /** For a job made by a result button: which button, on which image and message (never sent to the WebUI). */
  origin?: JobOrigin | undefined;
}

export interface HiresParams {
  scale: number;
  /** The final size. */
  width: number;
  height: number;
  upscaler?: string | undefined;
  denoise: number;
  steps?: number | undefined;
}

export interface JobOrigin {
  action: 'reroll' | 'vary' | 'upscale' | 'remix';
  /** 0-based image of the parent's batch (vary, upscale). */
  index?: number | undefined;
  /** Link to the parent's message, when the button was on one. */
  messageUrl?: string | undefined;
}

export type ValidationResult = { ok: true; params: GenerationParams } | { ok: false; problems: Message[] };

const MAX_SEED = 4_294_967_294;
/** Longest sampler, scheduler or model name accepted (they are echoed in refusals). */
const MAX_NAME_LENGTH = 200;

/** A short, single-line excerpt of untrusted text for a refusal message. */
const echo = (text: string) => {
  const line = cleanText(text).replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Removes control characters (keeps newlines and tabs) and trims. */
export function cleanText(text: string): string {
  return text.replace(CONTROL_CHARS, '').trim();
}

type RangeKey =
  | 'refusals.imagine.seedRange'
  | 'refusals.imagine.stepsRange'
  | 'refusals.imagine.countRange'
  | 'refusals.imagine.widthRange'
  | 'refusals.imagine.heightRange';

function checkInteger(
  problems: Message[],
  key: RangeKey,
  value: number | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || !Number.isInteger(value) || value < min || value > max) {
    problems.push(msg(key, { min, max }));
    return undefined;
  }
  return value;
}

/**
 * Maps what a member typed plus the defaults to validated parameters. Policy: anything out of
 * range is refused with one message listing every problem, before any request is made; nothing
 * is clamped silently.
 */
// Long on purpose: one pass over every option that collects each problem, so the member sees them all at once.
export function validateImagineInput(
  input: ImagineInput,
  defaults: GenerationDefaults,
  limits: GenerationLimits,
): ValidationResult {
  const problems: Message[] = [];
  const prompt = cleanText(input.prompt ?? '');
  if (prompt === '') problems.push(msg('refusals.imagine.promptEmpty'));
  if (prompt.length > limits.maxPromptLength) {
    problems.push(
      msg('refusals.imagine.promptTooLong', { length: prompt.length, limit: limits.maxPromptLength }),
    );
  }
  const negativePrompt = cleanText(input.negativePrompt ?? defaults.negativePrompt);
  if (negativePrompt.length > limits.maxPromptLength) {
    problems.push(
      msg('refusals.imagine.negativeTooLong', {
        length: negativePrompt.length,
        limit: limits.maxPromptLength,
      }),
    );
  }

  const seed =
    input.seed === undefined || input.seed === -1
      ? -1
      : checkInteger(problems, 'refusals.imagine.seedRange', input.seed, 0, MAX_SEED);
  const steps =
    checkInteger(problems, 'refusals.imagine.stepsRange', input.steps, 1, limits.maxSteps) ?? defaults.steps;
  let cfgScale = defaults.cfgScale;
  if (input.cfgScale !== undefined) {
    if (!Number.isFinite(input.cfgScale) || input.cfgScale < 1 || input.cfgScale > 30) {
      problems.push(msg('refusals.imagine.cfgRange', { min: 1, max: 30 }));
    } else cfgScale = Math.round(input.cfgScale * 100) / 100;
  }
  const count = checkInteger(problems, 'refusals.imagine.countRange', input.count, 1, limits.maxCount) ?? 1;
  for (const [key, value] of [
    ['refusals.imagine.samplerNameTooLong', input.sampler],
    ['refusals.imagine.schedulerNameTooLong', input.scheduler],
    ['refusals.imagine.modelNameTooLong', input.model],
  ] as const) {
    if (value !== undefined && value.length > MAX_NAME_LENGTH) {
      problems.push(msg(key, { length: value.length, limit: MAX_NAME_LENGTH }));
    }
  }

  let width = checkInteger(problems, 'refusals.imagine.widthRange', input.width, 64, 2048);
  let height = checkInteger(problems, 'refusals.imagine.heightRange', input.height, 64, 2048);
  for (const [key, value] of [
    ['refusals.imagine.widthMultiple', width],
    ['refusals.imagine.heightMultiple', height],
  ] as const) {
    if (value !== undefined && value % 8 !== 0) problems.push(msg(key, { multiple: 8, value }));
  }

  if (input.aspect !== undefined) {
    if (!isAspectRatio(input.aspect)) {
      problems.push(
        msg('refusals.imagine.aspectUnknown', {
          aspect: echo(input.aspect),
          choices: ASPECT_RATIOS.join(', '),
        }),
      );
    } else if (input.width !== undefined || input.height !== undefined) {
      problems.push(msg('refusals.imagine.aspectAndSize'));
    } else {
      const size = toSizeForAspect(
        input.aspect as AspectRatio,
        defaults.width * defaults.height,
        limits.maxPixels,
      );
      width = size.width;
      height = size.height;
    }
  }
  width ??= defaults.width;
  height ??= defaults.height;
  if (width * height > limits.maxPixels) {
    problems.push(
      msg('refusals.imagine.tooManyPixels', {
        width,
        height,
        pixels: width * height,
        limit: limits.maxPixels,
        side: Math.floor(Math.sqrt(limits.maxPixels) / 8) * 8,
      }),
    );
  }

  const total = width * height * count;
  if (limits.maxTotalPixels !== undefined && total > limits.maxTotalPixels) {
    problems.push(
      msg(count === 1 ? 'refusals.imagine.totalPixelsOne' : 'refusals.imagine.totalPixels', {
        count,
        width,
        height,
        total,
        limit: limits.maxTotalPixels,
      }),
    );
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    params: {
      prompt,
      negativePrompt,
      seed: seed ?? -1,
      steps,
      cfgScale,
      width,
      height,
      count,
      sampler: cleanText(input.sampler ?? '') || defaults.sampler,
      scheduler:
        input.sampler !== undefined && input.scheduler === undefined
          ? undefined
          : cleanText(input.scheduler ?? '') || defaults.scheduler,
      model: input.model === undefined ? undefined : cleanText(input.model) || undefined,
    },
  };
}
