import type { Capabilities, Dialect } from '../types.js';

/**
 * The routes whose presence the probe checks (see `probe.ts` for how each is asked): only reads.
 * Routes that change something (interrupt, POST options, extras) are known from the dialect
 * instead, and a 404 from one of them at run time is taken as the missing capability it is.
 */
export const PROBED_ROUTES = [
  'progress',
  'interrogate',
  'loras',
  'embeddings',
  'prompt-styles',
  'scripts',
  'sd-modules',
  'sd-vae',
  'detailers',
  'schedulers',
  'internal-progress',
  'version',
  'sdcpp-capabilities',
  'koboldcpp-version',
] as const;
export type ProbedRoute = (typeof PROBED_ROUTES)[number];

/** What the probe learnt, as plain data. */
export interface A1111Signals {
  routes: Readonly<Record<ProbedRoute, boolean>>;
  /** SD.Next's `GET /sdapi/v1/version` body, or KoboldCpp's `/api/extra/version`. */
  versionBody: Record<string, unknown> | null;
  options: Record<string, unknown> | null;
  samplers: readonly string[];
  /** Script titles (lower case) installed for txt2img. */
  scripts: readonly string[];
  /** The bot sends credentials, and how. */
  auth: 'none' | 'basic' | 'bearer';
}

const NAMES: Record<Dialect, string> = {
  a1111: 'AUTOMATIC1111',
  'a1111-legacy': 'AUTOMATIC1111 1.8 or older, or Forge Classic',
  forge: 'Forge',
  'forge-neo': 'Forge Neo',
  'forge-classic': 'Forge Classic',
  reforge: 'reForge',
  sdnext: 'SD.Next',
  sdcpp: 'stable-diffusion.cpp',
  koboldcpp: 'KoboldCpp',
  comfyui: 'ComfyUI',
};

export function dialectName(dialect: Dialect): string {
  return NAMES[dialect];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Pure: which server it is, best evidence first. */
export function toDialect(signals: A1111Signals): Dialect {
  const { routes } = signals;
  const body = signals.versionBody;
  if (routes['koboldcpp-version'] && /kobold/i.test(String(body?.result ?? ''))) return 'koboldcpp';
  if (routes['sdcpp-capabilities']) return 'sdcpp';
  if (routes.version && /sd\.?next/i.test(String(body?.app ?? ''))) return 'sdnext';
  const optionKeys = Object.keys(signals.options ?? {});
  const forgeOptions = optionKeys.some((key) => key.startsWith('forge_'));
  if (routes['sd-modules']) return routes.interrogate ? 'forge' : 'forge-neo';
  if (forgeOptions) return routes.schedulers ? 'forge' : 'forge-classic';
  if (optionKeys.some((key) => key.startsWith('reforge') || key === 'sd_vae_as_default_reforge'))
    return 'reforge';
  if (!routes.schedulers && signals.samplers.includes('Default')) return 'sdnext';
  return routes.schedulers ? 'a1111' : 'a1111-legacy';
}

/**
 * Pure: a dialect made precise by the version a generation reported (`info.version`): Forge Classic
 * and reForge answer exactly the routes A1111 does, and only their version strings differ.
 */
export function refineDialect(capabilities: Capabilities, version: string | null): Capabilities {
  if (version === null) return capabilities;
  const dialect: Dialect | undefined = /^classic/i.test(version)
    ? 'forge-classic'
    : /^neo/i.test(version)
      ? 'forge-neo'
      : /^f\d+\.\d+\.\d+v\d+-v/.test(version)
        ? 'reforge'
        : undefined;
  if (dialect === undefined || dialect === capabilities.dialect) return capabilities;
  return { ...capabilities, dialect, name: dialectName(dialect), version };
}

/** Pure: the capability record for what the probe saw. */
export function toCapabilities(signals: A1111Signals): Capabilities {
  const dialect = toDialect(signals);
  const { routes } = signals;
  const cpp = dialect === 'sdcpp' || dialect === 'koboldcpp';
  // SD.Next answers /internal/progress in a shape of its own and ignores `force_task_id`.
  const progress =
    routes['internal-progress'] && dialect !== 'sdnext' ? 'task' : routes.progress ? 'global' : 'none';
  const version =
    dialect === 'sdnext' || dialect === 'koboldcpp'
      ? (text(signals.versionBody?.version) ?? text(signals.versionBody?.hash))
      : null;
  return {
    dialect,
    name: dialectName(dialect),
    version,
    img2img: true,
    progress,
    preview: routes.progress && !cpp,
    // /interrupt comes with /progress on every server of the family.
    interrupt: progress === 'task' ? 'task' : 'none',
    dequeue: false,
    upscale: !cpp,
    models: cpp ? 'fixed' : 'switch',
    schedulers: routes.schedulers ? 'separate' : dialect === 'sdnext' ? 'none' : 'combined',
    sizeMultiple: dialect === 'forge-neo' || cpp ? 64 : 8,
    ownSeeds: cpp,
    loras: routes.loras,
    embeddings: routes.embeddings,
    styles: routes['prompt-styles'],
    hires: true,
    // The ADetailer extension's script, or SD.Next's built-in detailer (`/detailers`).
    adetailer: signals.scripts.includes('adetailer') || (dialect === 'sdnext' && routes.detailers),
    auth: signals.auth,
  };
}
