import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedBody } from './request-body.js';
import type { ApiError } from './types.js';

export type RouteRequest = {
  method: string;
  /** Decoded path, e.g. `/api/v10/webhooks/1/tok/messages/@original`. */
  path: string;
  /** Decoded segments after `/api/v10`. */
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: ParsedBody;
  /** `Authorization: Bot <the fake's token>` was sent. */
  authorized: boolean;
};

export type RouteResult = { status: number; body?: unknown };

export function ok(body: unknown): RouteResult {
  return { status: 200, body };
}

export function noContent(): RouteResult {
  return { status: 204 };
}

export function fail(error: ApiError): RouteResult {
  return { status: error.status, body: error.body };
}
