/**
 * What one sd-server request asks for, decided as the real server decides it
 * (`build_sdapi_img_gen_request`, `SDGenerationParams::from_json_str`, `resolve`, `validate`,
 * `align_image_size`, `resolve_hires`): a pure function of the parsed body and a little context.
 */
import {
  DEFAULT_SAMPLER,
  defaultScheduler,
  HIRES_UPSCALERS,
  toSdapiSampler,
  toSdcppSampler,
  toSdcppScheduler,
} from './catalog.js';
import { kindOf, NlohmannError, readerOf } from './json-value.js';

/** Width × height multiple the diffusion model needs (VAE factor 8 × UNet down factor 8). */
const SPATIAL_MULTIPLE = 64;
const DEFAULT_STEPS = 20;
const DEFAULT_CFG = 7;
const DEFAULT_STRENGTH = 0.75;

export interface GenerationPlan {
  kind: 'txt2img' | 'img2img';
  prompt: string;
  negativePrompt: string;
  seed: number;
  cfgScale: number;
  steps: number;
  batch: number;
  /** -1 when not set. */
  clipSkip: number;
  /** `null`: the model's default ran (`info.sampler_name` is `NONE`). */
  sampler: string | null;
  scheduler: string | null;
  /** What `info` reports: the size asked for (512 when unset, or the init image's). */
  width: number;
  height: number;
  /** The PNG's size: rounded up to 64, or the hires target. */
  outputWidth: number;
  outputHeight: number;
  /** img2img only. */
  strength: number | null;
  hires: { upscaler: string; steps: number; denoisingStrength: number } | null;
  loras: { path: string; multiplier: number }[];
  outputFormat: 'png' | 'jpeg';
}

export type PlanResult =
  | { ok: true; plan: GenerationPlan }
  | { ok: false; status: 400 | 500; body: Record<string, unknown> };

export interface PlanContext {
  /** LoRA paths sd-server has cached (it fills the cache only when a route lists LoRAs). */
  loras: readonly string[];
  /** Upscaler model file names (`--hires-upscalers-dir`); stems are accepted as `hr_upscaler`. */
  upscalerModels: readonly string[];
  /** Whole seconds of the server's clock, for `seed < 0`. */
  nowSeconds: number;
  /** Seeds from the clock: glibc's first `rand()` after `srand(nowSeconds)`. */
  clockSeed: (seconds: number) => number;
  /** Width/height of a base64 image (anything before a comma ignored), or null if it does not decode. */
  probeImage: (text: string) => { width: number; height: number } | null;
}

interface Draft {
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  steps: number;
  cfgScale: number;
  seed: number;
  batch: number;
  clipSkip: number;
  sampler: string | null;
  scheduler: string | null;
  strength: number;
  hiresEnabled: boolean;
  hiresUpscaler: string;
  hiresScale: number;
  hiresWidth: number;
  hiresHeight: number;
  hiresSteps: number;
  hiresDenoising: number;
  loras: Map<string, number>;
  hasInitImage: boolean;
}

function emptyDraft(): Draft {
  return {
    prompt: '',
    negativePrompt: '',
    width: -1,
    height: -1,
    steps: DEFAULT_STEPS,
    cfgScale: DEFAULT_CFG,
    seed: -1,
    batch: 1,
    clipSkip: -1,
    sampler: null,
    scheduler: null,
    strength: DEFAULT_STRENGTH,
    hiresEnabled: false,
    hiresUpscaler: 'Latent',
    hiresScale: 2,
    hiresWidth: 0,
    hiresHeight: 0,
    hiresSteps: 0,
    hiresDenoising: 0.7,
    loras: new Map(),
    hasInitImage: false,
  };
}

function serverError(error: unknown): PlanResult {
  if (error instanceof NlohmannError) {
    return { ok: false, status: 500, body: { error: 'server_error', message: error.message } };
  }
  throw error;
}

function badRequest(message: string): PlanResult {
  return { ok: false, status: 400, body: { error: message } };
}

/** POST /sdapi/v1/txt2img and /img2img with an already parsed body. */
export function planSdapiRequest(body: unknown, img2img: boolean, context: PlanContext): PlanResult {
  try {
    return planSdapi(body, img2img, context);
  } catch (error: unknown) {
    return serverError(error);
  }
}

function planSdapi(body: unknown, img2img: boolean, context: PlanContext): PlanResult {
  const j = readerOf(body);
  const draft = emptyDraft();
  const prompt = j.string('prompt', '');
  const negativePrompt = j.string('negative_prompt', '');
  const width = j.integer('width', 512);
  const height = j.integer('height', 512);
  const steps = j.integer('steps', DEFAULT_STEPS);
  const cfgScale = j.number('cfg_scale', DEFAULT_CFG);
  const seed = j.integer('seed', -1);
  const batch = j.integer('batch_size', 1);
  const clipSkip = j.integer('clip_skip', -1);
  const samplerName = j.string('sampler_name', '');
  const schedulerName = j.string('scheduler', '');
  if (width <= 0 || height <= 0) {
    return badRequest('width and height must be positive');
  }
  if (prompt === '') {
    return badRequest('prompt required');
  }
  Object.assign(draft, { prompt, negativePrompt, steps, cfgScale, seed, batch });
  draft.width = j.integer('width', -1);
  draft.height = j.integer('height', -1);
  if (!img2img && j.boolean('enable_hr', false)) {
    draft.hiresEnabled = true;
    draft.hiresScale = j.number('hr_scale', draft.hiresScale);
    draft.hiresWidth = j.integer('hr_resize_x', draft.hiresWidth);
    draft.hiresHeight = j.integer('hr_resize_y', draft.hiresHeight);
    draft.hiresSteps = j.integer('hr_steps', draft.hiresSteps);
    draft.hiresDenoising = j.number('denoising_strength', draft.hiresDenoising);
    draft.hiresUpscaler = j.string('hr_upscaler', draft.hiresUpscaler);
  }
  const extra = extractExtraArgs(draft.prompt);
  draft.prompt = extra.prompt;
  if (extra.args !== null && extra.args !== '' && safeParse(extra.args) === undefined) {
    return badRequest('invalid sd_cpp_extra_args');
  }
  if (clipSkip > 0) {
    draft.clipSkip = clipSkip;
  }
  draft.sampler = toSdapiSampler(samplerName);
  draft.scheduler = toSdcppScheduler(schedulerName);

  const lora = j.raw('lora');
  if (Array.isArray(lora)) {
    for (const item of lora) {
      if (kindOf(item) !== 'object') {
        continue;
      }
      const entry = readerOf(item);
      const path = entry.string('path', '');
      const multiplier = entry.number('multiplier', 1);
      entry.boolean('is_high_noise', false);
      if (path === '') {
        return badRequest('lora.path required');
      }
      if (!context.loras.includes(path)) {
        return badRequest(`invalid lora path: ${path}`);
      }
      draft.loras.set(path, (draft.loras.get(path) ?? 0) + multiplier);
    }
  }

  if (img2img) {
    const initImages = j.raw('init_images');
    if (Array.isArray(initImages) && initImages.length > 0) {
      const first: unknown = initImages[0];
      if (typeof first !== 'string') {
        throw new NlohmannError(
          `[json.exception.type_error.302] type must be string, but is ${kindOf(first)}`,
        );
      }
      const size = context.probeImage(first);
      if (size !== null) {
        draft.hasInitImage = true;
        if (draft.width <= 0 || draft.height <= 0) {
          draft.width = size.width;
          draft.height = size.height;
        }
      }
    }
    const mask = j.raw('mask');
    if (typeof mask === 'string') {
      const size = context.probeImage(mask);
      if (size !== null && (draft.width <= 0 || draft.height <= 0)) {
        draft.width = size.width;
        draft.height = size.height;
      }
      j.integer('inpainting_mask_invert', 0);
    }
    const denoising = j.number('denoising_strength', -1);
    if (denoising >= 0) {
      draft.strength = Math.min(denoising, 1);
    }
  }
  return resolve(draft, img2img, context, 'invalid params');
}

/** POST /sdcpp/v1/img_gen with an already parsed body (`from_json_str`: wrong types are skipped). */
export function planNativeRequest(body: unknown, context: PlanContext): PlanResult {
  try {
    return planNative(body, context);
  } catch (error: unknown) {
    return serverError(error);
  }
}

function planNative(body: unknown, context: PlanContext): PlanResult {
  const invalid = badRequest('invalid generation parameters');
  const object: Record<string, unknown> = kindOf(body) === 'object' ? (body as Record<string, unknown>) : {};
  const draft = emptyDraft();
  // The server's default generation parameters (`--seed` defaults to 42), not the sdapi's -1.
  draft.seed = 42;
  const str = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
  const int = (value: unknown, fallback: number): number =>
    Number.isInteger(value) ? Number(value) : fallback;
  const num = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
  draft.prompt = str(object.prompt, draft.prompt);
  draft.negativePrompt = str(object.negative_prompt, draft.negativePrompt);
  draft.clipSkip = int(object.clip_skip, draft.clipSkip);
  draft.width = int(object.width, draft.width);
  draft.height = int(object.height, draft.height);
  draft.batch = int(object.batch_count, draft.batch);
  draft.seed = int(object.seed, draft.seed);
  draft.strength = num(object.strength, draft.strength);
  const hires = object.hires;
  if (kindOf(hires) === 'object') {
    const h = hires as Record<string, unknown>;
    draft.hiresEnabled = typeof h.enabled === 'boolean' ? h.enabled : draft.hiresEnabled;
    draft.hiresUpscaler = str(h.upscaler, draft.hiresUpscaler);
    draft.hiresScale = num(h.scale, draft.hiresScale);
    draft.hiresWidth = int(h.target_width, draft.hiresWidth);
    draft.hiresHeight = int(h.target_height, draft.hiresHeight);
    draft.hiresSteps = int(h.steps, draft.hiresSteps);
    draft.hiresDenoising = num(h.denoising_strength, draft.hiresDenoising);
  }
  const sample = object.sample_params;
  if (kindOf(sample) === 'object') {
    const s = sample as Record<string, unknown>;
    draft.steps = int(s.sample_steps, draft.steps);
    if (typeof s.sample_method === 'string') {
      draft.sampler = toSdcppSampler(s.sample_method) ?? draft.sampler;
    }
    if (typeof s.scheduler === 'string') {
      draft.scheduler = toSdcppScheduler(s.scheduler) ?? draft.scheduler;
    }
    const guidance = s.guidance;
    if (kindOf(guidance) === 'object') {
      draft.cfgScale = num((guidance as Record<string, unknown>).txt_cfg, draft.cfgScale);
    }
  }
  if (Object.hasOwn(object, 'lora')) {
    if (!Array.isArray(object.lora)) {
      return invalid;
    }
    for (const item of object.lora as unknown[]) {
      if (kindOf(item) !== 'object') {
        return invalid;
      }
      const entry = readerOf(item);
      const path = entry.string('path', '');
      if (path === '' || !context.loras.includes(path)) {
        return invalid;
      }
      const multiplier = entry.number('multiplier', 1);
      entry.boolean('is_high_noise', false);
      draft.loras.set(path, (draft.loras.get(path) ?? 0) + multiplier);
    }
  }
  for (const key of ['init_image', 'mask_image', 'control_image', 'ip_adapter_image', 'end_image']) {
    if (!Object.hasOwn(object, key) || object[key] === null) {
      continue;
    }
    const value = object[key];
    if (typeof value !== 'string' || context.probeImage(value) === null) {
      return invalid;
    }
    if (key === 'init_image') {
      draft.hasInitImage = true;
    }
  }
  const j = readerOf(body);
  const format = j.string('output_format', 'png').toLowerCase();
  j.integer('output_compression', 100);
  if (format !== 'png' && format !== 'jpeg') {
    return badRequest('invalid output_format, must be one of [png, jpeg]');
  }
  const result = resolve(draft, draft.hasInitImage, context, 'invalid generation parameters');
  if (result.ok) {
    result.plan.outputFormat = format;
  }
  return result;
}

/** `resolve` + `validate` (strict: clamps steps and batch) + the library's size alignment. */
function resolve(draft: Draft, img2img: boolean, context: PlanContext, invalidMessage: string): PlanResult {
  const invalid = badRequest(invalidMessage);
  const seed = draft.seed < 0 ? context.clockSeed(context.nowSeconds) : draft.seed;
  const batch = clamp(draft.batch, 1, 8);
  const steps = clamp(draft.steps, 1, 100);
  let hiresEnabled = draft.hiresEnabled;
  let upscaler = draft.hiresUpscaler === '' ? 'Latent' : draft.hiresUpscaler;
  if (hiresEnabled) {
    if (upscaler === 'None') {
      hiresEnabled = false;
    } else if (!HIRES_UPSCALERS.includes(upscaler)) {
      const file = context.upscalerModels.find((name) => name === upscaler || stem(name) === upscaler);
      if (file === undefined) {
        return invalid;
      }
      upscaler = file;
    }
  }
  if (draft.cfgScale < 0 || draft.strength < 0 || draft.strength > 1) {
    return invalid;
  }
  if (hiresEnabled) {
    if (draft.hiresWidth < 0 || draft.hiresHeight < 0 || draft.hiresSteps < 0) {
      return invalid;
    }
    if (draft.hiresScale <= 0 && draft.hiresWidth <= 0 && draft.hiresHeight <= 0) {
      return invalid;
    }
    if (draft.hiresDenoising <= 0 || draft.hiresDenoising > 1) {
      return invalid;
    }
  }
  const width = draft.width > 0 ? draft.width : 512;
  const height = draft.height > 0 ? draft.height : 512;
  let outputWidth = alignUp(width);
  let outputHeight = alignUp(height);
  let hires: GenerationPlan['hires'] = null;
  if (hiresEnabled) {
    let targetWidth = draft.hiresWidth;
    let targetHeight = draft.hiresHeight;
    if (targetWidth > 0 && targetHeight <= 0) {
      targetHeight = targetWidth;
    } else if (targetHeight > 0 && targetWidth <= 0) {
      targetWidth = targetHeight;
    } else if (targetWidth <= 0 && targetHeight <= 0) {
      targetWidth = Math.round(outputWidth * draft.hiresScale);
      targetHeight = Math.round(outputHeight * draft.hiresScale);
    }
    if (targetWidth > 0 && targetHeight > 0) {
      outputWidth = alignUp(targetWidth);
      outputHeight = alignUp(targetHeight);
      hires = { upscaler, steps: draft.hiresSteps, denoisingStrength: draft.hiresDenoising };
    }
  }
  return {
    ok: true,
    plan: {
      kind: img2img && draft.hasInitImage ? 'img2img' : 'txt2img',
      prompt: draft.prompt,
      negativePrompt: draft.negativePrompt,
      seed,
      cfgScale: draft.cfgScale,
      steps,
      batch,
      clipSkip: draft.clipSkip,
      sampler: draft.sampler,
      scheduler: draft.scheduler,
      width,
      height,
      outputWidth,
      outputHeight,
      strength: img2img ? draft.strength : null,
      hires,
      loras: [...draft.loras].map(([path, multiplier]) => ({ path, multiplier })),
      outputFormat: 'png',
    },
  };
}

/** The sampler and scheduler the library actually runs for a plan. */
export function ranSamplerAndScheduler(plan: Pick<GenerationPlan, 'sampler' | 'scheduler'>): {
  sampler: string;
  scheduler: string;
} {
  const sampler = plan.sampler ?? DEFAULT_SAMPLER;
  return { sampler, scheduler: plan.scheduler ?? defaultScheduler(sampler) };
}

/** The `info` object of an sdapi answer (`prepare_info_field`); the server sends it as JSON text. */
export function toSdapiInfo(
  plan: GenerationPlan,
  modelFile: string,
  infotexts: string[] | null,
): Record<string, unknown> {
  const info: Record<string, unknown> = { prompt: plan.prompt };
  if (plan.negativePrompt !== '') {
    info.negative_prompt = plan.negativePrompt;
  }
  info.seed = plan.seed;
  // C++ floats widened to double: 0.6 reads back as 0.6000000238418579.
  info.cfg_scale = Math.fround(plan.cfgScale);
  info.width = plan.width;
  info.height = plan.height;
  info.steps = plan.steps;
  info.sampler_name = plan.sampler ?? 'NONE';
  if (plan.clipSkip !== -1) {
    info.clip_skip = plan.clipSkip;
  }
  if (plan.scheduler !== null) {
    info.extra_generation_params = { 'Schedule type': plan.scheduler };
  }
  if (plan.strength !== null) {
    info.denoising_strength = Math.fround(plan.strength);
  }
  info.sd_model_name = modelFile;
  info.version = 'stable-diffusion.cpp';
  const seeds = infotexts === null ? [] : infotexts.map((_, index) => plan.seed + index);
  info.infotexts = infotexts ?? [];
  info.all_prompts = seeds.map(() => plan.prompt);
  info.all_negative_prompts = seeds.map(() => plan.negativePrompt);
  info.all_seeds = seeds;
  return info;
}

/** The PNG `parameters` text (`get_image_params`), with C++ `std::to_string` floats. */
export function toImageParameters(plan: GenerationPlan, seed: number, modelFile: string): string {
  const negative = plan.negativePrompt === '' ? '' : `Negative prompt: ${plan.negativePrompt}\n`;
  const scheduler = plan.scheduler === null ? '' : ` ${plan.scheduler}`;
  return (
    `${plan.prompt}\n${negative}Steps: ${plan.steps}, CFG scale: ${cppFloat(plan.cfgScale)}, ` +
    `Guidance: ${cppFloat(3.5)}, Eta: inf, Seed: ${seed}, Size: ${plan.width}x${plan.height}, ` +
    `Model: ${modelFile}, RNG: cuda, Sampler: ${plan.sampler ?? 'NONE'}${scheduler}`
  );
}

function cppFloat(value: number): string {
  return value.toFixed(6);
}

function alignUp(size: number): number {
  return Math.ceil(size / SPATIAL_MULTIPLE) * SPATIAL_MULTIPLE;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export function stem(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function extractExtraArgs(prompt: string): { prompt: string; args: string | null } {
  const match = /<sd_cpp_extra_args>(.*?)<\/sd_cpp_extra_args>/.exec(prompt);
  if (match === null) {
    return { prompt, args: null };
  }
  return {
    prompt: prompt.replace(/<sd_cpp_extra_args>(.*?)<\/sd_cpp_extra_args>/g, ''),
    args: match[1] ?? '',
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
