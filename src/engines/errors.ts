/**
 * Typed failures of one image server. Every engine (and the `/sdapi` client) rejects with one of these.
 * Messages are for logs: they carry the method, the backend label and the path, never credentials.
 */

export type SdErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'aborted'
  | 'unauthorized'
  | 'api-disabled'
  | 'invalid-request'
  | 'out-of-memory'
  | 'server-error'
  | 'malformed-response'
  | 'unsupported';

/** Where a failure happened. `backend` is the client's credential-free label. */
export interface SdErrorContext {
  backend: string;
  method?: string;
  /** Path and query relative to the backend, e.g. `/sdapi/v1/txt2img`. */
  path?: string;
  /** HTTP status, when the server answered. */
  status?: number;
  cause?: unknown;
}

export abstract class SdError extends Error {
  abstract readonly code: SdErrorCode;
  readonly backend: string;
  readonly method: string | null;
  readonly path: string | null;
  readonly status: number | null;

  constructor(message: string, context: SdErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.backend = context.backend;
    this.method = context.method ?? null;
    this.path = context.path ?? null;
    this.status = context.status ?? null;
  }
}

/** Connection refused or reset, DNS failure, connect timeout: nothing is listening or reachable. */
export class SdUnreachableError extends SdError {
  readonly code = 'unreachable';
}

/** No complete answer within the client's `timeoutMs` (queue wait included). */
export class SdTimeoutError extends SdError {
  readonly code = 'timeout';
  readonly timeoutMs: number;

  constructor(message: string, context: SdErrorContext & { timeoutMs: number }) {
    super(message, context);
    this.timeoutMs = context.timeoutMs;
  }
}

/** The caller's `signal` aborted the request. `cause` is the signal's reason. */
export class SdAbortedError extends SdError {
  readonly code = 'aborted';
}

/** 401 (or 403): `--api-auth` credentials missing or wrong. */
export class SdAuthError extends SdError {
  readonly code = 'unauthorized';
  readonly detail: string;

  constructor(message: string, context: SdErrorContext & { detail: string }) {
    super(message, context);
    this.detail = context.detail;
  }
}

/** 404 `{"detail":"Not Found"}` on an `/sdapi` route: the WebUI was started without `--api`. */
export class SdApiDisabledError extends SdError {
  readonly code = 'api-disabled';
}

/** 422 validation error, 400, or a 404 about the request (`Sampler not found`, `Init image not found`). */
export class SdInvalidRequestError extends SdError {
  readonly code = 'invalid-request';
  /** Request field the server blamed, e.g. `steps` (from FastAPI `loc`), or null. */
  readonly field: string | null;
  readonly detail: string;

  constructor(message: string, context: SdErrorContext & { field: string | null; detail: string }) {
    super(message, context);
    this.field = context.field;
    this.detail = context.detail;
  }
}

/** 500 with `OutOfMemoryError` or an "out of memory" text: the GPU ran out of memory. */
export class SdOutOfMemoryError extends SdError {
  readonly code = 'out-of-memory';
  readonly detail: string;

  constructor(message: string, context: SdErrorContext & { detail: string }) {
    super(message, context);
    this.detail = context.detail;
  }
}

/** Any other error status. `detail` is the server's text, `errorType` its exception class. */
export class SdServerError extends SdError {
  readonly code = 'server-error';
  readonly detail: string;
  readonly errorType: string | null;

  constructor(message: string, context: SdErrorContext & { detail: string; errorType: string | null }) {
    super(message, context);
    this.detail = context.detail;
    this.errorType = context.errorType;
  }
}

/** A 2xx answer that is not JSON, has the wrong shape, or carries undecodable images. */
export class SdMalformedResponseError extends SdError {
  readonly code = 'malformed-response';
  readonly detail: string;

  constructor(message: string, context: SdErrorContext & { detail: string }) {
    super(message, context);
    this.detail = context.detail;
  }
}

/** The server lacks what was asked for (a route or a feature): a missing capability, not a fault. */
export class SdUnsupportedError extends SdError {
  readonly code = 'unsupported';
  /** What the server cannot do, as a member would read it: "upscale images". */
  readonly capability: string;

  constructor(message: string, context: SdErrorContext & { capability: string }) {
    super(message, context);
    this.capability = context.capability;
  }
}
