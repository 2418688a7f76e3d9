import type { SdOptions, SdSampler, SdScheduler } from '../sd/types.js';

/** What the doctor learnt from read-only routes; `null` where a route was missing or failed. */
export interface FlavourSignals {
  /** The body of SD.Next's `GET /sdapi/v1/version` when it answered 200. */
  version: Record<string, unknown> | null;
  /** Forge's `GET /sdapi/v1/sd-modules` answered 200. */
  hasSdModules: boolean;
  samplers: readonly SdSampler[];
  schedulers: readonly SdScheduler[] | null;
  options: SdOptions | null;
}

export interface Flavour {
  name: 'AUTOMATIC1111' | 'Forge' | 'SD.Next' | 'AUTOMATIC1111 or SD.Next';
  /** Why we think so, for the report line. */
  detail: string;
}

/** Samplers and schedulers that only Forge adds to A1111's lists. */
const FORGE_SAMPLERS = new Set(['HeunPP2', 'IPNDM', 'IPNDM_V', 'DEIS', 'DDPM']);
const FORGE_SCHEDULERS = new Set([
  'turbo',
  'align_your_steps_GITS',
  'align_your_steps_11',
  'align_your_steps_32',
]);

function versionText(version: Record<string, unknown>): string {
  const parts = ['version', 'updated', 'hash']
    .map((key) => version[key])
    .filter((value): value is string => typeof value === 'string' && value !== '');
  return parts.length === 0 ? 'has /sdapi/v1/version' : parts.join(', ').slice(0, 60);
}

/** Pure: which WebUI the signals point at, best evidence first. */
export function toFlavour(signals: FlavourSignals): Flavour {
  if (signals.version !== null) return { name: 'SD.Next', detail: versionText(signals.version) };
  const forgeOption =
    signals.options !== null && Object.keys(signals.options).some((key) => key.startsWith('forge_'));
  // SD.Next shares some sampler names (DEIS) but has no schedulers: only trust them next to A1111's schedulers.
  const forgeSampler =
    signals.schedulers !== null &&
    (signals.samplers.some((sampler) => FORGE_SAMPLERS.has(sampler.name)) ||
      signals.schedulers.some((scheduler) => FORGE_SCHEDULERS.has(scheduler.name)));
  if (signals.hasSdModules || forgeOption || forgeSampler) {
    const why = signals.hasSdModules
      ? 'has /sdapi/v1/sd-modules'
      : forgeOption
        ? 'has forge_* options'
        : 'has Forge samplers';
    return { name: 'Forge', detail: why };
  }
  if (signals.schedulers !== null)
    return { name: 'AUTOMATIC1111', detail: '1.9 or later: has /sdapi/v1/schedulers' };
  if (signals.samplers.some((sampler) => sampler.name === 'Default')) {
    return { name: 'SD.Next', detail: 'diffusers sampler list, no /sdapi/v1/schedulers' };
  }
  return {
    name: 'AUTOMATIC1111 or SD.Next',
    detail: 'no /sdapi/v1/schedulers: SD.Next or AUTOMATIC1111 before 1.9',
  };
}
