import { nearestSampler, nearestScheduler, toCombinedSampler } from './names.js';
import type { Capabilities } from './types.js';

/** One server's own sampler and scheduler names (from its lists). */
export interface ServerNames {
  samplers: readonly string[];
  /** null: the server takes no scheduler of its own. */
  schedulers: readonly string[] | null;
}

export interface WireNames {
  sampler: string;
  /** Absent where the server takes no scheduler field (combined names, SD.Next). */
  scheduler?: string | undefined;
  /** A sentence per name the server lacked and what runs instead (logged once per server and name). */
  fallbacks: string[];
}

/**
 * Pure: the sampler and scheduler a request names, in this server's own spelling. A name the server
 * lacks becomes its nearest equivalent, or the server's own default, never a failed job. Servers with
 * combined names (A1111 ≤ 1.8, Forge Classic) get `DPM++ 2M Karras` as one sampler.
 */
export function toServerNames(
  wanted: { sampler: string; scheduler: string | undefined },
  names: ServerNames,
  mode: Capabilities['schedulers'],
): WireNames {
  const fallbacks: string[] = [];
  if (names.samplers.length === 0)
    return {
      sampler: wanted.sampler,
      scheduler: mode === 'separate' ? wanted.scheduler : undefined,
      fallbacks,
    };
  if (mode === 'combined') {
    const combined = toCombinedSampler(wanted.sampler, wanted.scheduler, names.samplers);
    if (combined.reason !== undefined) fallbacks.push(combined.reason);
    return { sampler: combined.name, fallbacks };
  }
  const sampler = nearestSampler(wanted.sampler, names.samplers);
  if (sampler.reason !== undefined) fallbacks.push(sampler.reason);
  if (mode === 'none' || names.schedulers === null) return { sampler: sampler.name, fallbacks };
  const schedulerWanted = wanted.scheduler ?? sampler.scheduler;
  if (schedulerWanted === undefined) return { sampler: sampler.name, fallbacks };
  const scheduler = nearestScheduler(schedulerWanted, names.schedulers);
  if (scheduler.reason !== undefined) fallbacks.push(scheduler.reason);
  return { sampler: sampler.name, scheduler: scheduler.name, fallbacks };
}
