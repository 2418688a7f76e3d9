/**
 * Name tables of the fake stable-diffusion.cpp `sd-server` and of KoboldCpp's image API, as their
 * public sources spell them (leejet/stable-diffusion.cpp `src/stable-diffusion.cpp`,
 * `examples/server/routes_sdapi.cpp`; LostRuins/koboldcpp `sd_sampler_canonical_name`). Pure data
 * and pure resolvers.
 */

/** `sample_method_to_str[]`, in enum order. */
export const SDCPP_SAMPLERS = [
  'euler',
  'euler_a',
  'heun',
  'dpm2',
  'dpm++2s_a',
  'dpm++2m',
  'dpm++2mv2',
  'ipndm',
  'ipndm_v',
  'lcm',
  'ddim_trailing',
  'tcd',
  'res_multistep',
  'res_2s',
  'er_sde',
  'euler_cfg_pp',
  'euler_a_cfg_pp',
  'euler_ge',
  'dpm++2m_sde',
  'dpm++2m_sde_bt',
  'lms',
] as const;

/** `scheduler_to_str[]`, in enum order (`normal` is an extra spelling of `discrete`). */
export const SDCPP_SCHEDULERS = [
  'discrete',
  'karras',
  'exponential',
  'ays',
  'gits',
  'sgm_uniform',
  'simple',
  'smoothstep',
  'kl_optimal',
  'lcm',
  'bong_tangent',
  'ltx2',
  'logit_normal',
  'flux2',
  'flux',
  'beta',
] as const;

/** What `GET /sdapi/v1/samplers` lists: `default` first. */
export const SDAPI_SAMPLER_NAMES: readonly string[] = ['default', ...SDCPP_SAMPLERS];

/** What `GET /sdapi/v1/schedulers` lists: `default` first, `normal` right after `discrete`. */
export const SDAPI_SCHEDULER_NAMES: readonly string[] = [
  'default',
  ...SDCPP_SCHEDULERS.flatMap((name) => (name === 'discrete' ? [name, 'normal'] : [name])),
];

/** `get_sdapi_sample_method`'s second chance: the lower-cased name in this table. */
const SDAPI_SAMPLER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['euler a', 'euler_a'],
  ['k_euler_a', 'euler_a'],
  ['euler', 'euler'],
  ['k_euler', 'euler'],
  ['heun', 'heun'],
  ['k_heun', 'heun'],
  ['dpm2', 'dpm2'],
  ['k_dpm_2', 'dpm2'],
  ['lcm', 'lcm'],
  ['ddim', 'ddim_trailing'],
  ['dpm++ 2m', 'dpm++2m'],
  ['k_dpmpp_2m', 'dpm++2m'],
  ['dpm++ 2m sde', 'dpm++2m_sde'],
  ['k_dpmpp_2m_sde', 'dpm++2m_sde'],
  ['dpm++ 2m sde gpu', 'dpm++2m_sde_bt'],
  ['k_dpmpp_2m_sde_gpu', 'dpm++2m_sde_bt'],
  ['res multistep', 'res_multistep'],
  ['k_res_multistep', 'res_multistep'],
  ['res 2s', 'res_2s'],
  ['k_res_2s', 'res_2s'],
  ['euler_cfg_pp', 'euler_cfg_pp'],
  ['k_euler_cfg_pp', 'euler_cfg_pp'],
  // The real table maps both spellings of the ancestral variant to the plain one.
  ['euler_a_cfg_pp', 'euler_cfg_pp'],
  ['k_euler_a_cfg_pp', 'euler_cfg_pp'],
]);

/** `str_to_sample_method`: exact, case-sensitive. `null` = not a sampler (the default runs). */
export function toSdcppSampler(name: string): string | null {
  return (SDCPP_SAMPLERS as readonly string[]).includes(name) ? name : null;
}

/** The sdapi routes: the exact name, else the lower-cased name in the alias table, else `null`. */
export function toSdapiSampler(name: string): string | null {
  return toSdcppSampler(name) ?? SDAPI_SAMPLER_ALIASES.get(name.toLowerCase()) ?? null;
}

/** `str_to_scheduler`: exact, case-sensitive; `normal` is `discrete`. `null` = the default runs. */
export function toSdcppScheduler(name: string): string | null {
  if (name === 'normal') {
    return 'discrete';
  }
  return (SDCPP_SCHEDULERS as readonly string[]).includes(name) ? name : null;
}

/** `sd_get_default_sample_method` for an SD 1.x / SDXL checkpoint. */
export const DEFAULT_SAMPLER = 'euler_a';

/** `sd_get_default_scheduler` for an SD 1.x / SDXL checkpoint. */
export function defaultScheduler(sampler: string): string {
  if (sampler === 'lcm' || sampler === 'tcd') {
    return 'lcm';
  }
  return sampler === 'ddim_trailing' ? 'simple' : 'discrete';
}

/** `hires_upscaler_to_str[]` minus `Model`: names accepted as `hr_upscaler` without a model file. */
export const HIRES_UPSCALERS: readonly string[] = [
  'None',
  'Latent',
  'Latent (nearest)',
  'Latent (nearest-exact)',
  'Latent (antialiased)',
  'Latent (bicubic)',
  'Latent (bicubic antialiased)',
  'Lanczos',
  'Nearest',
];

export const LATENT_UPSCALE_MODES: readonly string[] = HIRES_UPSCALERS.filter((name) =>
  name.startsWith('Latent'),
);

/** KoboldCpp's `sampler_aliases`: sd.cpp name, UI name, then aliases. */
export const KOBOLD_SAMPLER_ALIASES: readonly (readonly string[])[] = [
  ['euler', 'Euler', 'k_euler'],
  ['euler_a', 'Euler A', 'k_euler_a', 'euler a'],
  ['heun', 'Heun', 'k_heun'],
  ['dpm2', 'DPM2', 'k_dpm_2'],
  ['lcm', 'LCM', 'k_lcm'],
  ['dpm++2m', 'DPM++ 2M', 'k_dpmpp_2m', 'dpm++ 2m karras', 'dpm++ 2m'],
  ['ddim_trailing', 'DDIM', 'ddim'],
  ['res_multistep', 'Res Multistep', 'k_res_multistep', 'res multistep'],
  ['res_2s', 'Res 2s', 'k_res_2s', 'res 2s'],
];

/** KoboldCpp `sd_sampler_canonical_name`: any spelling in the table (any case), else `default`. */
export function toKoboldSampler(name: string): string {
  const lower = name.toLowerCase();
  for (const aliases of KOBOLD_SAMPLER_ALIASES) {
    if (aliases.some((alias) => alias.toLowerCase() === lower)) {
      return aliases[0] ?? 'default';
    }
  }
  return (SDCPP_SAMPLERS as readonly string[]).includes(lower) ? lower : 'default';
}

/** KoboldCpp `sd_sdapi_samplers`: UI names with their aliases, then the rest with none. */
export function koboldSamplerList(): { name: string; aliases: string[]; options: Record<string, never> }[] {
  const listed = new Set<string>();
  const result: { name: string; aliases: string[]; options: Record<string, never> }[] = [];
  for (const [canonical, uiName, ...aliases] of KOBOLD_SAMPLER_ALIASES) {
    if (canonical === undefined || uiName === undefined) {
      continue;
    }
    listed.add(canonical);
    result.push({ name: uiName, aliases: [canonical, ...aliases], options: {} });
  }
  for (const name of SDCPP_SAMPLERS) {
    if (!listed.has(name)) {
      result.push({ name, aliases: [], options: {} });
    }
  }
  return result;
}

/** `srand(seconds); rand()` as glibc computes it: what `seed: -1` becomes on a Linux build. */
export function glibcRand(seconds: number): number {
  const state: number[] = new Array<number>(344);
  let seed = seconds >>> 0;
  if (seed === 0) {
    seed = 1;
  }
  state[0] = seed | 0;
  for (let i = 1; i < 31; i += 1) {
    const previous = state[i - 1] ?? 0;
    const hi = Math.trunc(previous / 127_773);
    const lo = previous % 127_773;
    let word = 16_807 * lo - 2_836 * hi;
    if (word < 0) {
      word += 2_147_483_647;
    }
    state[i] = word;
  }
  for (let i = 31; i < 34; i += 1) {
    state[i] = state[i - 31] ?? 0;
  }
  for (let i = 34; i < 344; i += 1) {
    state[i] = ((state[i - 31] ?? 0) + (state[i - 3] ?? 0)) | 0;
  }
  const first = ((state[344 - 31] ?? 0) + (state[344 - 3] ?? 0)) | 0;
  return (first >>> 0) >>> 1;
}
