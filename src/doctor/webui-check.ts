import { z } from 'zod';
import type { BackendConfig } from '../config.js';
import {
  SdApiDisabledError,
  SdAuthError,
  SdError,
  SdTimeoutError,
  SdUnreachableError,
} from '../engines/errors.js';
import { resolveSampler } from '../generation/sampler.js';
import { createSdClient } from '../sd/client.js';
import type { SdClient, SdModel, SdOptions, SdSampler, SdScheduler } from '../sd/types.js';
import { type FlavourSignals, toFlavour } from './flavour.js';
import { describeNetworkError, getJson, type HttpDeps } from './http.js';
import { type CheckLine, fail, info, pass, warn } from './report.js';

export interface WebuiCheckInput {
  backend: BackendConfig;
  defaults: { sampler: string; scheduler: string };
}

const versionSchema = z.record(z.string(), z.unknown());

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

function firstFailure(label: string, error: unknown, input: WebuiCheckInput, timeoutMs: number): CheckLine[] {
  const { username } = input.backend;
  if (error instanceof SdUnreachableError || error instanceof SdTimeoutError) {
    return [
      fail(
        `WebUI ${label} not reachable: ${error instanceof SdTimeoutError ? 'no answer in time' : describeNetworkError(error.cause ?? error, timeoutMs)}`,
        'start the WebUI, or fix the host and port in SD_API_URL (from another machine start it with --listen)',
      ),
    ];
  }
  const reachable = pass(`WebUI ${label} reachable`);
  if (error instanceof SdApiDisabledError) {
    return [
      reachable,
      fail(
        `WebUI ${label}: /sdapi/v1 answers 404, the API is off`,
        'start the WebUI with --api (e.g. COMMANDLINE_ARGS="--api" in webui-user.sh), or fix the path in SD_API_URL',
      ),
    ];
  }
  const apiOn = pass(`WebUI ${label}: API enabled`);
  if (error instanceof SdAuthError) {
    return [
      reachable,
      apiOn,
      fail(
        `WebUI ${label}: credentials ${username === undefined ? 'required' : 'rejected'} (401)`,
        username === undefined
          ? 'the WebUI runs with --api-auth: set SD_API_USERNAME and SD_API_PASSWORD to its user:pass'
          : 'SD_API_USERNAME/SD_API_PASSWORD must match --api-auth user:pass',
      ),
    ];
  }
  const what =
    error instanceof SdError ? error.message : error instanceof Error ? error.message : String(error);
  return [
    reachable,
    fail(
      `WebUI ${label}: unexpected answer: ${what}`,
      'check that SD_API_URL points at a Stable Diffusion WebUI',
    ),
  ];
}

function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Probes the read-only routes that tell the WebUIs apart (never /cmd-flags or /internal/sysinfo). */
async function probeRoutes(
  backend: BackendConfig,
  deps: HttpDeps,
): Promise<Pick<FlavourSignals, 'version' | 'hasSdModules'>> {
  const { url, username, password } = backend;
  const headers: Record<string, string> =
    username === undefined || password === undefined
      ? {}
      : { authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` };
  const [version, modules] = await Promise.all([
    getJson(`${url}/sdapi/v1/version`, headers, deps),
    getJson(`${url}/sdapi/v1/sd-modules`, headers, deps),
  ]);
  const body = version.ok && version.status === 200 ? versionSchema.safeParse(version.json) : undefined;
  return {
    version: body?.success === true ? body.data : null,
    hasSdModules: modules.ok && modules.status === 200,
  };
}

/** Reachable, API on, credentials accepted, models and samplers, defaults usable, flavour: one line each. */
export async function checkWebui(input: WebuiCheckInput, deps: HttpDeps): Promise<CheckLine[]> {
  const { url, username, password } = input.backend;
  const client: SdClient = createSdClient({
    url,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    timeoutMs: deps.timeoutMs,
    connectTimeoutMs: Math.min(deps.timeoutMs, 5_000),
    ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
  });
  const label = client.label;
  try {
    let models: SdModel[];
    try {
      models = await client.listModels();
    } catch (error: unknown) {
      return firstFailure(label, error, input, deps.timeoutMs);
    }
    const lines: CheckLine[] = [pass(`WebUI ${label} reachable`), pass(`WebUI ${label}: API enabled`)];
    if (username !== undefined) lines.push(pass(`WebUI ${label}: credentials accepted`));
    else if (!isLoopback(url)) {
      lines.push(
        warn(
          `WebUI ${label}: the API has no password`,
          'anyone who reaches that port can use the GPU; consider --api-auth user:pass and SD_API_USERNAME/SD_API_PASSWORD',
        ),
      );
    } else lines.push(pass(`WebUI ${label}: no credentials needed`));

    let samplers: SdSampler[];
    let schedulers: SdScheduler[] | null;
    let options: SdOptions | null = null;
    try {
      [samplers, schedulers] = await Promise.all([client.listSamplers(), client.listSchedulers()]);
      options = await client.getOptions().catch(() => null);
    } catch (error: unknown) {
      const what = error instanceof Error ? error.message : String(error);
      lines.push(fail(`WebUI ${label}: could not list samplers: ${what}`, 'check the WebUI log for errors'));
      return lines;
    }
    const counts = `${models.length} model${models.length === 1 ? '' : 's'}, ${samplers.length} samplers${
      schedulers === null ? '' : `, ${schedulers.length} schedulers`
    }`;
    if (models.length === 0) {
      lines.push(
        fail(
          `WebUI ${label}: ${counts}`,
          'put a checkpoint (.safetensors) in models/Stable-diffusion and restart or refresh the WebUI',
        ),
      );
    } else {
      const loaded = options?.sd_model_checkpoint ?? null;
      lines.push(pass(`WebUI ${label}: ${counts}${loaded === null ? '' : `; loaded: ${shorten(loaded)}`}`));
    }
    const resolved = resolveSampler(input.defaults.sampler, input.defaults.scheduler, samplers, schedulers);
    if (!resolved.ok) {
      lines.push(
        fail(
          `WebUI ${label}: the default sampler does not work here: ${resolved.message}`,
          'set DEFAULT_SAMPLER (and DEFAULT_SCHEDULER) to names this server lists',
        ),
      );
    }
    const flavour = toFlavour({ ...(await probeRoutes(input.backend, deps)), samplers, schedulers, options });
    lines.push(info(`WebUI ${label} looks like ${flavour.name} (${flavour.detail})`));
    return lines;
  } finally {
    await client.close();
  }
}
