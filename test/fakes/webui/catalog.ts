/**
 * Static data of the fake WebUI (models, samplers, schedulers, upscalers, options) and the
 * sampler/scheduler resolution of A1111 1.10 (reference §8).
 */

import { dialectOf, type WebuiFlavour } from './dialects.js';

export type { WebuiFlavour } from './dialects.js';

export interface FakeModel {
  title: string;
  model_name: string;
  hash: string | null;
  sha256: string | null;
  filename: string;
  config: string | null;
}

export const DEFAULT_MODELS: readonly FakeModel[] = [
  {
    title: 'chilloutmix-Ni.safetensors [7234b76e42]',
    model_name: 'chilloutmix-Ni',
    hash: '7234b76e42',
    sha256: '7234b76e423f010b409268386062a4111c0da6adebdf3a9b1a825937bdf17683',
    filename: '/stable-diffusion-webui/models/Stable-diffusion/chilloutmix-Ni.safetensors',
    config: null,
  },
  {
    title: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
    model_name: 'v1-5-pruned-emaonly',
    hash: '6ce0161689',
    sha256: '6ce0161689b3853acaa03779ec93eafe75a02f4ced659bee03f50797806fa2fa',
    filename: '/stable-diffusion-webui/models/Stable-diffusion/v1-5-pruned-emaonly.safetensors',
    config: null,
  },
];

/** The checkpoint file stem (`sd_model_name` in `info`). */
export function modelStem(model: FakeModel): string {
  const base = model.filename.split(/[\\/]/).pop() ?? model.filename;
  return base.replace(/\.[^.]+$/, '');
}

/** A1111 `CheckpointInfo.ids`: title, name with extension, model_name, stem, hashes, `stem [hash]`. */
export function findModel(models: readonly FakeModel[], name: string): FakeModel | undefined {
  return models.find((model) => {
    const base = model.filename.split(/[\\/]/).pop() ?? '';
    const ids = [model.title, model.model_name, base, modelStem(model), model.hash, model.sha256];
    if (model.hash !== null) {
      ids.push(`${modelStem(model)} [${model.hash}]`, `${base} [${model.hash}]`);
    }
    return ids.includes(name);
  });
}

type SamplerRow = readonly [
  name: string,
  aliases: readonly string[],
  options: Record<string, string | boolean>,
];

const A1111_SAMPLERS: readonly SamplerRow[] = [
  ['DPM++ 2M', ['k_dpmpp_2m'], { scheduler: 'karras' }],
  ['DPM++ SDE', ['k_dpmpp_sde'], { scheduler: 'karras', second_order: true, brownian_noise: true }],
  ['DPM++ 2M SDE', ['k_dpmpp_2m_sde'], { scheduler: 'exponential', brownian_noise: true }],
  [
    'DPM++ 2M SDE Heun',
    ['k_dpmpp_2m_sde_heun'],
    { scheduler: 'exponential', brownian_noise: true, solver_type: 'heun' },
  ],
  ['DPM++ 2S a', ['k_dpmpp_2s_a'], { scheduler: 'karras', uses_ensd: true, second_order: true }],
  [
    'DPM++ 3M SDE',
    ['k_dpmpp_3m_sde'],
    { scheduler: 'exponential', discard_next_to_last_sigma: true, brownian_noise: true },
  ],
  ['Euler a', ['k_euler_a', 'k_euler_ancestral'], { uses_ensd: true }],
  ['Euler', ['k_euler'], {}],
  ['LMS', ['k_lms'], {}],
  ['Heun', ['k_heun'], { second_order: true }],
  ['DPM2', ['k_dpm_2'], { scheduler: 'karras', discard_next_to_last_sigma: true, second_order: true }],
  [
    'DPM2 a',
    ['k_dpm_2_a'],
    { scheduler: 'karras', discard_next_to_last_sigma: true, uses_ensd: true, second_order: true },
  ],
  ['DPM fast', ['k_dpm_fast'], { uses_ensd: true }],
  ['DPM adaptive', ['k_dpm_ad'], { uses_ensd: true }],
  ['Restart', ['restart'], { scheduler: 'karras', second_order: true }],
  ['DDIM', ['ddim'], {}],
  ['DDIM CFG++', ['ddim_cfgpp'], {}],
  ['PLMS', ['plms'], {}],
  ['UniPC', ['unipc'], {}],
  ['LCM', ['k_lcm'], {}],
];

const FORGE_EXTRA_SAMPLERS: readonly SamplerRow[] = [
  ['HeunPP2', ['heunpp2'], {}],
  ['IPNDM', ['ipndm'], {}],
  ['IPNDM_V', ['ipndm_v'], {}],
  ['DEIS', ['deis'], {}],
  ['DDPM', ['ddpm'], {}],
];

/** A1111 ≤ 1.8 and Forge Classic: a scheduler is part of the sampler's name. */
const COMBINED_SAMPLERS: readonly SamplerRow[] = [
  ['DPM++ 2M Karras', ['k_dpmpp_2m_ka'], { scheduler: 'karras' }],
  ['DPM++ SDE Karras', ['k_dpmpp_sde_ka'], { scheduler: 'karras', second_order: true, brownian_noise: true }],
  ['DPM++ 2M SDE Exponential', ['k_dpmpp_2m_sde_exp'], { scheduler: 'exponential', brownian_noise: true }],
  ['DPM++ 2M SDE Karras', ['k_dpmpp_2m_sde_ka'], { scheduler: 'karras', brownian_noise: true }],
  ['Euler a', ['k_euler_a', 'k_euler_ancestral'], { uses_ensd: true }],
  ['Euler', ['k_euler'], {}],
  ['LMS', ['k_lms'], {}],
  ['Heun', ['k_heun'], { second_order: true }],
  ['DPM2', ['k_dpm_2'], { discard_next_to_last_sigma: true, second_order: true }],
  ['DPM2 a', ['k_dpm_2_a'], { discard_next_to_last_sigma: true, uses_ensd: true, second_order: true }],
  ['DPM++ 2S a', ['k_dpmpp_2s_a'], { uses_ensd: true, second_order: true }],
  ['DPM++ 2M', ['k_dpmpp_2m'], {}],
  ['DPM++ SDE', ['k_dpmpp_sde'], { second_order: true, brownian_noise: true }],
  ['DPM++ 2M SDE', ['k_dpmpp_2m_sde_ka'], { brownian_noise: true }],
  ['DPM++ 2M SDE Heun', ['k_dpmpp_2m_sde_heun'], { brownian_noise: true, solver_type: 'heun' }],
  [
    'DPM++ 2M SDE Heun Karras',
    ['k_dpmpp_2m_sde_heun_ka'],
    { scheduler: 'karras', brownian_noise: true, solver_type: 'heun' },
  ],
  [
    'DPM++ 2M SDE Heun Exponential',
    ['k_dpmpp_2m_sde_heun_exp'],
    { scheduler: 'exponential', brownian_noise: true, solver_type: 'heun' },
  ],
  ['DPM++ 3M SDE', ['k_dpmpp_3m_sde'], { discard_next_to_last_sigma: true, brownian_noise: true }],
  [
    'DPM++ 3M SDE Karras',
    ['k_dpmpp_3m_sde_ka'],
    { scheduler: 'karras', discard_next_to_last_sigma: true, brownian_noise: true },
  ],
  [
    'DPM++ 3M SDE Exponential',
    ['k_dpmpp_3m_sde_exp'],
    { scheduler: 'exponential', discard_next_to_last_sigma: true, brownian_noise: true },
  ],
  ['DPM fast', ['k_dpm_fast'], { uses_ensd: true }],
  ['DPM adaptive', ['k_dpm_ad'], { uses_ensd: true }],
  ['LMS Karras', ['k_lms_ka'], { scheduler: 'karras' }],
  [
    'DPM2 Karras',
    ['k_dpm_2_ka'],
    { scheduler: 'karras', discard_next_to_last_sigma: true, uses_ensd: true, second_order: true },
  ],
  [
    'DPM2 a Karras',
    ['k_dpm_2_a_ka'],
    { scheduler: 'karras', discard_next_to_last_sigma: true, uses_ensd: true, second_order: true },
  ],
  ['DPM++ 2S a Karras', ['k_dpmpp_2s_a_ka'], { scheduler: 'karras', uses_ensd: true, second_order: true }],
  ['Restart', ['restart'], { scheduler: 'karras', second_order: true }],
  ['DDIM', ['ddim'], {}],
  ['PLMS', ['plms'], {}],
  ['UniPC', ['unipc'], {}],
  ['LCM', ['k_lcm'], {}],
];

const SDNEXT_SAMPLERS: readonly string[] = [
  'Default',
  'UniPC',
  'DDIM',
  'Euler',
  'Euler a',
  'Euler SGM',
  'Euler EDM',
  'DPM++ 2M',
  'DPM++ 1S',
  'DPM++ 2M SDE',
  'DPM++ 3M',
  'DPM SDE',
  'Heun',
  'DEIS',
  'SA Solver',
  'DPM2 FlowMatch',
  'LMS',
  'PNDM',
  'LCM',
  'TCD',
];

export interface SamplerItem {
  name: string;
  aliases: string[];
  options: Record<string, string | boolean>;
}

export function samplerList(flavour: WebuiFlavour): SamplerItem[] {
  const dialect = dialectOf(flavour);
  if (dialect.samplers === 'diffusers') {
    return SDNEXT_SAMPLERS.map((name) => ({ name, aliases: [], options: {} }));
  }
  const rows =
    dialect.samplers === 'combined'
      ? COMBINED_SAMPLERS
      : dialect.forgeSamplers
        ? [...A1111_SAMPLERS, ...FORGE_EXTRA_SAMPLERS]
        : A1111_SAMPLERS;
  return rows.map(([name, aliases, options]) => ({
    name,
    aliases: [...aliases],
    // A1111 (and the forks that keep its pydantic 1 models) declare options as dict[str, str]
    // (pydantic v1 turns True into "True"); Forge 2 and Neo keep Any.
    options:
      dialect.pydantic === 'v1'
        ? Object.fromEntries(
            Object.entries(options).map(([key, value]) => [key, String(value === true ? 'True' : value)]),
          )
        : { ...options },
  }));
}

export interface SchedulerItem {
  name: string;
  label: string;
  aliases: string[] | null;
  default_rho: number;
  need_inner_model: boolean;
}

const A1111_SCHEDULERS: readonly SchedulerItem[] = [
  { name: 'automatic', label: 'Automatic', aliases: null, default_rho: -1, need_inner_model: false },
  { name: 'uniform', label: 'Uniform', aliases: null, default_rho: -1, need_inner_model: true },
  { name: 'karras', label: 'Karras', aliases: null, default_rho: 7, need_inner_model: false },
  { name: 'exponential', label: 'Exponential', aliases: null, default_rho: -1, need_inner_model: false },
  {
    name: 'polyexponential',
    label: 'Polyexponential',
    aliases: null,
    default_rho: 1,
    need_inner_model: false,
  },
  {
    name: 'sgm_uniform',
    label: 'SGM Uniform',
    aliases: ['SGMUniform'],
    default_rho: -1,
    need_inner_model: true,
  },
  { name: 'kl_optimal', label: 'KL Optimal', aliases: null, default_rho: -1, need_inner_model: false },
  {
    name: 'align_your_steps',
    label: 'Align Your Steps',
    aliases: null,
    default_rho: -1,
    need_inner_model: false,
  },
  { name: 'simple', label: 'Simple', aliases: null, default_rho: -1, need_inner_model: true },
  { name: 'normal', label: 'Normal', aliases: null, default_rho: -1, need_inner_model: true },
  { name: 'ddim', label: 'DDIM', aliases: null, default_rho: -1, need_inner_model: true },
  { name: 'beta', label: 'Beta', aliases: null, default_rho: -1, need_inner_model: true },
];

const FORGE_EXTRA_SCHEDULERS: readonly SchedulerItem[] = [
  { name: 'turbo', label: 'Turbo', aliases: null, default_rho: -1, need_inner_model: true },
  {
    name: 'align_your_steps_GITS',
    label: 'Align Your Steps GITS',
    aliases: null,
    default_rho: -1,
    need_inner_model: false,
  },
  {
    name: 'align_your_steps_11',
    label: 'Align Your Steps 11',
    aliases: null,
    default_rho: -1,
    need_inner_model: false,
  },
  {
    name: 'align_your_steps_32',
    label: 'Align Your Steps 32',
    aliases: null,
    default_rho: -1,
    need_inner_model: false,
  },
];

/** `null` where the flavour has no `/schedulers` route (SD.Next, Forge Classic). */
export function schedulerList(flavour: WebuiFlavour): SchedulerItem[] | null {
  const dialect = dialectOf(flavour);
  if (!dialect.routes.has('schedulers')) {
    return null;
  }
  return dialect.forgeSamplers ? [...A1111_SCHEDULERS, ...FORGE_EXTRA_SCHEDULERS] : [...A1111_SCHEDULERS];
}

export interface ResolvedSampler {
  sampler: string;
  /** Scheduler label as it appears in the infotext (`Schedule type`), or null for SD.Next. */
  scheduler: string | null;
}

/**
 * A1111 ≥ 1.9 `get_sampler_and_scheduler`: a trailing scheduler name/label/alias is split off,
 * the rest is looked up exactly, a miss becomes `samplers[0]` (`DPM++ 2M`). SD.Next and Forge
 * Classic are strict (`undefined` = "Sampler not found").
 */
export function resolveSampler(
  flavour: WebuiFlavour,
  samplerName: string,
  schedulerName: string | null,
): ResolvedSampler | undefined {
  const samplers = samplerList(flavour);
  if (dialectOf(flavour).samplers !== 'split') {
    // SD.Next and A1111 ≤ 1.8 / Forge Classic look the name up exactly: a miss is "Sampler not found".
    return samplers.some((item) => item.name === samplerName)
      ? { sampler: samplerName, scheduler: null }
      : undefined;
  }
  const schedulers = schedulerList(flavour) ?? [];
  const automatic = schedulers[0] as SchedulerItem;
  let scheduler =
    schedulers.find((item) => item.name === schedulerName || item.label === schedulerName) ?? automatic;
  let name = samplerName;
  for (const candidate of schedulers) {
    const suffix = [candidate.label, candidate.name, ...(candidate.aliases ?? [])].find((option) =>
      name.endsWith(` ${option}`),
    );
    if (suffix !== undefined) {
      scheduler = candidate;
      name = name.slice(0, -(suffix.length + 1));
      break;
    }
  }
  const sampler = samplers.find((item) => item.name === name) ?? (samplers[0] as SamplerItem);
  if (scheduler.name === sampler.options.scheduler) {
    scheduler = automatic;
  }
  return { sampler: sampler.name, scheduler: scheduler.label };
}

export const UPSCALERS = [
  { name: 'None', model_name: null, model_path: null, model_url: null, scale: 4 },
  { name: 'Lanczos', model_name: null, model_path: null, model_url: null, scale: 4 },
  { name: 'Nearest', model_name: null, model_path: null, model_url: null, scale: 4 },
  {
    name: 'R-ESRGAN 4x+',
    model_name: 'R-ESRGAN 4x+',
    model_path: 'https://github.com/xinntao/Real-ESRGAN/releases/download/v0.1.0/RealESRGAN_x4plus.pth',
    model_url: null,
    scale: 4,
  },
] as const;

export const LATENT_UPSCALE_MODES = [
  'Latent',
  'Latent (antialiased)',
  'Latent (bicubic)',
  'Latent (bicubic antialiased)',
  'Latent (nearest)',
  'Latent (nearest-exact)',
] as const;

/** A selection of `GET /options` (ints typed as floats, as A1111's OptionsModel returns them). */
export function defaultOptions(flavour: WebuiFlavour): Record<string, unknown> {
  const common: Record<string, unknown> = {
    samples_save: true,
    samples_format: 'png',
    jpeg_quality: 80.0,
    webp_lossless: false,
    enable_pnginfo: true,
    return_grid: true,
    grid_only_if_multiple: true,
    sd_model_checkpoint: null,
    sd_checkpoint_hash: null,
    sd_checkpoint_cache: 0.0,
    sd_vae: 'Automatic',
    CLIP_stop_at_last_layers: 1.0,
    eta_noise_seed_delta: 0.0,
    face_restoration: false,
    tiling: false,
    live_previews_enable: true,
    show_progress_every_n_steps: 10.0,
    api_enable_requests: true,
    api_forbid_local_requests: true,
  };
  if (dialectOf(flavour).modules) {
    common.forge_preset = 'sd';
    common.forge_additional_modules = [];
  }
  return common;
}
