import type { BackendConfig } from '../config.js';
import { createA1111Engine } from '../engines/a1111/engine.js';
import { describeLimits } from '../engines/describe.js';
import {
  SdApiDisabledError,
  SdAuthError,
  SdError,
  SdTimeoutError,
  SdUnreachableError,
} from '../engines/errors.js';
import { toServerNames } from '../engines/server-names.js';
import type { Capabilities } from '../engines/types.js';
import { resolveSampler } from '../generation/sampler.js';
import { render } from '../i18n/translate.js';
import { createSdClient } from '../sd/client.js';
import type { SdClient, SdModel, SdOptions, SdSampler, SdScheduler } from '../sd/types.js';
import { describeNetworkError, type HttpDeps } from './http.js';
import { type CheckLine, fail, info, pass, warn } from './report.js';

export interface WebuiCheckInput {
  backend: BackendConfig;
  defaults: { sampler: string; scheduler: string };
}

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

/** How the dialect was told apart, for the "looks like" line. */
function dialectDetail(capabilities: Capabilities): string {
  switch (capabilities.dialect) {
    case 'a1111':
      return ' (1.9 or later: has /sdapi/v1/schedulers)';
    case 'a1111-legacy':
      return ': no /sdapi/v1/schedulers';
    case 'sdnext':
    case 'koboldcpp':
      return capabilities.version === null ? '' : ` (${shorten(capabilities.version, 40)})`;
    default:
      return '';
  }
}

/**
 * The configured default sampler and scheduler in this server's own names. A name the server lacks
 * is a warning, not a failure: the bot runs the server's nearest equivalent (or its own default).
 */
function checkDefaultNames(
  label: string,
  defaults: { sampler: string; scheduler: string },
  samplers: SdSampler[],
  schedulers: SdScheduler[] | null,
  capabilities: Capabilities,
): CheckLine[] {
  const resolved = resolveSampler(defaults.sampler, defaults.scheduler, samplers, schedulers);
  if (resolved.ok) return [];
  const wire = toServerNames(
    { sampler: defaults.sampler, scheduler: defaults.scheduler },
    {
      samplers: samplers.map((sampler) => sampler.name),
      schedulers: schedulers === null ? null : schedulers.map((scheduler) => scheduler.label),
    },
    capabilities.schedulers,
  );
  const runs = `${wire.sampler}${wire.scheduler === undefined ? '' : ` · ${wire.scheduler}`}`;
  return [
    warn(
      `WebUI ${label}: the default sampler is not on this server (${render(resolved.message)}); it runs ${runs} instead`,
      'set DEFAULT_SAMPLER (and DEFAULT_SCHEDULER) to names this server lists, or leave them: jobs still run',
    ),
  ];
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
    const { capabilities } = await createA1111Engine({
      client,
      auth: password === undefined ? 'none' : 'basic',
    }).probe({ timeoutMs: deps.timeoutMs });
    lines.push(...checkDefaultNames(label, input.defaults, samplers, schedulers, capabilities));
    lines.push(info(`WebUI ${label} looks like ${capabilities.name}${dialectDetail(capabilities)}`));
    for (const limit of describeLimits(capabilities))
      lines.push(info(`WebUI ${label} (${capabilities.name}) ${render(limit)}`));
    return lines;
  } finally {
    await client.close();
  }
}
