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

import {
  COMBINABLE_SCHEDULERS,
  DISTINCT_SUFFIXES,
  K_ALIAS_SUFFIXES,
  SAMPLER_TABLE,
  SCHEDULER_TABLE,
  type Table,
} from './names-data.js';

export { DEFAULT_KEY } from './names-data.js';

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

export {
  type NameChoice,
  nearestSampler,
  nearestScheduler,
  type SamplerChoice,
  toCombinedSampler,
} from './nearest-names.js';
