/**
 * HTTP client for one Stable Diffusion WebUI (`/sdapi/v1`), on an undici keep-alive pool.
 * Validates every answer with zod and turns every failure into an `SdError` subclass. The exchange
 * itself is `transport.ts`; parsing and validation `response.ts`; generation answers `generation-answer.ts`.
 */

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type Dispatcher, Pool } from 'undici';
import type { z } from 'zod';
import { toAuthorization } from '../engines/endpoint.js';
import { parseErrorBody } from './error-body.js';
import { toHttpError } from './error-mapping.js';
import { selectImageStrings, toGenerationResult } from './generation-answer.js';
import { type ExtractedImage, JsonImageStream } from './json-image-stream.js';
import { expectSuccess, imageOrThrow, parseJsonBody, parseJsonText, validate } from './response.js';
import {
  embeddingListSchema,
  extraSingleImageResponseSchema,
  generationResponseSchema,
  latentUpscaleModesSchema,
  loraListSchema,
  modelListSchema,
  optionsSchema,
  progressSchema,
  samplerListSchema,
  schedulerListSchema,
  setOptionsResponseSchema,
  styleListSchema,
  taskProgressSchema,
  upscalerListSchema,
} from './schemas.js';
import { API, type CallOptions, createSend } from './transport.js';
import type {
  GenerationResult,
  RequestOptions,
  SdClient,
  SdOptions,
  SdProgress,
  SdTaskProgress,
} from './types.js';

export interface SdClientOptions {
  /** Base URL, e.g. `http://user:pass@gpu-box:7860`; userinfo is used for Basic auth and never logged. */
  url: string;
  /** `--api-auth` user; wins over the URL's userinfo. */
  username?: string | undefined;
  /** `--api-auth` password; wins over the URL's userinfo. */
  password?: string | undefined;
  /** Whole-request budget: queue wait + generation + body download. The WebUI never answers "busy". */
  timeoutMs: number;
  /** TCP connect timeout of the built-in pool (default 10 s). Ignored with `dispatcher`. */
  connectTimeoutMs?: number | undefined;
  /** Send `Accept-Encoding: gzip` (A1111/Forge then gzip answers ≥ 1000 bytes; ~25% less base64). Default true. */
  gzip?: boolean | undefined;
  /** Use this dispatcher instead of a private keep-alive `Pool` (tests, proxies). Not closed by `close()`. */
  dispatcher?: Dispatcher | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1_000;
/** Answers longer than this (in characters) are parsed in a later tick than the one that read them. */
const LARGE_ANSWER_CHARS = 1_000_000;

// One closure on purpose: the pool, the credentials and the base path are shared by every route.
export function createSdClient(options: SdClientOptions): SdClient {
  const base = new URL(options.url);
  const username = options.username ?? decodeURIComponent(base.username);
  const password = options.password ?? decodeURIComponent(base.password);
  const authorization = toAuthorization(username, password);
  const prefix = base.pathname.replace(/\/+$/, '');
  const origin = base.origin;
  const label = `${origin}${prefix}`;
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Pool(origin, {
      connect: { timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  /** Only a pool we created is ours to close. */
  const ownPool = dispatcher === options.dispatcher ? null : dispatcher;

  const send = createSend({
    origin,
    prefix,
    label,
    authorization,
    dispatcher,
    timeoutMs: options.timeoutMs,
    gzip: options.gzip !== false,
  });

  /** Sends, maps error statuses to typed errors, parses JSON and validates it with `schema`. */
  async function call<S extends z.ZodType>(
    method: Dispatcher.HttpMethod,
    route: string,
    schema: S,
    callOptions: CallOptions = {},
  ): Promise<z.output<S>> {
    const response = await send(method, route, callOptions);
    if (response.status < 200 || response.status >= 300) {
      throw toHttpError(response.status, response.text, response.request);
    }
    // A large answer was just read and turned into text: parse it in a tick of its own.
    if (response.text.length > LARGE_ANSWER_CHARS) await yieldToLoop();
    return validate(schema, parseJsonBody(response), response.request);
  }

  /**
   * Like `call`, for answers that carry base64 images: the images are decoded while the body
   * streams in, and the rest of the document is parsed and validated with `schema`.
   */
  async function callWithImages<S extends z.ZodType>(
    route: string,
    schema: S,
    callOptions: CallOptions,
  ): Promise<{ value: z.output<S>; images: ExtractedImage[] }> {
    const { onImage } = callOptions;
    const stream = new JsonImageStream(
      selectImageStrings,
      onImage === undefined
        ? undefined
        : (image) => {
            if (image.bytes !== null) onImage(image.bytes);
          },
    );
    const response = await send('POST', route, { ...callOptions, stream });
    expectSuccess(response);
    const { skeleton, images } = stream.end();
    return { value: validate(schema, parseJsonText(skeleton, response.request), response.request), images };
  }

  async function generate(
    route: '/txt2img' | '/img2img',
    body: object,
    requestOptions: RequestOptions,
  ): Promise<GenerationResult> {
    const { value: response, images: decoded } = await callWithImages(route, generationResponseSchema, {
      ...requestOptions,
      body,
    });
    return toGenerationResult(response, decoded, { backend: label, method: 'POST', path: `${API}${route}` });
  }

  return {
    label,
    txt2img: (body, requestOptions = {}) => generate('/txt2img', body, requestOptions),
    img2img: (body, requestOptions = {}) => generate('/img2img', body, requestOptions),

    async extraSingleImage(body, requestOptions = {}) {
      const { images } = await callWithImages('/extra-single-image', extraSingleImageResponseSchema, {
        ...requestOptions,
        body,
      });
      return imageOrThrow(images[0]?.bytes, 'image', {
        backend: label,
        method: 'POST',
        path: `${API}/extra-single-image`,
      });
    },

    async listModels(requestOptions = {}) {
      return call('GET', '/sd-models', modelListSchema, requestOptions);
    },

    async listSamplers(requestOptions = {}) {
      return call('GET', '/samplers', samplerListSchema, requestOptions);
    },

    async listSchedulers(requestOptions = {}) {
      const response = await send('GET', '/schedulers', requestOptions);
      if (response.status === 404 && parseErrorBody(404, response.text).routeNotFound) {
        return null;
      }
      expectSuccess(response);
      return validate(schedulerListSchema, parseJsonBody(response), response.request);
    },

    async listUpscalers(requestOptions = {}) {
      return call('GET', '/upscalers', upscalerListSchema, requestOptions);
    },

    async listLatentUpscaleModes(requestOptions = {}) {
      const response = await send('GET', '/latent-upscale-modes', requestOptions);
      if (response.status === 404) return [];
      expectSuccess(response);
      return validate(latentUpscaleModesSchema, parseJsonBody(response), response.request).map(
        (mode) => mode.name,
      );
    },

    async listLoras(requestOptions = {}) {
      const loras = await call('GET', '/loras', loraListSchema, requestOptions);
      return loras.map((lora) => ({
        name: lora.name,
        alias: lora.alias,
        path: lora.path,
        ...(lora.metadata === undefined ? {} : { metadata: lora.metadata }),
      }));
    },

    async listEmbeddings(requestOptions = {}) {
      const { loaded } = await call('GET', '/embeddings', embeddingListSchema, requestOptions);
      if (Array.isArray(loaded)) return loaded.map((name) => ({ name, shape: null }));
      return Object.entries(loaded).map(([name, detail]) => ({ name, shape: detail?.shape ?? null }));
    },

    async listStyles(requestOptions = {}) {
      return call('GET', '/prompt-styles', styleListSchema, requestOptions);
    },

    async getOptions(requestOptions = {}): Promise<SdOptions> {
      return call('GET', '/options', optionsSchema, requestOptions);
    },

    async setOptions(values, requestOptions = {}) {
      await call('POST', '/options', setOptionsResponseSchema, { ...requestOptions, body: values });
    },

    async refreshCheckpoints(requestOptions = {}) {
      await send('POST', '/refresh-checkpoints', requestOptions).then(expectSuccess);
    },

    async progress(query = {}, requestOptions = {}): Promise<SdProgress> {
      const response = await call('GET', '/progress', progressSchema, {
        ...requestOptions,
        query: { skip_current_image: String(query.skipCurrentImage ?? false) },
      });
      return {
        progress: Math.min(1, Math.max(0, response.progress)),
        etaRelativeSeconds: Math.max(0, response.eta_relative),
        samplingStep: response.state.sampling_step,
        samplingSteps: response.state.sampling_steps,
        jobCount: response.state.job_count,
        interrupted: response.state.interrupted,
        currentImage: response.current_image,
      };
    },

    async taskProgress(taskId, query = {}, requestOptions = {}): Promise<SdTaskProgress> {
      const response = await call('POST', '/internal/progress', taskProgressSchema, {
        ...requestOptions,
        outsideApi: true,
        body: { id_task: taskId, id_live_preview: -1, live_preview: query.livePreview ?? false },
      });
      return {
        active: response.active,
        queued: response.queued,
        completed: response.completed,
        progress: response.progress === null ? null : Math.min(1, Math.max(0, response.progress)),
        etaSeconds: response.eta === null ? null : Math.max(0, response.eta),
        livePreview: response.live_preview,
        textinfo: response.textinfo,
      };
    },

    async probeRoute(method, route, requestOptions = {}) {
      const outsideApi = !route.startsWith('/sdapi/v1/');
      const response = await send(method, outsideApi ? route : route.slice(API.length), {
        ...requestOptions,
        outsideApi,
        ...(method === 'POST' ? { body: requestOptions.body ?? {} } : {}),
      });
      return { status: response.status, text: response.text };
    },

    async interrupt(requestOptions = {}) {
      await send('POST', '/interrupt', requestOptions).then(expectSuccess);
    },

    async close() {
      if (ownPool === null) {
        return;
      }
      const graceful = ownPool.close();
      const timer = setTimeout(() => {
        ownPool.destroy().catch(() => undefined);
      }, CLOSE_GRACE_MS);
      try {
        await graceful;
      } catch (error: unknown) {
        if (!(error instanceof Error)) {
          throw error;
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
