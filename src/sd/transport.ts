/**
 * One HTTP exchange with a WebUI: the route under `/sdapi/v1` (a few bot-unsafe routes refused), the
 * whole-request timeout and the caller's abort signal, gzip, and the body read as text or streamed
 * into a `JsonImageStream`. Transport failures become `SdError` subclasses; statuses are left to the caller.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { setImmediate as nextCheck } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { SdAbortedError, SdError, SdTimeoutError } from '../engines/errors.js';
import { describeRequest, type RequestContext, toTransportError } from './error-mapping.js';
import type { JsonImageStream } from './json-image-stream.js';
import type { RawResponse } from './response.js';
import type { RequestOptions } from './types.js';

export const API = '/sdapi/v1';
/** Routes this client must never call (they leak secrets, stop the server, or start long jobs). */
const FORBIDDEN_ROUTES =
  /\/(cmd-flags|server-kill|server-restart|server-stop|shutdown|train|create)(\/|$|\?)/;

const gunzipAsync = promisify(gunzip);

export interface CallOptions extends RequestOptions {
  body?: unknown;
  /** The route is outside `/sdapi/v1` (`/internal/progress`). */
  outsideApi?: boolean;
  query?: Record<string, string>;
  /** Stream a successful answer into this instead of reading it as text. */
  stream?: JsonImageStream;
}

export interface TransportSettings {
  origin: string;
  /** The base URL's path, without a trailing slash. */
  prefix: string;
  label: string;
  authorization: string | null;
  dispatcher: Dispatcher;
  /** Default whole-request budget. */
  timeoutMs: number;
  gzip: boolean;
}

export type Send = (method: Dispatcher.HttpMethod, route: string, call: CallOptions) => Promise<RawResponse>;

function isUndiciTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const code: unknown = Reflect.get(error, 'code');
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

/** Reads a body: streamed into `call.stream` when it is a success and one is given, else as text. */
async function readBody(
  response: Dispatcher.ResponseData,
  call: CallOptions,
  request: RequestContext,
): Promise<RawResponse> {
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
}

/**
 * Waits out the rest of this turn of the event loop and the next check phase before an answer
 * that freed its server is read. undici writes a request on a reused keep-alive socket only in a
 * check phase (`setImmediate`), after it has looked for bytes the server sent unasked
 * (GHSA-35p6-xmwp-9g52); read at once, the answer's body (megabytes of base64 to decode) would
 * run first, and the next job's request would wait for it. Two hops: the first check phase may
 * come before the next request is even made (its claim is still on its way).
 */
async function letNextRequestOut(): Promise<void> {
  await nextCheck();
  await nextCheck();
}

function toHeaders(
  settings: TransportSettings,
  body: unknown,
): { headers: Record<string, string>; payload: string | null } {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-encoding': settings.gzip ? 'gzip' : 'identity',
  };
  if (settings.authorization !== null) {
    headers.authorization = settings.authorization;
  }
  let payload: string | null = null;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return { headers, payload };
}

/** The send function of one client: every route goes through it. */
export function createSend(settings: TransportSettings): Send {
  const { origin, prefix, label, dispatcher } = settings;
  return async (method, route, call) => {
    const query = call.query === undefined ? '' : `?${new URLSearchParams(call.query).toString()}`;
    const api = call.outsideApi === true ? '' : API;
    const path = `${prefix}${api}${route}${query}`;
    const request: RequestContext = { backend: label, method, path: `${api}${route}${query}` };
    if (FORBIDDEN_ROUTES.test(route)) {
      throw new Error(`Refusing to call ${describeRequest(request)}: this route is never used by the bot`);
    }
    const timeoutMs = call.timeoutMs ?? settings.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const signal = call.signal;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const { headers, payload } = toHeaders(settings, call.body);

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
      if (call.onResponseStart !== undefined) {
        // The caller's hand-over first (the next job's claim, bounded by the caller), then its request.
        await call.onResponseStart(response.statusCode);
        await letNextRequestOut();
      }
      return await readBody(response, call, request);
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
  };
}
