/**
 * Sampler and scheduler names across the dialects of the servers we talk to (A1111 and its forks,
 * SD.Next, stable-diffusion.cpp, KoboldCpp, ComfyUI). The same sampler goes by several spellings:
 * `DPM++ 2M` (A1111, SD.Next), `dpm++2m` (stable-diffusion.cpp), `dpmpp_2m` (ComfyUI), `k_dpmpp_2m`
 * (the old k-diffusion alias). Every spelling maps to one canonical key; a server's own spelling is
 * found by comparing keys. Older servers (A1111 ≤ 1.8, Forge Classic) list samplers with the
 * schedule in the name (`DPM++ 2M Karras`); newer ones take the scheduler apart.
 *
 * The tables below hold names only (from each project's public source); pure data and pure functions.
 */

/** The key of "let the server choose": `Automatic` (A1111 schedulers), `default` (stable-diffusion.cpp). */
export const DEFAULT_KEY = 'default';

type Table = readonly (readonly [key: string, ...spellings: string[]])[];

const SAMPLER_TABLE: Table = [
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

const SCHEDULER_TABLE: Table = [
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
const SAMPLER_NEAREST: Readonly<Record<string, readonly string[]>> = {
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
const SCHEDULER_NEAREST: Readonly<Record<string, readonly string[]>> = {
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
const COMBINABLE_SCHEDULERS = new Set([
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
const DISTINCT_SUFFIXES = new Set(['karras', 'exponential', 'sgm_uniform', 'turbo']);
/** The k-diffusion alias suffixes of the combined names (`k_dpmpp_2m_ka`, `k_dpmpp_2m_sde_exp`). */
const K_ALIAS_SUFFIXES: Readonly<Record<string, string>> = { ka: 'karras', exp: 'exponential' };

/** Spelling-blind form: lower case, no `k_` prefix, `++` → `pp`, nothing but letters and digits. */
function compact(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^k_(?=.)/, '')
    .replace(/\+\+/g, 'pp')
    .replace(/\+/g, 'p')
    .replace(/[^a-z0-9]/g, '');
}

/** The key an unknown name gets: lower case, `++` → `pp`, spaces and dashes → `_`. */
function fallbackKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\+\+/g, 'pp')
    .replace(/[\s-]+/g, '_');
}

function indexTable(table: Table): ReadonlyMap<string, string> {
  const index = new Map<string, string>();
  for (const [key, ...spellings] of table) {
    for (const spelling of [key, ...spellings]) index.set(compact(spelling), key);
  }
  return index;
}

const SAMPLER_INDEX = indexTable(SAMPLER_TABLE);
const SCHEDULER_INDEX = indexTable(SCHEDULER_TABLE);

function knownSamplerKey(name: string): string | undefined {
  return SAMPLER_INDEX.get(compact(name));
}

function knownSchedulerKey(name: string): string | undefined {
  return SCHEDULER_INDEX.get(compact(name));
}

/**
 * The canonical key of a sampler name in any spelling (`DPM++ 2M`, `dpm++2m`, `k_dpmpp_2m`,
 * `dpmpp_2m` → `dpmpp_2m`). A combined name gets `<sampler>_<scheduler>` (`DPM++ 2M Karras` and
 * `k_dpmpp_2m_ka` → `dpmpp_2m_karras`); an unknown one a normalised form of itself, so it still matches
 * itself on any server. Undefined only for an empty name.
 */
export function samplerKey(name: string): string | undefined {
  if (name.trim() === '') return undefined;
  const known = knownSamplerKey(name);
  if (known !== undefined) return known;
  const split = splitCombinedSampler(name);
  if (split.scheduler !== undefined) {
    const base = knownSamplerKey(split.sampler) ?? fallbackKey(split.sampler);
    return `${base}_${schedulerKey(split.scheduler) ?? fallbackKey(split.scheduler)}`;
  }
  return fallbackKey(name);
}

/**
 * The canonical key of a scheduler name in any spelling (`Karras`/`karras`, `SGM Uniform`/`sgm_uniform`/
 * `SGMUniform`, `Align Your Steps`/`ays`/`align_your_steps`); `Automatic` and `default` → `default`.
 * Undefined only for an empty name.
 */
export function schedulerKey(name: string): string | undefined {
  if (name.trim() === '') return undefined;
  return knownSchedulerKey(name) ?? fallbackKey(name);
}

/**
 * Splits a legacy combined sampler name into the sampler and the schedule it names (`DPM++ 2M Karras`
 * → `DPM++ 2M` + `Karras`; `DPM++ 2M SDE Exponential`; `Euler A SGMUniform`; `k_dpmpp_2m_ka` →
 * `k_dpmpp_2m` + `karras`). A name that is a sampler in its own right stays whole (`Euler a`,
 * `DPM++ 2M SDE Heun`, SD.Next's `Euler SGM`).
 */
export function splitCombinedSampler(name: string): { sampler: string; scheduler?: string } {
  const text = name.trim();
  if (knownSamplerKey(text) !== undefined) return { sampler: text };
  const words = [...text.matchAll(/[^\s_]+/g)];
  for (let count = Math.min(3, words.length - 1); count >= 1; count--) {
    const first = words[words.length - count];
    if (first === undefined) continue;
    const suffix = text.slice(first.index);
    const key = knownSchedulerKey(suffix);
    if (key === undefined || !COMBINABLE_SCHEDULERS.has(key)) continue;
    const base = text.slice(0, first.index).replace(/[\s_]+$/, '');
    if (base === '') continue;
    if (knownSamplerKey(base) !== undefined || DISTINCT_SUFFIXES.has(key)) {
      return { sampler: base, scheduler: suffix };
    }
  }
  const alias = /^(k_.+?)_(ka|exp)$/i.exec(text);
  const aliasBase = alias?.[1];
  const aliasScheduler = alias?.[2] === undefined ? undefined : K_ALIAS_SUFFIXES[alias[2].toLowerCase()];
  if (aliasBase !== undefined && aliasScheduler !== undefined) {
    return { sampler: aliasBase, scheduler: aliasScheduler };
  }
  return { sampler: text };
}

type KeyOf = (name: string) => string | undefined;

function matchName(wanted: string, available: readonly string[], keyOf: KeyOf): string | undefined {
  const text = wanted.trim();
  if (text === '') return undefined;
  const exact = available.find((name) => name === text);
  if (exact !== undefined) return exact;
  const loose = compact(text);
  const sameSpelling = available.find((name) => compact(name) === loose);
  if (sameSpelling !== undefined) return sameSpelling;
  const key = keyOf(text);
  return available.find((name) => keyOf(name) === key);
}

/** The server's own spelling of the sampler `wanted` names, or undefined when it has none. */
export function matchSampler(wanted: string, available: readonly string[]): string | undefined {
  return matchName(wanted, available, samplerKey);
}

/** The server's own spelling of the scheduler `wanted` names, or undefined when it has none. */
export function matchScheduler(wanted: string, available: readonly string[]): string | undefined {
  return matchName(wanted, available, schedulerKey);
}

/** What to send: the server's name, whether it is what was asked for, and why not (for a log warning). */
export interface NameChoice {
  name: string;
  exact: boolean;
  reason?: string;
}

/** A sampler choice; `scheduler` is set when a combined name was split for a server that takes it apart. */
export interface SamplerChoice extends NameChoice {
  scheduler?: string;
}

/**
 * Nearest keys to `key`, best first: the table's, breadth first up to three steps away (so `PLMS` reaches
 * `Euler` through `LMS`), each step also trying the key without a `_cfg_pp`/`_gpu`/`_pece` variant suffix.
 */
function nearestKeys(key: string, table: Readonly<Record<string, readonly string[]>>): string[] {
  const seen = new Set([key]);
  const order: string[] = [];
  let frontier = [key];
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const current of frontier) {
      const plain = current.replace(/_(cfg_pp|gpu|pece)$/, '');
      for (const near of [...(table[current] ?? []), plain]) {
        if (seen.has(near)) continue;
        seen.add(near);
        order.push(near);
        next.push(near);
      }
    }
    frontier = next;
  }
  return order;
}

interface Dialect {
  noun: 'sampler' | 'scheduler';
  keyOf: KeyOf;
  match: (wanted: string, available: readonly string[]) => string | undefined;
  nearest: Readonly<Record<string, readonly string[]>>;
}

function serverDefault(
  available: readonly string[],
  given: string | undefined,
  dialect: Dialect,
): { name: string; listed: boolean } | undefined {
  if (given !== undefined && given.trim() !== '') {
    return { name: dialect.match(given, available) ?? given.trim(), listed: true };
  }
  const automatic = available.find((name) => dialect.keyOf(name) === DEFAULT_KEY);
  if (automatic !== undefined) return { name: automatic, listed: true };
  const first = available[0];
  return first === undefined ? undefined : { name: first, listed: false };
}

function nearestName(
  wanted: string,
  available: readonly string[],
  given: string | undefined,
  dialect: Dialect,
): NameChoice | undefined {
  const text = wanted.trim();
  const direct = dialect.match(text, available);
  if (direct !== undefined) return { name: direct, exact: true };
  const fallback = serverDefault(available, given, dialect);
  if (fallback === undefined) {
    return {
      name: text,
      exact: false,
      reason: `The server lists no ${dialect.noun}s; sending "${text}" unchanged.`,
    };
  }
  if (text === '' || dialect.keyOf(text) === DEFAULT_KEY) {
    return fallback.listed
      ? { name: fallback.name, exact: true }
      : {
          name: fallback.name,
          exact: false,
          reason: `This server has no automatic ${dialect.noun}; using "${fallback.name}", the first it lists.`,
        };
  }
  return undefined;
}

function nearestByKey(
  wanted: string,
  base: string,
  available: readonly string[],
  dialect: Dialect,
): NameChoice | undefined {
  const key = dialect.keyOf(base);
  if (key === undefined) return undefined;
  for (const near of nearestKeys(key, dialect.nearest)) {
    const found = available.find((name) => dialect.keyOf(name) === near);
    if (found !== undefined) {
      return {
        name: found,
        exact: false,
        reason: `This server has no ${dialect.noun} "${wanted.trim()}"; using the nearest it has, "${found}".`,
      };
    }
  }
  return undefined;
}

function defaultChoice(
  wanted: string,
  available: readonly string[],
  given: string | undefined,
  dialect: Dialect,
): NameChoice {
  const fallback = serverDefault(available, given, dialect);
  const name = fallback?.name ?? wanted.trim();
  return {
    name,
    exact: false,
    reason: `This server has no ${dialect.noun} "${wanted.trim()}" or a close one; using its default, "${name}".`,
  };
}

const SAMPLERS: Dialect = {
  noun: 'sampler',
  keyOf: samplerKey,
  match: matchSampler,
  nearest: SAMPLER_NEAREST,
};
const SCHEDULERS: Dialect = {
  noun: 'scheduler',
  keyOf: schedulerKey,
  match: matchScheduler,
  nearest: SCHEDULER_NEAREST,
};

/**
 * The sampler to send when a member or the configuration asks for `wanted`: the server's own spelling
 * (exact); for a combined name on a server that splits them, its sampler part with `scheduler` set
 * (exact); else the nearest equivalent the server has (`dpmpp_2m_sde` → `DPM++ 2M`, `euler_a_cfg_pp` →
 * `Euler a`); else `serverDefault`, the server's `default` entry or the first it lists. `reason` says
 * why, in one sentence, whenever `exact` is false.
 */
export function nearestSampler(
  wanted: string,
  available: readonly string[],
  serverDefaultName?: string,
): SamplerChoice {
  const early = nearestName(wanted, available, serverDefaultName, SAMPLERS);
  if (early !== undefined) return early;
  const split = splitCombinedSampler(wanted);
  const scheduler = split.scheduler === undefined ? {} : { scheduler: split.scheduler };
  if (split.scheduler !== undefined) {
    const base = matchSampler(split.sampler, available);
    if (base !== undefined) return { name: base, exact: true, ...scheduler };
  }
  const near = nearestByKey(wanted, split.sampler, available, SAMPLERS);
  if (near !== undefined) return { ...near, ...scheduler };
  return defaultChoice(wanted, available, serverDefaultName, SAMPLERS);
}

/**
 * The scheduler to send for `wanted`: the server's own spelling (exact), else the nearest it has
 * (`Align Your Steps 32` → `Align Your Steps`, `Polyexponential` → `exponential`), else
 * `serverDefault`, the server's automatic entry (`Automatic`, `default`) or the first it lists.
 */
export function nearestScheduler(
  wanted: string,
  available: readonly string[],
  serverDefaultName?: string,
): NameChoice {
  return (
    nearestName(wanted, available, serverDefaultName, SCHEDULERS) ??
    nearestByKey(wanted, wanted, available, SCHEDULERS) ??
    defaultChoice(wanted, available, serverDefaultName, SCHEDULERS)
  );
}

/**
 * For servers that list combined names only (Forge Classic, A1111 ≤ 1.8): the name for `sampler` run
 * with `scheduler` (`DPM++ 2M` + `Karras` → `DPM++ 2M Karras`). Without a scheduler, or with the
 * automatic one, this is `nearestSampler`. Where the server has no such combination: the same
 * combination of the nearest sampler, else the sampler alone (its own schedule), each with a reason.
 */
export function toCombinedSampler(
  sampler: string,
  scheduler: string | undefined,
  available: readonly string[],
  serverDefaultName?: string,
): NameChoice {
  const split = splitCombinedSampler(sampler);
  const schedule = scheduler?.trim() || split.scheduler;
  const scheduleKey = schedule === undefined ? undefined : schedulerKey(schedule);
  if (schedule === undefined || scheduleKey === undefined || scheduleKey === DEFAULT_KEY) {
    const choice = nearestSampler(split.sampler, available, serverDefaultName);
    return choice.reason === undefined
      ? { name: choice.name, exact: choice.exact }
      : { name: choice.name, exact: choice.exact, reason: choice.reason };
  }
  const baseKey = samplerKey(split.sampler);
  const combos = available.map((name) => ({ name, parts: splitCombinedSampler(name) }));
  const wantedName = `${split.sampler} ${schedule}`;
  for (const key of [baseKey, ...(baseKey === undefined ? [] : nearestKeys(baseKey, SAMPLER_NEAREST))]) {
    const combo = combos.find(
      ({ parts }) =>
        parts.scheduler !== undefined &&
        samplerKey(parts.sampler) === key &&
        schedulerKey(parts.scheduler) === scheduleKey,
    );
    if (combo === undefined) continue;
    return key === baseKey
      ? { name: combo.name, exact: true }
      : {
          name: combo.name,
          exact: false,
          reason: `This server has no sampler "${wantedName}"; using the nearest it has, "${combo.name}".`,
        };
  }
  const alone = nearestSampler(split.sampler, available, serverDefaultName);
  return {
    name: alone.name,
    exact: false,
    reason: `This server has no sampler "${wantedName}"; using "${alone.name}" with its own schedule.`,
  };
}
