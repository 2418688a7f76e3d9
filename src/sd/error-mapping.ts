/**
 * Pure mappings from what went wrong (an HTTP status and body, or a transport error) to a typed `SdError`.
 */

import {
  SdApiDisabledError,
  SdAuthError,
  type SdError,
  SdInvalidRequestError,
  SdOutOfMemoryError,
  SdServerError,
  SdUnreachableError,
  SdUnsupportedError,
} from '../engines/errors.js';
import { parseErrorBody } from './error-body.js';

export interface RequestContext {
  /** Credential-free label, e.g. `http://127.0.0.1:7860`. */
  backend: string;
  method: string;
  /** Path and query relative to the backend. */
  path: string;
}

const OUT_OF_MEMORY = /out of memory|OutOfMemory/i;

/** Field names for WebUI complaints that do not come with a FastAPI `loc`. */
const FIELD_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/sampler/i, 'sampler_name'],
  [/init image/i, 'init_images'],
  [/script/i, 'script_name'],
  [/upscaler/i, 'upscaler'],
];

export function toHttpError(status: number, bodyText: string, request: RequestContext): SdError {
  const parsed = parseErrorBody(status, bodyText);
  const where = describeRequest(request);
  const context = { backend: request.backend, method: request.method, path: request.path, status };

  if (status === 401 || status === 403) {
    return new SdAuthError(
      `${where} was refused (${status}): ${parsed.message}. Check the API credentials.`,
      {
        ...context,
        detail: parsed.message,
      },
    );
  }
  // stable-diffusion.cpp and KoboldCpp answer a route they do not have with an empty 404: a
  // capability the server lacks, not a broken server.
  if (status === 404 && bodyText.trim() === '') {
    return new SdUnsupportedError(`${where} answered 404 with no body: the server has no such route`, {
      ...context,
      capability: describeRoute(request.path),
    });
  }
  if (status === 404 && parsed.routeNotFound && isApiPath(request.path)) {
    return new SdApiDisabledError(
      `${where} answered 404 Not Found: the WebUI API is not enabled; start the WebUI with --api.`,
      context,
    );
  }
  if (status >= 400 && status < 500) {
    const field = parsed.field ?? guessField(parsed.message);
    return new SdInvalidRequestError(`${where} rejected the request (${status}): ${parsed.message}`, {
      ...context,
      field,
      detail: parsed.message,
    });
  }
  if (parsed.errorType === 'OutOfMemoryError' || OUT_OF_MEMORY.test(parsed.message)) {
    return new SdOutOfMemoryError(`${where} ran out of memory (${status}): ${parsed.message}`, {
      ...context,
      detail: parsed.message,
    });
  }
  const type = parsed.errorType === null ? '' : `${parsed.errorType}: `;
  return new SdServerError(`${where} failed (${status}): ${type}${parsed.message}`, {
    ...context,
    detail: parsed.message,
    errorType: parsed.errorType,
  });
}

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  ETIMEDOUT: 'connect timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'client closed',
  UND_ERR_DESTROYED: 'client destroyed',
};

/** Transport failures (no HTTP answer) become `SdUnreachableError`, naming the first known error code. */
export function toTransportError(error: unknown, request: RequestContext): SdError {
  const code = findErrorCode(error);
  const reason =
    code === null ? describeCause(error) : `${UNREACHABLE_CODES[code] ?? 'network error'} (${code})`;
  return new SdUnreachableError(`${describeRequest(request)} could not reach the WebUI: ${reason}`, {
    backend: request.backend,
    method: request.method,
    path: request.path,
    cause: error,
  });
}

export function describeRequest(request: RequestContext): string {
  return `${request.method} ${request.backend}${request.path}`;
}

/** Walks `cause` chains and `AggregateError.errors` (happy eyeballs) for a known code. */
export function findErrorCode(error: unknown, depth = 0): string | null {
  if (depth > 5 || typeof error !== 'object' || error === null) {
    return null;
  }
  const code: unknown = Reflect.get(error, 'code');
  if (typeof code === 'string' && code in UNREACHABLE_CODES) {
    return code;
  }
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findErrorCode(inner, depth + 1);
      if (found !== null) {
        return found;
      }
    }
  }
  return error instanceof Error ? findErrorCode(error.cause, depth + 1) : null;
}

function describeCause(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a missing route means to a member: "upscale images", "switch models". */
function describeRoute(path: string): string {
  if (path.includes('/extra-single-image')) return 'upscale images';
  if (path.includes('/options')) return 'switch models';
  if (path.includes('/img2img')) return 'start from an image';
  if (path.includes('/progress')) return 'report progress';
  if (path.includes('/interrupt')) return 'stop a generation';
  if (path.includes('/refresh-checkpoints')) return 'rescan its model folder';
  return `answer ${path.split('?')[0]}`;
}

function isApiPath(path: string): boolean {
  return path.includes('/sdapi/');
}

function guessField(message: string): string | null {
  return FIELD_HINTS.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}
