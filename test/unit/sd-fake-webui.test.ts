import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS, resolveSampler } from '../fakes/webui/catalog.js';
import { readPngSize, renderPng } from '../fakes/webui/png.js';
import { type FakeWebui, type FakeWebuiOptions, startFakeWebui } from '../fakes/webui/server.js';

const fakes: FakeWebui[] = [];

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function startFake(options: FakeWebuiOptions = {}): Promise<FakeWebui> {
  const fake = await startFakeWebui(options);
  fakes.push(fake);
  return fake;
}

async function call(
  fake: FakeWebui,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? null : (JSON.parse(text) as unknown),
    headers: response.headers,
  };
}

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

describe('startFakeWebui', () => {
  describe('auth', () => {
    it.each([
      ['no header', {}, 'Not authenticated'],
      ['a Bearer token', { authorization: 'Bearer abc' }, 'Not authenticated'],
      [
        'credentials without a colon',
        { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` },
        'Invalid authentication credentials',
      ],
      ['a wrong password', basic('bot', 'nope'), 'Incorrect username or password'],
    ])('answers A1111 401 without WWW-Authenticate when it gets %s', async (_case, headers, detail) => {
      const fake = await startFake({ auth: { username: 'bot', password: 'pw' } });

      const response = await call(fake, 'GET', '/sdapi/v1/sd-models', undefined, headers);

      expect(response.status).toBe(401);
      expect(response.json).toEqual({ error: 'HTTPException', detail, body: '', errors: `401: ${detail}` });
      expect(response.headers.get('www-authenticate')).toBeNull();
    });

    it('answers Forge 401 with only detail and WWW-Authenticate when the password is wrong', async () => {
      const fake = await startFake({ flavour: 'forge', auth: { username: 'bot', password: 'pw' } });

      const response = await call(fake, 'GET', '/sdapi/v1/sd-models', undefined, basic('bot', 'nope'));

      expect(response.json).toEqual({ detail: 'Incorrect username or password' });
      expect(response.headers.get('www-authenticate')).toBe('Basic');
    });

    it('serves /sdapi/v1/loras without auth when --api-auth is set', async () => {
      const fake = await startFake({ auth: { username: 'bot', password: 'pw' } });

      expect((await call(fake, 'GET', '/sdapi/v1/loras')).status).toBe(200);
    });
  });

  describe('routes', () => {
    it.each([
      ['an unknown route', 'GET', '/sdapi/v1/nope', 404, { detail: 'Not Found' }],
      ['a wrong method', 'GET', '/sdapi/v1/txt2img', 405, { detail: 'Method Not Allowed' }],
      ['cmd-flags, which the fake never serves', 'GET', '/sdapi/v1/cmd-flags', 404, { detail: 'Not Found' }],
    ])('answers %s with FastAPI defaults', async (_case, method, path, status, json) => {
      const fake = await startFake();

      await expect(call(fake, method, path)).resolves.toMatchObject({ status, json });
    });

    it('answers 404 Not Found on every /sdapi route when the API is disabled', async () => {
      const fake = await startFake({ apiEnabled: false });

      await expect(call(fake, 'GET', '/sdapi/v1/progress')).resolves.toMatchObject({
        status: 404,
        json: { detail: 'Not Found' },
      });
    });

    it('lists the seed models with their real fields', async () => {
      const fake = await startFake();

      expect((await call(fake, 'GET', '/sdapi/v1/sd-models')).json).toEqual(DEFAULT_MODELS);
    });

    it('answers idle progress exactly like A1111 when nothing runs', async () => {
      const fake = await startFake();

      expect((await call(fake, 'GET', '/sdapi/v1/progress?skip_current_image=true')).json).toEqual({
        progress: 0,
        eta_relative: 0,
        state: {
          skipped: false,
          interrupted: false,
          stopping_generation: false,
          job: '',
          job_count: 0,
          job_timestamp: '0',
          job_no: 0,
          sampling_step: 0,
          sampling_steps: 0,
        },
        current_image: null,
        textinfo: null,
      });
    });
  });

  describe('txt2img', () => {
    it('answers 422 in the pydantic v1 shape when steps is not an integer', async () => {
      const fake = await startFake();

      const response = await call(fake, 'POST', '/sdapi/v1/txt2img', { steps: 'abc' });

      expect(response).toMatchObject({
        status: 422,
        json: {
          detail: [
            { loc: ['body', 'steps'], msg: 'value is not a valid integer', type: 'type_error.integer' },
          ],
        },
      });
    });

    it('answers 422 in the pydantic v2 shape when Forge gets a fractional steps', async () => {
      const fake = await startFake({ flavour: 'forge' });

      const response = await call(fake, 'POST', '/sdapi/v1/txt2img', { steps: 1.5 });

      expect(response.json).toEqual({
        detail: [
          {
            type: 'int_from_float',
            loc: ['body', 'steps'],
            msg: 'Input should be a valid integer, got a number with a fractional part',
            input: 1.5,
          },
        ],
      });
    });

    it('uses the API defaults (50 steps, 512², Euler) when the body is empty', async () => {
      const fake = await startFake();

      const response = await call(fake, 'POST', '/sdapi/v1/txt2img', {});
      const body = response.json as { images: string[]; info: string };
      const info = JSON.parse(body.info) as Record<string, unknown>;

      expect(info).toMatchObject({
        steps: 50,
        width: 512,
        height: 512,
        sampler_name: 'Euler',
        version: 'v1.10.1',
      });
      expect(readPngSize(Buffer.from(body.images[0] ?? '', 'base64'))).toEqual({ width: 512, height: 512 });
    });

    it('runs one generation at a time in arrival order when two requests race', async () => {
      const fake = await startFake({ generationMs: 100 });
      const finished: string[] = [];

      const first = call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'first', width: 8, height: 8 }).then(
        () => finished.push('first'),
      );
      await fake.whenGenerating();
      const second = call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'second', width: 8, height: 8 }).then(
        () => finished.push('second'),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      const queued = fake.queued;
      await Promise.all([first, second]);

      expect(queued).toBe(1);
      expect(finished).toEqual(['first', 'second']);
    });
  });

  describe('options', () => {
    it.each([
      [
        { sd_model_checkpoint: 'foo' },
        { error: 'RuntimeError', detail: '', body: '', errors: "model 'foo' not found" },
      ],
      [{ no_such_option: 1 }, { error: 'KeyError', detail: '', body: '', errors: "'no_such_option'" }],
    ])('answers 500 when A1111 gets %j', async (body, json) => {
      const fake = await startFake();

      await expect(call(fake, 'POST', '/sdapi/v1/options', body)).resolves.toMatchObject({
        status: 500,
        json,
      });
    });

    it('keeps an alias verbatim without loading when it names the loaded model', async () => {
      const fake = await startFake();

      await call(fake, 'POST', '/sdapi/v1/options', { sd_model_checkpoint: '7234b76e42' });

      expect(fake.checkpointOption).toBe('7234b76e42');
      expect(fake.modelLoads).toBe(0);
    });
  });

  describe('extra-single-image', () => {
    it('answers 422 when upscaling_resize is above 8', async () => {
      const fake = await startFake();

      const response = await call(fake, 'POST', '/sdapi/v1/extra-single-image', {
        image: '',
        upscaling_resize: 9,
      });

      expect(response.status).toBe(422);
    });
  });

  describe('linkMbps', () => {
    it('sends an answer no faster than the link carries it, whole', async () => {
      const fake = await startFake({ noise: 'grain', linkMbps: 100, gzip: false });
      const body = { prompt: 'a paced answer', width: 512, height: 512, batch_size: 2 };
      const paced = await call(fake, 'POST', '/sdapi/v1/txt2img', body);
      fake.configure({ linkMbps: 0 });
      await call(fake, 'POST', '/sdapi/v1/txt2img', body);
      const [first, second] = fake.requests.filter((request) => request.path === '/sdapi/v1/txt2img');
      const bytes = Buffer.byteLength(JSON.stringify(paced.json));
      // About 1.3 MB of base64 at 100 Mbit/s: 100 ms or more on the wire, where loopback takes a few.
      const wireMs = (bytes * 8) / 100_000;
      const tookMs = (request: typeof first) => (request?.finishedAt ?? 0) - (request?.receivedAt ?? 0);
      expect(tookMs(first) - tookMs(second)).toBeGreaterThan(wireMs * 0.7);
      const images = (paced.json as { images: string[] }).images.map((image) => Buffer.from(image, 'base64'));
      const widths = await Promise.all(images.map(async (image) => (await sharp(image).metadata()).width));
      expect(widths).toEqual([512, 512]);
    });
  });

  describe('fixedServiceTime', () => {
    const took = (request: { receivedAt: number; finishedAt?: number } | undefined) =>
      (request?.finishedAt ?? 0) - (request?.receivedAt ?? 0);

    it('answers generationMs after the request, and one queued behind it generationMs after that', async () => {
      const fake = await startFake({ generationMs: 150, fixedServiceTime: true });
      const body = { prompt: 'a fixed time', width: 256, height: 256 };
      const answers = await Promise.all([
        call(fake, 'POST', '/sdapi/v1/txt2img', body),
        call(fake, 'POST', '/sdapi/v1/txt2img', body),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      const [first, second] = fake.requests
        .filter((request) => request.path === '/sdapi/v1/txt2img')
        .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
      expect(took(first)).toBeGreaterThanOrEqual(150);
      expect(took(first)).toBeLessThan(250);
      // The second waited in the queue: it answers a whole generation after the first one's deadline.
      const both = (second?.finishedAt ?? 0) - (first?.receivedAt ?? 0);
      expect(both).toBeGreaterThanOrEqual(299);
      expect(both).toBeLessThan(400);
      const image = (answers[0]?.json as { images?: string[] } | undefined)?.images?.[0] ?? '';
      expect(readPngSize(Buffer.from(image, 'base64'))).toEqual({ width: 256, height: 256 });
    });

    it('answers every request of a size with the same images when reuseImages is on, else each its own', async () => {
      const imagesOf = async (options: FakeWebuiOptions) => {
        const fake = await startFake({ generationMs: 20, fixedServiceTime: true, ...options });
        const answers = [];
        for (const seed of [1, 10]) {
          const body = { prompt: 'again', width: 256, height: 256, seed, batch_size: 2 };
          answers.push(
            ((await call(fake, 'POST', '/sdapi/v1/txt2img', body)).json as { images: string[] }).images,
          );
        }
        return answers.flat();
      };
      const reused = await imagesOf({ reuseImages: true });
      expect(reused).toHaveLength(4);
      expect(new Set(reused).size).toBe(1);
      expect(readPngSize(Buffer.from(reused[0] ?? '', 'base64'))).toEqual({ width: 256, height: 256 });
      expect(new Set(await imagesOf({})).size).toBe(4);
    });

    it('answers an interrupted generation at once', async () => {
      const fake = await startFake({ generationMs: 2000, fixedServiceTime: true });
      const answer = call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'stopped', width: 256, height: 256 });
      await fake.whenGenerating();
      await call(fake, 'POST', '/sdapi/v1/interrupt');
      expect((await answer).status).toBe(200);
      expect(took(fake.requests.find((request) => request.path === '/sdapi/v1/txt2img'))).toBeLessThan(1000);
    });
  });
});

describe('resolveSampler', () => {
  it.each([
    ['a1111', 'Euler a', null, { sampler: 'Euler a', scheduler: 'Automatic' }],
    ['a1111', 'Euler a', 'karras', { sampler: 'Euler a', scheduler: 'Karras' }],
    ['a1111', 'Euler a Karras', null, { sampler: 'Euler a', scheduler: 'Karras' }],
    ['a1111', 'DPM++ 2M Karras', null, { sampler: 'DPM++ 2M', scheduler: 'Automatic' }],
    ['a1111', 'DPM++ 2M SGMUniform', null, { sampler: 'DPM++ 2M', scheduler: 'SGM Uniform' }],
    ['a1111', 'k_euler', null, { sampler: 'DPM++ 2M', scheduler: 'Automatic' }],
    ['a1111', 'Nope', 'Exponential', { sampler: 'DPM++ 2M', scheduler: 'Exponential' }],
    ['forge', 'DEIS', null, { sampler: 'DEIS', scheduler: 'Automatic' }],
    ['sdnext', 'UniPC', null, { sampler: 'UniPC', scheduler: null }],
    ['sdnext', 'DPM++ 2M Karras', null, undefined],
  ] as const)('%s resolves %s (scheduler %s) to %j', (flavour, sampler, scheduler, expected) => {
    expect(resolveSampler(flavour, sampler, scheduler)).toEqual(expected);
  });
});

describe('renderPng', () => {
  it('makes a 2048² PNG larger than 10 MiB when noise is on', () => {
    const png = renderPng({ width: 2048, height: 2048, seed: 1, noise: true });

    expect(png.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(readPngSize(png)).toEqual({ width: 2048, height: 2048 });
  });

  it.each([false, true])('makes a PNG that a real decoder reads when noise is %s', async (noise) => {
    const png = renderPng({ width: 40, height: 24, seed: 9, noise, text: { parameters: 'cat\nSteps: 20' } });

    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });

    expect(info).toMatchObject({ width: 40, height: 24, channels: 3 });
    expect(data.length).toBe(40 * 24 * 3);
  });

  it('makes different pixels when the seed differs', () => {
    const a = renderPng({ width: 16, height: 16, seed: 1 });
    const b = renderPng({ width: 16, height: 16, seed: 2 });

    expect(a.equals(b)).toBe(false);
    expect(a.equals(renderPng({ width: 16, height: 16, seed: 1 }))).toBe(true);
  });
});
