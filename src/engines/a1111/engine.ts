import type { LoraCatalogEntry } from '../../generation/loras.js';
import type { Logger } from '../../log.js';
import type { SdClient } from '../../sd/types.js';
import { SdError, SdUnsupportedError } from '../errors.js';
import { type ServerNames, toServerNames } from '../server-names.js';
import type {
  Capabilities,
  Engine,
  EngineResult,
  EngineRun,
  GenerateRequest,
  RequestOptions,
  RunOptions,
} from '../types.js';
import { refineDialect } from './dialect.js';
import { type FeatureContext, toFeatureFields } from './features.js';
import { type ProbedFeatures, probeA1111 } from './probe.js';
import { type SendRequest, trackRequest } from './track.js';
import { toImg2ImgRequest, toTxt2ImgRequest } from './wire.js';

/** Before the first probe: what every `/sdapi` server has, and nothing more. */
export const UNPROBED_CAPABILITIES: Capabilities = {
  dialect: 'a1111',
  name: 'AUTOMATIC1111-compatible server',
  version: null,
  img2img: true,
  progress: 'none',
  preview: false,
  interrupt: 'none',
  dequeue: false,
  upscale: false,
  // Optimistic: a switch is tried, and a 404 says the server cannot.
  models: 'switch',
  schedulers: 'separate',
  sizeMultiple: 8,
  ownSeeds: false,
  loras: false,
  embeddings: false,
  styles: false,
  hires: false,
  adetailer: false,
  auth: 'none',
};

export interface A1111EngineOptions {
  client: SdClient;
  /** How the bot sends credentials (for the capabilities' `auth`). */
  auth: 'none' | 'basic' | 'bearer';
  /** Where a configured name the server lacks is reported (once). */
  log?: Pick<Logger, 'warn'> | undefined;
}

/** The AUTOMATIC1111 family (A1111, Forge and its forks, SD.Next, stable-diffusion.cpp, KoboldCpp) over `/sdapi/v1`. */
// One closure on purpose: the probed capabilities and names are this server's state, read by every call.
export function createA1111Engine(options: A1111EngineOptions): Engine {
  const { client } = options;
  let capabilities: Capabilities = UNPROBED_CAPABILITIES;
  /** Settles when the first probe does, even when asked before that probe has begun. */
  let firstProbeSettled: () => void = () => undefined;
  const firstProbe = new Promise<void>((resolve) => {
    firstProbeSettled = resolve;
  });
  let names: ServerNames = { samplers: [], schedulers: null };
  let features: ProbedFeatures = { sdModules: [], detailer: 'none' };
  /** The server's LoRAs as last listed (for aliases and paths); fetched before a request that uses one. */
  let loraCatalog: LoraCatalogEntry[] | undefined;
  const listLoras = async (requestOptions?: RequestOptions) => {
    const loras = await client.listLoras(requestOptions);
    loraCatalog = loras.map((lora) => ({
      name: lora.name,
      ...(lora.alias === null ? {} : { alias: lora.alias }),
      ...(lora.path === null ? {} : { path: lora.path }),
    }));
    return loras.map((lora) => ({
      name: lora.name,
      alias: lora.alias ?? undefined,
      path: lora.path ?? undefined,
      metadata: lora.metadata,
    }));
  };
  /** The request's features as this server takes them, merged into a body built by `wire.ts`. */
  const withFeatures = async <B extends { prompt: string; override_settings?: Record<string, unknown> }>(
    body: B,
    request: GenerateRequest,
    signal: AbortSignal,
  ): Promise<B> => {
    if ((request.loras?.length ?? 0) > 0 && loraCatalog === undefined && capabilities.loras) {
      await listLoras({ signal, timeoutMs: 15_000 }).catch(() => undefined);
    }
    const context: FeatureContext = {
      capabilities,
      loras: loraCatalog ?? [],
      sdModules: features.sdModules,
      detailer: features.detailer,
    };
    const extra = toFeatureFields({ ...request, prompt: body.prompt }, context);
    const overrides = { ...body.override_settings, ...extra.overrides };
    return {
      ...body,
      ...extra.fields,
      prompt: extra.prompt,
      ...(Object.keys(overrides).length === 0 ? {} : { override_settings: overrides }),
    };
  };
  /** Fallbacks already logged: one warning per server and name. */
  const warned = new Set<string>();

  /** The request in this server's own names (its nearest equivalent for a name it lacks). */
  const toWire = <T extends { sampler: string; scheduler: string | undefined }>(request: T): T => {
    const wire = toServerNames(request, names, capabilities.schedulers);
    for (const fallback of wire.fallbacks) {
      if (warned.has(fallback)) continue;
      warned.add(fallback);
      options.log?.warn({ backend: client.label, fallback }, 'the image server lacks a configured name');
    }
    return { ...request, sampler: wire.sampler, scheduler: wire.scheduler };
  };

  const toResult = (result: Awaited<ReturnType<SdClient['txt2img']>>): EngineResult => {
    capabilities = refineDialect(capabilities, result.info.version);
    return {
      images: result.images,
      seeds: result.info.all_seeds.length > 0 ? result.info.all_seeds : [result.info.seed],
      model: result.info.sd_model_name,
      modelHash: result.info.sd_model_hash,
      sampler: result.info.sampler_name,
      infotexts: result.info.infotexts,
    };
  };

  /** One request, tracked with the capabilities of the moment it is sent. */
  const track = (send: SendRequest, run: RunOptions): EngineRun =>
    trackRequest(client, capabilities, send, run);

  return {
    id: client.label,
    get capabilities() {
      return capabilities;
    },
    probe(requestOptions) {
      const probing = probeA1111(client, options.auth, requestOptions).then((result) => {
        capabilities = result.capabilities;
        names = result.names;
        features = result.features;
        return { capabilities: result.capabilities, loadedModel: result.loadedModel };
      });
      probing.then(firstProbeSettled, firstProbeSettled);
      return probing;
    },
    // The runner starts probing only after the lists are fetched: a command may ask before that.
    ready: () => firstProbe,
    async ping(requestOptions) {
      const pingOptions = { timeoutMs: 5000, ...requestOptions };
      // stable-diffusion.cpp and KoboldCpp have no /progress (a 404 would keep them out for good):
      // their one-entry model list is as cheap.
      if (capabilities.progress === 'none') {
        await client.listModels(pingOptions);
        return;
      }
      await client.progress({ skipCurrentImage: true }, pingOptions);
    },
    generate(request: GenerateRequest, run: RunOptions): EngineRun {
      return track(async (taskId, signal, onResponseStart) => {
        const forced = taskId === undefined ? {} : { force_task_id: taskId };
        const requestOptions = { signal, onResponseStart, onImage: run.onImage };
        const wire = toWire(snapSize(request, capabilities.sizeMultiple));
        const result =
          wire.kind === 'img2img' && wire.initImage !== undefined
            ? await client.img2img(
                await withFeatures(
                  { ...toImg2ImgRequest({ ...wire, initImage: wire.initImage }), ...forced },
                  wire,
                  signal,
                ),
                requestOptions,
              )
            : await client.txt2img(
                await withFeatures({ ...toTxt2ImgRequest(wire), ...forced }, wire, signal),
                requestOptions,
              );
        return toResult(result);
      }, run);
    },
    upscale(request, run) {
      // `extra-single-image` takes no task id: once it is sent, it can only be discarded.
      return track(
        async (_taskId, signal, onResponseStart) => {
          const image = await client
            .extraSingleImage(
              {
                image: request.image,
                upscaler_1: request.upscaler,
                upscaling_resize: request.factor,
                resize_mode: 0,
              },
              { signal, onResponseStart },
            )
            .catch((error: unknown) => {
              throw missingRoute(error, client.label, 'upscale images');
            });
          return {
            images: [image],
            seeds: [],
            model: request.upscaler,
            modelHash: null,
            sampler: null,
            infotexts: [
              `Postprocess upscale by: ${request.factor}, Postprocess upscaler: ${request.upscaler}`,
            ],
          };
        },
        { ...run, onProgress: undefined },
      );
    },
    listCheckpoints: (requestOptions) => client.listModels(requestOptions),
    listSamplers: (requestOptions) => client.listSamplers(requestOptions),
    listSchedulers: (requestOptions) => client.listSchedulers(requestOptions),
    listUpscalers: (requestOptions) => client.listUpscalers(requestOptions),
    // A list route the server lacks (404) is an empty list: styles on stable-diffusion.cpp, say.
    listLoras: (requestOptions) => listLoras(requestOptions).catch(emptyOn404),
    async listEmbeddings(requestOptions) {
      const embeddings = await client.listEmbeddings(requestOptions).catch(emptyOn404);
      return embeddings.map((embedding) => ({
        name: embedding.name,
        shape: embedding.shape ?? undefined,
      }));
    },
    async listStyles(requestOptions) {
      const styles = await client.listStyles(requestOptions).catch(emptyOn404);
      return styles.map((style) => ({
        name: style.name,
        prompt: style.prompt,
        negativePrompt: style.negative_prompt,
      }));
    },
    listHiresUpscalers: (requestOptions) => client.listLatentUpscaleModes(requestOptions),
    async loadedModel(requestOptions) {
      return (await client.getOptions(requestOptions)).sd_model_checkpoint ?? null;
    },
    async switchModel(title, requestOptions) {
      if (capabilities.models === 'fixed') throw unsupportedError(client.label, 'switch models');
      await client.setOptions({ sd_model_checkpoint: title }, requestOptions).catch((error: unknown) => {
        throw missingRoute(error, client.label, 'switch models');
      });
    },
    refreshCheckpoints: (requestOptions) => client.refreshCheckpoints(requestOptions),
    close: () => client.close(),
  };
}

/** Width and height rounded to the multiple the server requires (Forge Neo, stable-diffusion.cpp: 64). */
function snapSize<T extends { width: number; height: number }>(request: T, multiple: number): T {
  if (multiple <= 8) return request;
  const snap = (value: number) => Math.max(multiple, Math.round(value / multiple) * multiple);
  return { ...request, width: snap(request.width), height: snap(request.height) };
}

function emptyOn404(error: unknown): never[] {
  if (error instanceof SdError && error.status === 404) return [];
  throw error;
}

function unsupportedError(backend: string, capability: string): SdUnsupportedError {
  return new SdUnsupportedError(`${backend} cannot ${capability}`, { backend, capability });
}

/**
 * A 404 from a route the server otherwise has the family of (it answered the probe) means the
 * route is missing: a capability the server lacks, not an API that is switched off.
 */
function missingRoute(error: unknown, backend: string, capability: string): unknown {
  if (error instanceof SdError && error.status === 404) return unsupportedError(backend, capability);
  return error;
}
