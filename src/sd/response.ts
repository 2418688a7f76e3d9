/**
 * What the client does with a WebUI answer once read: error statuses become typed errors, the text is
 * parsed as JSON and validated with zod, and anything unexpected is an `SdMalformedResponseError`.
 */
import type { z } from 'zod';
import { SdMalformedResponseError } from '../engines/errors.js';
import { describeRequest, type RequestContext, toHttpError } from './error-mapping.js';

/** An answer as read off the wire (its text empty when the body was streamed). */
export interface RawResponse {
  status: number;
  text: string;
  request: RequestContext;
}

export function expectSuccess(response: RawResponse): void {
  if (response.status < 200 || response.status >= 300) {
    throw toHttpError(response.status, response.text, response.request);
  }
}

export function parseJsonBody(response: RawResponse): unknown {
  return parseJsonText(response.text, response.request);
}

export function parseJsonText(text: string, request: RequestContext): unknown {
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

export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  request: RequestContext,
): z.output<S> {
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

export function malformed(
  request: RequestContext,
  detail: string,
  cause?: unknown,
): SdMalformedResponseError {
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

/** The decoded bytes of an image string, or a malformed-response error naming where it was. */
export function imageOrThrow(
  bytes: Buffer | null | undefined,
  where: string,
  request: RequestContext,
): Buffer {
  if (bytes === null || bytes === undefined) {
    throw malformed(request, `${where} is not valid base64`);
  }
  return bytes;
}
