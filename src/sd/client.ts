/**
 * HTTP client for one Stable Diffusion WebUI (`/sdapi/v1`), on an undici keep-alive pool.
 * Validates every answer with zod and turns every failure into an `SdError` subclass.
 */

import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { type Dispatcher, Pool } from 'undici';
import type { z } from 'zod';
import { SdAbortedError, SdError, SdMalformedResponseError, SdTimeoutError } from '../engines/errors.js';
import { parseErrorBody } from './error-body.js';
import { describeRequest, type RequestContext, toHttpError, toTransportError } from './error-mapping.js';
import {
  type ExtractedImage,
  JsonImageStream,
  type JsonPath,
  type StringAction,
} from './json-image-stream.js';
import {
  embeddingListSchema,
  extraSingleImageResponseSchema,
  generationInfoSchema,
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
import type {
  GenerationInfo,
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

const API = '/sdapi/v1';
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1_000;
/** Routes this client must never call (they leak secrets, stop the server, or start long jobs). */
const FORBIDDEN_ROUTES =
  /\/(cmd-flags|server-kill|server-restart|server-stop|shutdown|train|create)(\/|$|\?)/;

const gunzipAsync = promisify(gunzip);
/** Answers longer than this (in characters) are parsed in a later tick than the one that read them. */
const LARGE_ANSWER_CHARS = 1_000_000;

interface CallOptions extends RequestOptions {
  body?: unknown;
  /** The route is outside `/sdapi/v1` (`/internal/progress`). */
  outsideApi?: boolean;
  query?: Record<string, string>;
  /** Stream a successful answer into this instead of reading it as text. */
  stream?: JsonImageStream;
}

/**
 * Which strings of a generation answer are images: decoded as they arrive. The echo of img2img's
 * input images in `parameters` is left out (nobody reads it, and it is as large as the input).
 */
function selectImageStrings(path: JsonPath): StringAction {
  if (path.length === 2 && path[0] === 'images' && typeof path[1] === 'number') return 'decode';
  if (path.length === 1 && path[0] === 'image') return 'decode';
  if (path[0] === 'parameters' && (path[1] === 'init_images' || path[1] === 'mask')) return 'drop';
  return 'keep';
}

interface RawResponse {
  status: number;
  text: string;
  request: RequestContext;
}

// One closure on purpose: the pool, the credentials and the base path are shared by every route.
export function createSdClient(options: SdClientOptions): SdClient {
  const base = new URL(options.url);
  const username = options.username ?? decodeURIComponent(base.username);
  const password = options.password ?? decodeURIComponent(base.password);
  // `--api-auth user:pass` is HTTP Basic; a password alone is a bearer key (KoboldCpp's --password).
  const authorization =
    username === '' && password === ''
      ? null
      : username === ''
        ? `Bearer ${password}`
        : `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
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

  async function send(method: Dispatcher.HttpMethod, route: string, call: CallOptions): Promise<RawResponse> {
    const query = call.query === undefined ? '' : `?${new URLSearchParams(call.query).toString()}`;
    const api = call.outsideApi === true ? '' : API;
    const path = `${prefix}${api}${route}${query}`;
    const request: RequestContext = { backend: label, method, path: `${api}${route}${query}` };
    if (FORBIDDEN_ROUTES.test(route)) {
      throw new Error(`Refusing to call ${describeRequest(request)}: this route is never used by the bot`);
    }
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const signal = call.signal;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });

    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': options.gzip === false ? 'identity' : 'gzip',
    };
    if (authorization !== null) {
      headers.authorization = authorization;
    }
    let payload: string | null = null;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(call.body);
    }

    try {
      if (signal?.aborted) {
        throw signal.reason;
      }
      const response = await dispatcher.request({
        origin,
        path,
        method,
        headers,
        body: payload,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      call.onResponseStart?.(response.statusCode);
      const encoding = response.headers['content-encoding'];
      if (call.stream !== undefined && response.statusCode >= 200 && response.statusCode < 300) {
        const source: Readable =
          encoding === 'gzip' ? pipeline(response.body, createGunzip(), () => undefined) : response.body;
        for await (const chunk of source) call.stream.write(chunk as Buffer);
        return { status: response.statusCode, text: '', request };
      }
      const raw = Buffer.from(await response.body.arrayBuffer());
      const bytes = encoding === 'gzip' ? await gunzipAsync(raw) : raw;
      return { status: response.statusCode, text: bytes.toString('utf8'), request };
    } catch (error: unknown) {
      if (error instanceof SdError) {
        throw error;
      }
      if (signal?.aborted) {
        throw new SdAbortedError(`${describeRequest(request)} was aborted by the caller`, {
          ...request,
          backend: label,
          cause: signal.reason,
        });
      }
      if (timedOut || isUndiciTimeout(error)) {
        throw new SdTimeoutError(`${describeRequest(request)} timed out after ${timeoutMs} ms`, {
          ...request,
          cause: error,
          timeoutMs,
        });
      }
      throw toTransportError(error, request);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

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
    const stream = new JsonImageStream(selectImageStrings);
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
    const request = { backend: label, method: 'POST', path: `${API}${route}` };
    const parsedInfo = validate(generationInfoSchema, parseJsonText(response.info, request), request);
    const info = toGenerationInfo(parsedInfo);
    const byIndex = new Map(decoded.map((image) => [image.path[1], image.bytes]));
    // Forge appends extra images and img2img may append masks: keep one image per seed.
    const first = info.index_of_first_image;
    const expected = parsedInfo.all_seeds.length;
    const end = expected > 0 ? Math.min(first + expected, response.images.length) : response.images.length;
    const images: Buffer[] = [];
    for (let index = first; index < end; index++) {
      images.push(imageOrThrow(byIndex.get(index), `images[${index - first}]`, request));
    }
    return { images, info, parameters: response.parameters };
  }

  function imageOrThrow(bytes: Buffer | null | undefined, where: string, request: RequestContext): Buffer {
    if (bytes === null || bytes === undefined) {
      throw malformed(request, `${where} is not valid base64`);
    }
    return bytes;
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

function expectSuccess(response: RawResponse): void {
  if (response.status < 200 || response.status >= 300) {
    throw toHttpError(response.status, response.text, response.request);
  }
}

function parseJsonBody(response: RawResponse): unknown {
  return parseJsonText(response.text, response.request);
}

function parseJsonText(text: string, request: RequestContext): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) {
      const preview = text.slice(0, 80).replace(/\s+/g, ' ');
      throw malformed(request, `not JSON: ${preview === '' ? '(empty body)' : preview}`, error);
    }
    throw error;
  }
}

function validate<S extends z.ZodType>(schema: S, value: unknown, request: RequestContext): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw malformed(request, `unexpected shape: ${issues}`, result.error);
  }
  return result.data;
}

function malformed(request: RequestContext, detail: string, cause?: unknown): SdMalformedResponseError {
  return new SdMalformedResponseError(
    `${describeRequest(request)} returned a malformed response: ${detail}`,
    {
      ...request,
      status: 200,
      detail,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

function isUndiciTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const code: unknown = Reflect.get(error, 'code');
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

function toGenerationInfo(info: z.output<typeof generationInfoSchema>): GenerationInfo {
  return {
    prompt: info.prompt,
    negative_prompt: info.negative_prompt,
    seed: info.seed,
    all_seeds: info.all_seeds.length > 0 ? info.all_seeds : [info.seed],
    subseed: info.subseed,
    width: info.width,
    height: info.height,
    sampler_name: info.sampler_name,
    cfg_scale: info.cfg_scale,
    steps: info.steps,
    sd_model_name: info.sd_model_name,
    sd_model_hash: info.sd_model_hash,
    infotexts: info.infotexts,
    index_of_first_image: info.index_of_first_image,
    version: info.version,
  };
}
