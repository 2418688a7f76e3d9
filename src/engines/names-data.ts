/**
 * The name tables behind `names.ts`: every known spelling of each sampler and scheduler, by
 * canonical key, and which keys stand in for each other when a server lacks one. Names only, taken
 * from each project's public source; no logic.
 */
/** The key of "let the server choose": `Automatic` (A1111 schedulers), `default` (stable-diffusion.cpp). */
export const DEFAULT_KEY = 'default';

export type Table = readonly (readonly [key: string, ...spellings: string[]])[];

export const SAMPLER_TABLE: Table = [
  [DEFAULT_KEY, 'Default', 'Automatic'],
  ['euler', 'Euler'],
  ['euler_a', 'Euler a', 'euler_ancestral', 'Euler Ancestral'],
  ['euler_cfg_pp', 'Euler CFG++'],
  ['euler_a_cfg_pp', 'euler_ancestral_cfg_pp', 'Euler a CFG++'],
  ['euler_ge'],
  ['lms', 'LMS', 'LMSD'],
  ['heun', 'Heun'],
  ['heunpp2', 'HeunPP2'],
  ['dpm2', 'DPM2', 'dpm_2', 'KDPM2'],
  ['dpm2_a', 'DPM2 a', 'dpm_2_a', 'dpm_2_ancestral', 'KDPM2 a'],
  ['dpmpp_2s_a', 'DPM++ 2S a', 'dpmpp_2s_ancestral'],
  ['dpmpp_2s_a_cfg_pp', 'dpmpp_2s_ancestral_cfg_pp'],
  ['dpmpp_2m', 'DPM++ 2M'],
  ['dpmpp_2m_v2', 'dpm++2mv2'],
  ['dpmpp_2m_cfg_pp'],
  ['dpmpp_sde', 'DPM++ SDE'],
  ['dpmpp_sde_gpu'],
  ['dpmpp_2m_sde', 'DPM++ 2M SDE'],
  ['dpmpp_2m_sde_gpu', 'dpm++2m_sde_bt', 'DPM++ 2M SDE GPU'],
  ['dpmpp_2m_sde_heun', 'DPM++ 2M SDE Heun'],
  ['dpmpp_2m_sde_heun_gpu'],
  ['dpmpp_3m_sde', 'DPM++ 3M SDE'],
  ['dpmpp_3m_sde_gpu'],
  ['dpm_fast', 'DPM fast'],
  ['dpm_adaptive', 'DPM adaptive', 'dpm_ad'],
  ['restart', 'Restart'],
  ['ddim', 'DDIM', 'ddim_trailing'],
  ['ddim_cfg_pp', 'DDIM CFG++', 'ddim_cfgpp'],
  ['plms', 'PLMS'],
  ['pndm', 'PNDM'],
  ['unipc', 'UniPC', 'uni_pc'],
  ['unipc_bh2', 'uni_pc_bh2'],
  ['lcm', 'LCM'],
  ['tcd', 'TCD'],
  ['ipndm', 'IPNDM'],
  ['ipndm_v', 'IPNDM_V'],
  ['deis', 'DEIS'],
  ['ddpm', 'DDPM'],
  ['res_multistep'],
  ['res_2s'],
  ['er_sde', 'ER-SDE'],
  ['gradient_estimation'],
  ['sa_solver', 'SA Solver'],
];

export const SCHEDULER_TABLE: Table = [
  [DEFAULT_KEY, 'Automatic'],
  ['uniform', 'Uniform'],
  ['karras', 'Karras'],
  ['exponential', 'Exponential'],
  ['polyexponential', 'Polyexponential'],
  ['sgm_uniform', 'SGM Uniform', 'SGMUniform'],
  ['kl_optimal', 'KL Optimal'],
  ['align_your_steps', 'Align Your Steps', 'ays'],
  ['align_your_steps_gits', 'Align Your Steps GITS', 'gits'],
  ['align_your_steps_11', 'Align Your Steps 11'],
  ['align_your_steps_32', 'Align Your Steps 32'],
  ['simple', 'Simple'],
  // stable-diffusion.cpp reads `normal` as its `discrete` schedule.
  ['normal', 'Normal', 'discrete'],
  // A1111's `DDIM` scheduler is ComfyUI's `ddim_uniform` (the same stride over the training sigmas).
  ['ddim_uniform', 'DDIM', 'ddim'],
  ['beta', 'Beta'],
  ['turbo', 'Turbo'],
  ['linear_quadratic'],
  ['karras_exponential', 'Karras Exponential'],
];

/** Where a server lacks a sampler: the ones nearest to it, best first. */
export const SAMPLER_NEAREST: Readonly<Record<string, readonly string[]>> = {
  euler: ['ddim'],
  euler_a: ['dpmpp_2s_a'],
  euler_cfg_pp: ['euler', 'ddim_cfg_pp'],
  euler_a_cfg_pp: ['euler_a', 'euler_cfg_pp', 'euler'],
  euler_ge: ['gradient_estimation', 'euler'],
  gradient_estimation: ['euler_ge', 'euler'],
  lms: ['euler'],
  heun: ['dpm2', 'euler'],
  heunpp2: ['heun', 'euler'],
  dpm2: ['heun', 'euler'],
  dpm2_a: ['euler_a', 'dpm2'],
  dpmpp_2s_a: ['euler_a'],
  dpmpp_2s_a_cfg_pp: ['dpmpp_2s_a', 'euler_a'],
  dpmpp_2m: ['dpmpp_2m_v2', 'unipc'],
  dpmpp_2m_v2: ['dpmpp_2m'],
  dpmpp_2m_cfg_pp: ['dpmpp_2m'],
  dpmpp_sde: ['dpmpp_sde_gpu', 'dpmpp_2m_sde', 'dpmpp_2m_sde_gpu', 'dpmpp_2m'],
  dpmpp_sde_gpu: ['dpmpp_sde', 'dpmpp_2m_sde_gpu', 'dpmpp_2m_sde', 'dpmpp_2m'],
  dpmpp_2m_sde: ['dpmpp_2m_sde_gpu', 'dpmpp_2m_sde_heun', 'dpmpp_2m'],
  dpmpp_2m_sde_gpu: ['dpmpp_2m_sde', 'dpmpp_2m_sde_heun_gpu', 'dpmpp_2m'],
  dpmpp_2m_sde_heun: ['dpmpp_2m_sde_heun_gpu', 'dpmpp_2m_sde', 'dpmpp_2m_sde_gpu', 'dpmpp_2m'],
  dpmpp_2m_sde_heun_gpu: ['dpmpp_2m_sde_heun', 'dpmpp_2m_sde_gpu', 'dpmpp_2m_sde', 'dpmpp_2m'],
  dpmpp_3m_sde: ['dpmpp_3m_sde_gpu', 'dpmpp_2m_sde', 'dpmpp_2m_sde_gpu', 'dpmpp_2m'],
  dpmpp_3m_sde_gpu: ['dpmpp_3m_sde', 'dpmpp_2m_sde_gpu', 'dpmpp_2m_sde', 'dpmpp_2m'],
  dpm_fast: ['dpm_adaptive', 'euler'],
  dpm_adaptive: ['dpm_fast', 'euler'],
  restart: ['heun', 'euler'],
  ddim: ['euler'],
  ddim_cfg_pp: ['ddim', 'euler_cfg_pp', 'euler'],
  plms: ['pndm', 'ipndm', 'lms'],
  pndm: ['plms', 'ipndm', 'lms'],
  ipndm: ['ipndm_v', 'plms', 'pndm'],
  ipndm_v: ['ipndm', 'plms', 'pndm'],
  unipc: ['unipc_bh2', 'dpmpp_2m'],
  unipc_bh2: ['unipc', 'dpmpp_2m'],
  deis: ['unipc', 'dpmpp_2m'],
  ddpm: ['euler_a'],
  lcm: ['tcd'],
  tcd: ['lcm'],
  res_multistep: ['res_2s', 'dpmpp_2m'],
  res_2s: ['res_multistep', 'dpmpp_2m'],
  er_sde: ['dpmpp_2m_sde', 'dpmpp_2m_sde_gpu'],
  sa_solver: ['dpmpp_2m_sde', 'dpmpp_2m'],
};

/** Where a server lacks a scheduler: the ones nearest to it, best first. */
export const SCHEDULER_NEAREST: Readonly<Record<string, readonly string[]>> = {
  uniform: ['normal', 'simple'],
  normal: ['uniform', 'simple'],
  karras: ['exponential'],
  exponential: ['polyexponential', 'karras'],
  polyexponential: ['exponential', 'karras'],
  karras_exponential: ['karras', 'exponential'],
  sgm_uniform: ['simple', 'normal'],
  simple: ['sgm_uniform', 'normal'],
  ddim_uniform: ['simple', 'normal'],
  turbo: ['simple', 'sgm_uniform'],
  linear_quadratic: ['simple', 'normal'],
  beta: ['normal', 'simple'],
  kl_optimal: ['karras'],
  align_your_steps: ['align_your_steps_gits', 'align_your_steps_11', 'align_your_steps_32', 'karras'],
  align_your_steps_gits: ['align_your_steps', 'align_your_steps_11', 'align_your_steps_32', 'karras'],
  align_your_steps_11: ['align_your_steps', 'align_your_steps_32', 'align_your_steps_gits', 'karras'],
  align_your_steps_32: ['align_your_steps', 'align_your_steps_11', 'align_your_steps_gits', 'karras'],
  smoothstep: ['simple', 'normal'],
  lcm: ['sgm_uniform', 'simple'],
};

/** Schedulers that older servers fold into a sampler name (`DPM++ 2M Karras`, `Euler A Turbo`). */
export const COMBINABLE_SCHEDULERS = new Set([
  'karras',
  'exponential',
  'polyexponential',
  'sgm_uniform',
  'turbo',
  'uniform',
  'simple',
  'normal',
  'beta',
  'kl_optimal',
  'align_your_steps',
]);
/** Suffixes so distinctive that they split even an unknown sampler (`Foo Karras`). */
export const DISTINCT_SUFFIXES = new Set(['karras', 'exponential', 'sgm_uniform', 'turbo']);
/** The k-diffusion alias suffixes of the combined names (`k_dpmpp_2m_ka`, `k_dpmpp_2m_sde_exp`). */
export const K_ALIAS_SUFFIXES: Readonly<Record<string, string>> = { ka: 'karras', exp: 'exponential' };

/** Spelling-blind form: lower case, no `k_` prefix, `++` → `pp`, nothing but letters and digits. */
