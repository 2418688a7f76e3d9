import { describe, expect, it } from 'vitest';
import {
  SdApiDisabledError,
  SdAuthError,
  SdInvalidRequestError,
  SdOutOfMemoryError,
  SdServerError,
  SdUnreachableError,
} from '../../src/engines/errors.js';
import { findErrorCode, toHttpError, toTransportError } from '../../src/sd/error-mapping.js';

const request = { backend: 'http://gpu:7860', method: 'POST', path: '/sdapi/v1/txt2img' };

describe('toHttpError', () => {
  it.each([
    {
      when: 'A1111 refuses the credentials',
      status: 401,
      body: '{"error":"HTTPException","detail":"Not authenticated","body":"","errors":"401: Not authenticated"}',
      type: SdAuthError,
      fields: { code: 'unauthorized', detail: 'Not authenticated' },
    },
    {
      when: 'the /sdapi route does not exist',
      status: 404,
      body: '{"detail":"Not Found"}',
      type: SdApiDisabledError,
      fields: { code: 'api-disabled' },
    },
    {
      when: 'SD.Next does not know the sampler',
      status: 404,
      body: '{"error":"HTTPException","code":404,"detail":"Sampler not found","body":"","errors":"404: Sampler not found"}',
      type: SdInvalidRequestError,
      fields: { field: 'sampler_name', detail: 'Sampler not found' },
    },
    {
      when: 'A1111 validation fails',
      status: 422,
      body: '{"detail":[{"loc":["body","width"],"msg":"value is not a valid integer","type":"type_error.integer"}]}',
      type: SdInvalidRequestError,
      fields: { field: 'width' },
    },
    {
      when: 'SD.Next has no init image',
      status: 400,
      body: '{"error":"Init image is none"}',
      type: SdInvalidRequestError,
      fields: { field: 'init_images', detail: 'Init image is none' },
    },
    {
      when: 'the exception is OutOfMemoryError',
      status: 500,
      body: '{"error":"OutOfMemoryError","detail":"","body":"","errors":"CUDA out of memory."}',
      type: SdOutOfMemoryError,
      fields: { code: 'out-of-memory' },
    },
    {
      when: 'another exception says out of memory',
      status: 500,
      body: '{"error":"RuntimeError","detail":"","body":"","errors":"CUDA error: out of memory"}',
      type: SdOutOfMemoryError,
      fields: { code: 'out-of-memory' },
    },
    {
      when: 'an unknown upscaler asserts',
      status: 500,
      body: '{"error":"AssertionError","detail":"","body":"","errors":"could not find upscaler named X"}',
      type: SdServerError,
      fields: { errorType: 'AssertionError', detail: 'could not find upscaler named X' },
    },
    {
      when: 'a proxy answers 502 in HTML',
      status: 502,
      body: '<html>Bad Gateway</html>',
      type: SdServerError,
      fields: { errorType: null, detail: '<html>Bad Gateway</html>' },
    },
  ])('returns $type.name when $when', ({ status, body, type, fields }) => {
    const error = toHttpError(status, body, request);

    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status, backend: 'http://gpu:7860', method: 'POST', ...fields });
    expect(error.message.startsWith('POST http://gpu:7860/sdapi/v1/txt2img')).toBe(true);
  });

  it('tells the operator to start the WebUI with --api when the API is disabled', () => {
    expect(toHttpError(404, '{"detail":"Not Found"}', request).message).toContain('--api');
  });
});

describe('toTransportError', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'ECONNREFUSED',
    ],
    [
      'an unknown host',
      Object.assign(new Error('getaddrinfo ENOTFOUND gpu'), { code: 'ENOTFOUND' }),
      'ENOTFOUND',
    ],
    [
      'happy eyeballs failing on every address',
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'all failed'),
      'ECONNREFUSED',
    ],
    [
      'an undici socket error wrapping a reset',
      new Error('other side closed', { cause: Object.assign(new Error('r'), { code: 'ECONNRESET' }) }),
      'ECONNRESET',
    ],
  ])('returns SdUnreachableError naming the code when it sees %s', (_case, cause, code) => {
    const error = toTransportError(cause, request);

    expect(error).toBeInstanceOf(SdUnreachableError);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain(code);
    expect(findErrorCode(cause)).toBe(code);
  });
});
