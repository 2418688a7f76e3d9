import { type Dispatcher, request } from 'undici';

export interface HttpDeps {
  /** undici dispatcher for every doctor request (tests pass none; proxies or custom TLS pass one). */
  dispatcher?: Dispatcher | undefined;
  /** Whole-request limit in milliseconds. */
  timeoutMs: number;
}

export type HttpAnswer = { ok: true; status: number; json: unknown } | { ok: false; problem: string };

/** A read-only GET that never throws: the status and parsed JSON (or `null`), or why nothing came back. */
export async function getJson(
  url: string,
  headers: Record<string, string>,
  deps: HttpDeps,
): Promise<HttpAnswer> {
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(deps.timeoutMs),
      ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
    });
    const text = await response.body.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { ok: true, status: response.statusCode, json };
  } catch (error: unknown) {
    return { ok: false, problem: describeNetworkError(error, deps.timeoutMs) };
  }
}

function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if ('code' in error && typeof error.code === 'string') return error.code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const code = errorCode(inner);
      if (code !== undefined) return code;
    }
  }
  return errorCode(error.cause);
}

/** Plain words for a failed connection; never the request headers. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `no answer within ${Math.round(timeoutMs / 1000)} s`;
    default:
      if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `TLS error (${code})`;
      return error instanceof Error ? error.message : String(error);
  }
}
