import { describe, expect, it } from 'vitest';
import { parseErrorBody, toFieldName } from '../../src/sd/error-body.js';

describe('parseErrorBody', () => {
  it.each([
    {
      shape: 'A1111 exception',
      status: 500,
      body: '{"error":"RuntimeError","detail":"","body":"","errors":"model \'foo\' not found"}',
      errorType: 'RuntimeError',
      message: "model 'foo' not found",
    },
    {
      shape: 'A1111 HTTPException',
      status: 404,
      body: '{"error":"HTTPException","detail":"Init image not found","body":"","errors":"404: Init image not found"}',
      errorType: 'HTTPException',
      message: 'Init image not found',
    },
    {
      shape: 'A1111 out of memory',
      status: 500,
      body: '{"error":"OutOfMemoryError","detail":"","body":"","errors":"CUDA out of memory. Tried to allocate 2.00 GiB"}',
      errorType: 'OutOfMemoryError',
      message: 'CUDA out of memory. Tried to allocate 2.00 GiB',
    },
    {
      shape: 'Forge HTTPException',
      status: 401,
      body: '{"detail":"Incorrect username or password"}',
      errorType: null,
      message: 'Incorrect username or password',
    },
    {
      shape: 'Forge exception',
      status: 500,
      body: '{"error":"RuntimeError","detail":"","body":"","message":"model \'foo\' not found"}',
      errorType: 'RuntimeError',
      message: "model 'foo' not found",
    },
    {
      shape: 'SD.Next exception',
      status: 500,
      body: '{"error":"NansException","code":500,"detail":"","body":"","errors":"A tensor with all NaNs was produced"}',
      errorType: 'NansException',
      message: 'A tensor with all NaNs was produced',
    },
    {
      shape: 'SD.Next sentence in error',
      status: 400,
      body: '{"error":"Init image is none"}',
      errorType: null,
      message: 'Init image is none',
    },
    {
      shape: 'a bare JSON string',
      status: 500,
      body: '"TypeError: unsupported operand type(s)"',
      errorType: null,
      message: 'TypeError: unsupported operand type(s)',
    },
    {
      shape: 'an HTML page',
      status: 502,
      body: '<html><body>Bad Gateway</body></html>',
      errorType: null,
      message: '<html><body>Bad Gateway</body></html>',
    },
    { shape: 'an empty body', status: 503, body: '', errorType: null, message: 'HTTP 503' },
  ])('reads the type and message when the body is $shape', ({ status, body, errorType, message }) => {
    const parsed = parseErrorBody(status, body);

    expect(parsed).toMatchObject({ status, errorType, message, issues: [], field: null });
  });

  it.each([
    {
      version: 'pydantic v1',
      body: '{"detail":[{"loc":["body","steps"],"msg":"value is not a valid integer","type":"type_error.integer"}]}',
      type: 'type_error.integer',
      message: 'steps: value is not a valid integer',
    },
    {
      version: 'pydantic v2',
      body: '{"detail":[{"type":"int_parsing","loc":["body","steps"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"}]}',
      type: 'int_parsing',
      message: 'steps: Input should be a valid integer, unable to parse string as an integer',
    },
  ])('extracts the field from loc when a 422 comes from $version', ({ body, type, message }) => {
    const parsed = parseErrorBody(422, body);

    expect(parsed.field).toBe('steps');
    expect(parsed.message).toBe(message);
    expect(parsed.issues).toEqual([
      { loc: ['body', 'steps'], field: 'steps', message: expect.any(String), type },
    ]);
  });

  it('joins every issue when a 422 lists several', () => {
    const parsed = parseErrorBody(
      422,
      JSON.stringify({
        detail: [
          { loc: ['body', 'steps'], msg: 'value is not a valid integer', type: 'type_error.integer' },
          { loc: ['body', 'cfg_scale'], msg: 'value is not a valid float', type: 'type_error.float' },
        ],
      }),
    );

    expect(parsed.message).toBe('steps: value is not a valid integer; cfg_scale: value is not a valid float');
    expect(parsed.field).toBe('steps');
  });

  it.each([
    [404, '{"detail":"Not Found"}', true],
    [
      404,
      '{"error":"HTTPException","detail":"Init image not found","body":"","errors":"404: Init image not found"}',
      false,
    ],
    [405, '{"detail":"Method Not Allowed"}', false],
  ])('flags a missing route only for 404 Not Found (status %i, body %s)', (status, body, expected) => {
    expect(parseErrorBody(status, body).routeNotFound).toBe(expected);
  });

  it('truncates a huge body when it is logged', () => {
    const parsed = parseErrorBody(500, 'x'.repeat(10_000));

    expect(parsed.message.length).toBeLessThanOrEqual(501);
  });
});

describe('toFieldName', () => {
  it.each([
    [['body', 'steps'], 'steps'],
    [['body', 'override_settings', 'CLIP_stop_at_last_layers'], 'override_settings.CLIP_stop_at_last_layers'],
    [['body', 'init_images', 0], 'init_images.0'],
    [['query', 'skip_current_image'], 'skip_current_image'],
    [['body', 12], null],
    [['body'], null],
  ] as const)('maps %j to %s', (loc, expected) => {
    expect(toFieldName(loc)).toBe(expected);
  });
});
