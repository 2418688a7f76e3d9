import type { SdSampler, SdScheduler } from '../sd/types.js';

export type SamplerResolution =
  | { ok: true; sampler: string; scheduler: string | undefined }
  | { ok: false; message: string };

const norm = (value: string) => value.trim().toLowerCase();

function schedulerNames(scheduler: SdScheduler): string[] {
  return [scheduler.name, scheduler.label, ...scheduler.aliases];
}

function findSampler(name: string, samplers: SdSampler[]): SdSampler | undefined {
  const wanted = norm(name);
  return (
    samplers.find((sampler) => sampler.name === name) ??
    samplers.find((sampler) => norm(sampler.name) === wanted) ??
    samplers.find((sampler) => sampler.aliases.some((alias) => norm(alias) === wanted))
  );
}

function findScheduler(name: string, schedulers: SdScheduler[]): SdScheduler | undefined {
  const wanted = norm(name);
  return schedulers.find((scheduler) =>
    schedulerNames(scheduler).some((candidate) => norm(candidate) === wanted),
  );
}

function listNames(names: string[], max = 12): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * Resolves the sampler (and scheduler) a request names against what the server really has.
 * A legacy combined name (`DPM++ 2M Karras`) is split where the server knows schedulers, and
 * kept whole where it does not (SD.Next). Unknown names are refused: A1111 would silently
 * substitute `DPM++ 2M`.
 */
export function resolveSampler(
  samplerInput: string,
  schedulerInput: string | undefined,
  samplers: SdSampler[],
  schedulers: SdScheduler[] | null,
): SamplerResolution {
  let samplerName = samplerInput.trim();
  let schedulerName = schedulerInput?.trim() || undefined;

  if (schedulers !== null && findSampler(samplerName, samplers) === undefined) {
    for (const scheduler of schedulers) {
      const suffix = schedulerNames(scheduler).find((candidate) =>
        norm(samplerName).endsWith(` ${norm(candidate)}`),
      );
      if (suffix !== undefined) {
        const base = samplerName.slice(0, samplerName.length - suffix.length - 1).trim();
        if (findSampler(base, samplers) !== undefined) {
          samplerName = base;
          schedulerName ??= scheduler.label;
          break;
        }
      }
    }
  }

  const sampler = findSampler(samplerName, samplers);
  if (sampler === undefined) {
    return {
      ok: false,
      message: `Unknown sampler "${samplerInput}". This server has: ${listNames(samplers.map((s) => s.name))}.`,
    };
  }
  if (schedulers === null) {
    return { ok: true, sampler: sampler.name, scheduler: undefined };
  }
  if (schedulerName === undefined) return { ok: true, sampler: sampler.name, scheduler: undefined };
  const scheduler = findScheduler(schedulerName, schedulers);
  if (scheduler === undefined) {
    return {
      ok: false,
      message: `Unknown scheduler "${schedulerName}". This server has: ${listNames(schedulers.map((s) => s.label))}.`,
    };
  }
  return { ok: true, sampler: sampler.name, scheduler: scheduler.label };
}
