/**
 * A name a server lacks, mapped to the nearest one it has (or its own default), with the reason for
 * a log warning: the other half of `names.ts`.
 */

import { matchSampler, matchScheduler, samplerKey, schedulerKey, splitCombinedSampler } from './names.js';
import { DEFAULT_KEY, SAMPLER_NEAREST, SCHEDULER_NEAREST } from './names-data.js';

type KeyOf = (name: string) => string | undefined;

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
