/**
 * HTTP client for one ComfyUI server, on an undici keep-alive pool. Every failure becomes an `SdError`
 * subclass whose message carries the method, the credential-free label and the path. A 400 from
 * `POST /prompt` (`node_errors`) is left to the caller, which knows the graph it sent.
 */

import { type Dispatcher, Pool } from 'undici';
import { within } from '../../runtime/within.js';
import {
  describeRequest,
  type RequestContext,
  toHttpError,
  toTransportError,
} from '../../sd/error-mapping.js';
import { toAuthorization } from '../endpoint.js';
import { SdAbortedError, SdError, SdMalformedResponseError, SdTimeoutError } from '../errors.js';
import type { RequestOptions } from '../types.js';

export interface ComfyClientOptions {
  /** Base URL, e.g. `http://gpu-box:8188` (userinfo, or username/password, for a proxy's Basic auth; a password alone is a bearer key). */
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** Budget of one HTTP request (a generation is followed over the WebSocket, not one request). */
  timeoutMs: number;
  connectTimeoutMs?: number | undefined;
  /** Use this dispatcher instead of a private keep-alive `Pool` (tests). Not closed by `close()`. */
  dispatcher?: Dispatcher | undefined;
}

export interface ComfyAnswer {
  status: number;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
  text: string;
}

export interface ComfyClient {
  /** `http://host:port/prefix`, never credentials. */
  readonly label: string;
  /** The WebSocket address (`ws://host:port/prefix/ws`) without credentials. */
  readonly wsUrl: string;
  /** The `authorization` header value, or null. */
  readonly authorization: string | null;
  /** Any status; throws only when there is no answer. */
  request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<ComfyAnswer>;
  /** A 2xx JSON answer, else a typed error. */
  getJson(path: string, options?: RequestOptions): Promise<unknown>;
  postJson(path: string, body: unknown, options?: RequestOptions): Promise<unknown>;
  /** The bytes of `GET /view`, unchanged. */
  view(
    image: { filename: string; subfolder: string; type: string },
    options?: RequestOptions,
  ): Promise<Buffer>;
  /** `POST /upload/image`; resolves with the name the server stored it under. */
  uploadImage(bytes: Buffer, filename: string, options?: RequestOptions): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1_000;

const contentTypeOf = (filename: string): string =>
  filename.endsWith('.png')
    ? 'image/png'
    : filename.endsWith('.webp')
      ? 'image/webp'
      : filename.endsWith('.jpg')
        ? 'image/jpeg'
        : 'application/octet-stream';

// One closure on purpose: the keep-alive pool, the credentials and the base URL are shared by every route.
export function createComfyClient(options: ComfyClientOptions): ComfyClient {
  const base = new URL(options.url);
  const username = options.username ?? decodeURIComponent(base.username);
  const password = options.password ?? decodeURIComponent(base.password);
  const authorization = toAuthorization(username, password);
  const prefix = base.pathname.replace(/\/+$/, '');
  const origin = base.origin;
  const label = `${origin}${prefix}`;
  const wsUrl = `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}${prefix}/ws`;
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Pool(origin, {
      connect: { timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  const ownPool = dispatcher === options.dispatcher ? null : dispatcher;
  let poolClosed = false;

  async function send(
    method: 'GET' | 'POST',
    path: string,
    body: { json: unknown } | { raw: Buffer; contentType: string } | undefined,
    call: RequestOptions,
  ): Promise<{ status: number; bytes: Buffer; contentType: string; request: RequestContext }> {
    const request: RequestContext = { backend: label, method, path };
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
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authorization !== null) headers.authorization = authorization;
    let payload: string | Buffer | null = null;
    if (body !== undefined && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body !== undefined) {
      headers['content-type'] = body.contentType;
      payload = body.raw;
    }
    try {
      if (signal?.aborted) throw signal.reason;
      const response = await dispatcher.request({
        origin,
        path: `${prefix}${path}`,
        method,
        headers,
        body: payload,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const bytes = Buffer.from(await response.body.arrayBuffer());
      const type = response.headers['content-type'];
      return {
        status: response.statusCode,
        bytes,
        contentType: typeof type === 'string' ? type : '',
        request,
      };
    } catch (error: unknown) {
      if (error instanceof SdError) throw error;
      if (signal?.aborted) {
        throw new SdAbortedError(`${describeRequest(request)} was aborted by the caller`, {
          ...request,
          cause: signal.reason,
        });
      }
      if (timedOut) {
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

  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };

  async function request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    call: RequestOptions = {},
  ): Promise<ComfyAnswer> {
    const answer = await send(method, path, body === undefined ? undefined : { json: body }, call);
    const text = answer.bytes.toString('utf8');
    return { status: answer.status, json: parse(text), text };
  }

  async function expectJson(method: 'GET' | 'POST', path: string, body: unknown, call: RequestOptions) {
    const answer = await send(method, path, body === undefined ? undefined : { json: body }, call);
    const text = answer.bytes.toString('utf8');
    if (answer.status < 200 || answer.status >= 300) throw toHttpError(answer.status, text, answer.request);
    if (text === '') return undefined;
    const json = parse(text);
    if (json === undefined) {
      throw new SdMalformedResponseError(
        `${describeRequest(answer.request)} answered with something other than JSON`,
        {
          ...answer.request,
          status: answer.status,
          detail: text.slice(0, 200),
        },
      );
    }
    return json;
  }

  return {
    label,
    wsUrl,
    authorization,
    request,
    getJson: (path, call = {}) => expectJson('GET', path, undefined, call),
    postJson: (path, body, call = {}) => expectJson('POST', path, body, call),
    async view(image, call = {}) {
      const query = new URLSearchParams({
        filename: image.filename,
        subfolder: image.subfolder,
        type: image.type,
      });
      const answer = await send('GET', `/view?${query.toString()}`, undefined, call);
      if (answer.status < 200 || answer.status >= 300) {
        throw toHttpError(answer.status, answer.bytes.toString('utf8'), answer.request);
      }
      return answer.bytes;
    },
    async uploadImage(bytes, filename, call = {}) {
      const boundary = `----sdbot${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
      const head = (name: string, extra = '') =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`;
      const raw = Buffer.concat([
        Buffer.from(
          `${head('image', `; filename="${filename}"`)}Content-Type: ${contentTypeOf(filename)}\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n${head('type')}\r\ninput\r\n${head('overwrite')}\r\ntrue\r\n--${boundary}--\r\n`),
      ]);
      const answer = await send(
        'POST',
        '/upload/image',
        { raw, contentType: `multipart/form-data; boundary=${boundary}` },
        call,
      );
      const text = answer.bytes.toString('utf8');
      if (answer.status < 200 || answer.status >= 300) throw toHttpError(answer.status, text, answer.request);
      const json = parse(text);
      const name =
        typeof json === 'object' && json !== null ? (json as Record<string, unknown>).name : undefined;
      if (typeof name !== 'string' || name === '') {
        throw new SdMalformedResponseError(
          `${describeRequest(answer.request)} did not say where it stored the image`,
          {
            ...answer.request,
            status: answer.status,
            detail: text.slice(0, 200),
          },
        );
      }
      const subfolder = (json as Record<string, unknown>).subfolder;
      return typeof subfolder === 'string' && subfolder !== '' ? `${subfolder}/${name}` : name;
    },
    async close() {
      if (ownPool === null || poolClosed) return;
      poolClosed = true;
      await within(ownPool.close(), CLOSE_GRACE_MS);
      await ownPool.destroy().catch(() => undefined);
    },
  };
}
