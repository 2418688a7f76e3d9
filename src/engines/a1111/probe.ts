import type { SdClient } from '../../sd/types.js';
import { SdError } from '../errors.js';
import type { ServerNames } from '../server-names.js';
import type { Capabilities, RequestOptions } from '../types.js';
import { type A1111Signals, PROBED_ROUTES, type ProbedRoute, toCapabilities } from './dialect.js';

/** What the probe found for the optional features (see `features.ts`). */
export interface ProbedFeatures {
  /** Forge's `/sd-modules` names (VAE and text encoders). */
  sdModules: string[];
  detailer: 'adetailer' | 'sdnext' | 'none';
}

/** How each route is asked without changing anything. A route exists when it answers anything but 404. */
const REQUESTS: Record<ProbedRoute, { method: 'GET' | 'POST'; route: string; body?: unknown }> = {
  progress: { method: 'GET', route: '/sdapi/v1/progress?skip_current_image=true' },
  interrogate: { method: 'GET', route: '/sdapi/v1/interrogate' },
  loras: { method: 'GET', route: '/sdapi/v1/loras' },
  embeddings: { method: 'GET', route: '/sdapi/v1/embeddings' },
  'prompt-styles': { method: 'GET', route: '/sdapi/v1/prompt-styles' },
  scripts: { method: 'GET', route: '/sdapi/v1/scripts' },
  'sd-modules': { method: 'GET', route: '/sdapi/v1/sd-modules' },
  'sd-vae': { method: 'GET', route: '/sdapi/v1/sd-vae' },
  detailers: { method: 'GET', route: '/sdapi/v1/detailers' },
  schedulers: { method: 'GET', route: '/sdapi/v1/schedulers' },
  // The page's task queue (UI mode): where it answers, so does POST /internal/progress.
  'internal-progress': { method: 'GET', route: '/internal/pending-tasks' },
  version: { method: 'GET', route: '/sdapi/v1/version' },
  'sdcpp-capabilities': { method: 'GET', route: '/sdcpp/v1/capabilities' },
  'koboldcpp-version': { method: 'GET', route: '/api/extra/version' },
};

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Asks every probed route at once, then the options and lists that tell the servers apart. */
export async function probeA1111(
  client: SdClient,
  auth: A1111Signals['auth'],
  options: RequestOptions = {},
): Promise<{
  capabilities: Capabilities;
  loadedModel: string | null;
  names: ServerNames;
  features: ProbedFeatures;
}> {
  const answers = await Promise.all(
    PROBED_ROUTES.map(async (name) => {
      const request = REQUESTS[name];
      try {
        const answer = await client.probeRoute(request.method, request.route, {
          timeoutMs: options.timeoutMs ?? 10_000,
          signal: options.signal,
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        return [name, answer] as const;
      } catch (error: unknown) {
        // No answer at all: the server is down, which the caller must hear about.
        if (error instanceof SdError && error.code === 'unreachable') throw error;
        return [name, { status: 0, text: '' }] as const;
      }
    }),
  );
  const byName = new Map(answers);
  const exists = (name: ProbedRoute) => {
    const status = byName.get(name)?.status ?? 0;
    return status !== 0 && status !== 404;
  };
  const routes = Object.fromEntries(PROBED_ROUTES.map((name) => [name, exists(name)])) as Record<
    ProbedRoute,
    boolean
  >;
  // SD.Next's /version or KoboldCpp's /api/extra/version (only a 200 counts).
  const versionAnswer = [byName.get('koboldcpp-version'), byName.get('version')].find(
    (answer) => answer?.status === 200,
  );
  const versionBody = versionAnswer === undefined ? null : parse(versionAnswer.text);
  const scriptsAnswer = byName.get('scripts');
  const scriptsBody = scriptsAnswer?.status === 200 ? parse(scriptsAnswer.text) : null;
  const scripts =
    isRecord(scriptsBody) && Array.isArray(scriptsBody.txt2img)
      ? scriptsBody.txt2img.map((title) => String(title).toLowerCase())
      : [];
  const [optionsValue, samplers, schedulers] = await Promise.all([
    client.getOptions(options).catch(() => null),
    client.listSamplers(options).catch(() => []),
    client.listSchedulers(options).catch(() => null),
  ]);
  const capabilities = toCapabilities({
    routes,
    versionBody: isRecord(versionBody) ? versionBody : null,
    options: optionsValue,
    samplers: samplers.map((sampler) => sampler.name),
    scripts,
    auth,
  });
  const names: ServerNames = {
    samplers: samplers.map((sampler) => sampler.name),
    schedulers: schedulers === null ? null : schedulers.map((scheduler) => scheduler.label),
  };
  const modulesAnswer = byName.get('sd-modules');
  const modulesBody = modulesAnswer?.status === 200 ? parse(modulesAnswer.text) : null;
  const features: ProbedFeatures = {
    sdModules: Array.isArray(modulesBody)
      ? modulesBody.flatMap((module) =>
          isRecord(module) && typeof module.model_name === 'string' ? [module.model_name] : [],
        )
      : [],
    detailer: scripts.includes('adetailer') ? 'adetailer' : capabilities.adetailer ? 'sdnext' : 'none',
  };
  return { capabilities, loadedModel: optionsValue?.sd_model_checkpoint ?? null, names, features };
}
