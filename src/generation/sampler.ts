import { matchSampler, matchScheduler, splitCombinedSampler } from '../engines/names.js';
import type { SamplerInfo, SchedulerInfo } from '../engines/types.js';
import { type Message, msg } from '../i18n/translate.js';

export type SamplerResolution =
  | { ok: true; sampler: string; scheduler: string | undefined }
  | { ok: false; message: Message };

function schedulerNames(scheduler: SchedulerInfo): string[] {
  return [scheduler.label, scheduler.name, ...scheduler.aliases];
}

function findSampler(name: string, samplers: readonly SamplerInfo[]): string | undefined {
  const direct = matchSampler(
    name,
    samplers.map((sampler) => sampler.name),
  );
  if (direct !== undefined) return direct;
  // An alias the server lists (`k_dpmpp_2m`) names its sampler.
  return samplers.find((sampler) => matchSampler(name, sampler.aliases) !== undefined)?.name;
}

function findScheduler(name: string, schedulers: readonly SchedulerInfo[]): SchedulerInfo | undefined {
  return schedulers.find((scheduler) => matchScheduler(name, schedulerNames(scheduler)) !== undefined);
}

function refuseName(
  kind: 'sampler' | 'scheduler',
  name: string,
  names: string[],
  max = 12,
): { ok: false; message: Message } {
  const shown = names.slice(0, max).join(', ');
  const more = names.length - max;
  if (kind === 'sampler') {
    return {
      ok: false,
      message:
        more > 0
          ? msg('refusals.sampler.unknownMore', { name, names: shown, more })
          : msg('refusals.sampler.unknown', { name, names: shown }),
    };
  }
  return {
    ok: false,
    message:
      more > 0
        ? msg('refusals.scheduler.unknownMore', { name, names: shown, more })
        : msg('refusals.scheduler.unknown', { name, names: shown }),
  };
}

export interface ResolveOptions {
  /**
   * What a member typed is refused when no server lists it. A configured default is not: each
   * server then runs its nearest equivalent (see the engines), so a default never fails every job.
   */
  strict?: { sampler: boolean; scheduler: boolean };
}

/**
 * Resolves the sampler (and scheduler) a request names against what the servers really have,
 * across spellings (`DPM++ 2M` = `dpm++2m` = `k_dpmpp_2m`, `Karras` = `karras`). A legacy combined
 * name (`DPM++ 2M Karras`) is split where the servers know schedulers, and kept whole where they
 * do not (SD.Next). An unknown typed name is refused: A1111 would silently substitute `DPM++ 2M`.
 */
export function resolveSampler(
  samplerInput: string,
  schedulerInput: string | undefined,
  samplers: readonly SamplerInfo[],
  schedulers: readonly SchedulerInfo[] | null,
  options: ResolveOptions = {},
): SamplerResolution {
  const strict = options.strict ?? { sampler: true, scheduler: true };
  let schedulerName = schedulerInput?.trim() || undefined;
  let sampler = findSampler(samplerInput.trim(), samplers);
  if (sampler === undefined && schedulers !== null) {
    const split = splitCombinedSampler(samplerInput.trim());
    const base = split.scheduler === undefined ? undefined : findSampler(split.sampler, samplers);
    if (base !== undefined && split.scheduler !== undefined) {
      sampler = base;
      schedulerName ??= findScheduler(split.scheduler, schedulers)?.label ?? split.scheduler;
    }
  }
  if (sampler === undefined) {
    if (!strict.sampler || samplers.length === 0) {
      return {
        ok: true,
        sampler: samplerInput.trim(),
        scheduler: schedulers === null ? undefined : schedulerName,
      };
    }
    return refuseName(
      'sampler',
      samplerInput,
      samplers.map((s) => s.name),
    );
  }
  if (schedulers === null || schedulerName === undefined) return { ok: true, sampler, scheduler: undefined };
  const scheduler = findScheduler(schedulerName, schedulers);
  if (scheduler === undefined) {
    if (!strict.scheduler || schedulers.length === 0) return { ok: true, sampler, scheduler: schedulerName };
    return refuseName(
      'scheduler',
      schedulerName,
      schedulers.map((s) => s.label),
    );
  }
  return { ok: true, sampler, scheduler: scheduler.label };
}
