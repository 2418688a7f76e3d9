import { inspect } from 'node:util';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SdAbortedError,
  SdApiDisabledError,
  SdAuthError,
  SdError,
  SdInvalidRequestError,
  SdMalformedResponseError,
  SdOutOfMemoryError,
  SdServerError,
  SdTimeoutError,
  SdUnreachableError,
} from '../../src/engines/errors.js';
import { createSdClient, type SdClientOptions } from '../../src/sd/client.js';
import type { Img2ImgRequest, SdClient, Txt2ImgRequest } from '../../src/sd/types.js';
import { readPngSize } from '../fakes/webui/png.js';
import { type FakeWebui, type FakeWebuiOptions, startFakeWebui } from '../fakes/webui/server.js';

const PASSWORD = 'hunter2-very-secret';
const CHILLOUT = 'chilloutmix-Ni.safetensors [7234b76e42]';
const V15 = 'v1-5-pruned-emaonly.safetensors [6ce0161689]';

const fakes: FakeWebui[] = [];
const clients: SdClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function startFake(options: FakeWebuiOptions = {}): Promise<FakeWebui> {
  const fake = await startFakeWebui(options);
  fakes.push(fake);
  return fake;
}

function connect(options: Partial<SdClientOptions> & { url: string }): SdClient {
  const client = createSdClient({ timeoutMs: 5_000, ...options });
  clients.push(client);
  return client;
}

function txt2imgRequest(overrides: Partial<Txt2ImgRequest> = {}): Txt2ImgRequest {
  return {
    prompt: 'a lighthouse at dusk',
    negative_prompt: 'blurry',
    seed: 1234,
    sampler_name: 'Euler a',
    scheduler: 'Automatic',
    steps: 20,
    cfg_scale: 7,
    width: 64,
    height: 48,
    batch_size: 1,
    n_iter: 1,
    ...overrides,
  };
}

/** A request the type system would refuse, as a buggy caller might still send it. */
function untypedRequest(overrides: Record<string, unknown>): Txt2ImgRequest {
  return { ...txt2imgRequest(), ...overrides } as unknown as Txt2ImgRequest;
}

async function captureError(promise: Promise<unknown>): Promise<SdError> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof SdError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

function withUserinfo(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

describe('createSdClient', () => {
  describe('txt2img', () => {
    it('returns decoded PNGs of the requested size and the seeds from info when the batch has two images', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });

      const result = await client.txt2img(txt2imgRequest({ batch_size: 2 }));

      expect(result.images).toHaveLength(2);
      for (const image of result.images) {
        expect(readPngSize(image)).toEqual({ width: 64, height: 48 });
      }
      expect(result.images[0]?.equals(result.images[1] ?? Buffer.alloc(0))).toBe(false);
      expect(result.info).toMatchObject({
        seed: 1234,
        all_seeds: [1234, 1235],
        sampler_name: 'Euler a',
        sd_model_name: 'chilloutmix-Ni',
        sd_model_hash: '7234b76e42',
        index_of_first_image: 0,
        version: 'v1.10.1',
        width: 64,
        height: 48,
      });
      expect(result.info.infotexts[0]).toContain('Seed: 1234');
      expect(result.parameters.seed).toBe(1234);
    });

    it('sends the body unchanged as JSON when called', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });
      const body = txt2imgRequest({ override_settings: { sd_model_checkpoint: V15 } });

      await client.txt2img(body);

      const recorded = fake.requests.find((request) => request.path === '/sdapi/v1/txt2img');
      expect(recorded?.method).toBe('POST');
      expect(recorded?.body).toEqual(body);
      expect(recorded?.headers['content-type']).toBe('application/json');
    });

    it('reports the random seed in info while parameters keep -1 when the seed is -1', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });

      const result = await client.txt2img(txt2imgRequest({ seed: -1 }));

      expect(result.info.seed).toBeGreaterThanOrEqual(0);
      expect(result.info.all_seeds).toEqual([result.info.seed]);
      expect(result.parameters.seed).toBe(-1);
    });

    it('skips the grid when save_images makes the server prepend one', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });

      const result = await client.txt2img(txt2imgRequest({ batch_size: 2, save_images: true }));

      expect(result.info.index_of_first_image).toBe(1);
      expect(result.images).toHaveLength(2);
      expect(result.images.map(readPngSize)).toEqual([
        { width: 64, height: 48 },
        { width: 64, height: 48 },
      ]);
    });

    it('decodes a gzip answer when the server compresses it', async () => {
      const fake = await startFake({ noise: true });
      const client = connect({ url: fake.url });

      const result = await client.txt2img(txt2imgRequest({ width: 128, height: 128 }));

      expect(fake.requests.at(-1)?.headers['accept-encoding']).toContain('gzip');
      expect(readPngSize(result.images[0] ?? Buffer.alloc(0))).toEqual({ width: 128, height: 128 });
    });

    it('asks for an uncompressed answer when gzip is off', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url, gzip: false });

      const result = await client.txt2img(txt2imgRequest());

      expect(fake.requests.at(-1)?.headers['accept-encoding']).toBe('identity');
      expect(result.images).toHaveLength(1);
    });

    it('uses the override checkpoint when it is known and ignores it when it is not', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });

      const known = await client.txt2img(txt2imgRequest({ override_settings: { sd_model_checkpoint: V15 } }));
      const unknown = await client.txt2img(
        txt2imgRequest({ override_settings: { sd_model_checkpoint: 'nope' } }),
      );

      expect(known.info.sd_model_name).toBe('v1-5-pruned-emaonly');
      expect(unknown.info.sd_model_name).toBe('chilloutmix-Ni');
      expect(fake.modelLoads).toBe(2);
    });

    it('fills SD.Next info without sd_model_name or version with nulls when the flavour is sdnext', async () => {
      const fake = await startFake({ flavour: 'sdnext' });
      const client = connect({ url: fake.url });
      const { scheduler: _omitted, ...body } = txt2imgRequest({ sampler_name: 'UniPC' });

      const result = await client.txt2img(body);

      expect(result.info.sd_model_name).toBeNull();
      expect(result.info.version).toBeNull();
      expect(result.info.sd_model_hash).toBe('7234b76e42');
      expect(result.images).toHaveLength(1);
    });
  });

  describe('img2img', () => {
    it('returns an image of the requested size when init_images holds a PNG', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });
      const source = await client.txt2img(txt2imgRequest());
      const body: Img2ImgRequest = {
        ...txt2imgRequest({ width: 32, height: 32 }),
        init_images: [source.images[0]?.toString('base64') ?? ''],
        denoising_strength: 0.5,
      };

      const result = await client.img2img(body);

      expect(readPngSize(result.images[0] ?? Buffer.alloc(0))).toEqual({ width: 32, height: 32 });
    });
  });

  describe('authentication', () => {
    it('sends Basic credentials from the options when they are given', async () => {
      const fake = await startFake({ auth: { username: 'bot', password: PASSWORD } });
      const client = connect({ url: fake.url, username: 'bot', password: PASSWORD });

      await client.listModels();

      expect(fake.requests[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from(`bot:${PASSWORD}`).toString('base64')}`,
      );
    });

    it('sends decoded URL userinfo and keeps it out of the label when the URL carries credentials', async () => {
      const fake = await startFake({ auth: { username: 'bot', password: 'p@ss w/rd' } });
      const client = connect({ url: withUserinfo(fake.url, 'bot', 'p@ss w/rd') });

      await client.listModels();

      expect(fake.requests[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from('bot:p@ss w/rd').toString('base64')}`,
      );
      expect(client.label).toBe(fake.url);
    });

    it('prefers the option credentials when both the options and the URL carry them', async () => {
      const fake = await startFake({ auth: { username: 'bot', password: PASSWORD } });
      const client = connect({
        url: withUserinfo(fake.url, 'old', 'stale'),
        username: 'bot',
        password: PASSWORD,
      });

      await expect(client.listModels()).resolves.toHaveLength(2);
    });

    it.each([
      ['no credentials', undefined, 'Not authenticated', 'a1111'],
      ['a wrong password', 'wrong', 'Incorrect username or password', 'a1111'],
      ['a wrong password on Forge', 'wrong', 'Incorrect username or password', 'forge'],
    ] as const)('throws SdAuthError when the client sends %s', async (_case, password, detail, flavour) => {
      const fake = await startFake({ flavour, auth: { username: 'bot', password: PASSWORD } });
      const client = connect({
        url: fake.url,
        ...(password === undefined ? {} : { username: 'bot', password }),
      });

      const error = await captureError(client.listModels());

      expect(error).toBeInstanceOf(SdAuthError);
      expect(error).toMatchObject({ code: 'unauthorized', status: 401, detail, backend: fake.url });
    });
  });

  describe('typed errors', () => {
    type Scenario = {
      name: string;
      fake?: FakeWebuiOptions;
      arrange?: (fake: FakeWebui) => Promise<void> | void;
      act: (client: SdClient) => Promise<unknown>;
      type: abstract new (...args: never[]) => SdError;
      expected: Record<string, unknown>;
      client?: Partial<SdClientOptions>;
    };

    const scenarios: Scenario[] = [
      {
        name: 'the backend is not listening',
        arrange: (fake) => fake.kill(),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdUnreachableError,
        expected: { code: 'unreachable' },
      },
      {
        name: 'the server resets the connection',
        arrange: (fake) => fake.failNext('reset'),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdUnreachableError,
        expected: { code: 'unreachable' },
      },
      {
        name: 'the server never answers within timeoutMs',
        arrange: (fake) => fake.failNext('hang'),
        act: (client) => client.txt2img(txt2imgRequest()),
        client: { timeoutMs: 150 },
        type: SdTimeoutError,
        expected: { code: 'timeout', timeoutMs: 150 },
      },
      {
        name: 'the API is disabled',
        fake: { apiEnabled: false },
        act: (client) => client.listModels(),
        type: SdApiDisabledError,
        expected: { code: 'api-disabled', status: 404 },
      },
      {
        name: 'a field has the wrong type',
        act: (client) => client.txt2img(untypedRequest({ steps: 'abc' })),
        type: SdInvalidRequestError,
        expected: {
          code: 'invalid-request',
          status: 422,
          field: 'steps',
          detail: 'steps: value is not a valid integer',
        },
      },
      {
        name: 'Forge (pydantic 2) gets a fractional integer',
        fake: { flavour: 'forge' },
        act: (client) => client.txt2img(untypedRequest({ steps: 1.5 })),
        type: SdInvalidRequestError,
        expected: { code: 'invalid-request', status: 422, field: 'steps' },
      },
      {
        name: 'SD.Next does not know the sampler',
        fake: { flavour: 'sdnext' },
        act: (client) => client.txt2img(txt2imgRequest({ sampler_name: 'DPM++ 2M Karras' })),
        type: SdInvalidRequestError,
        expected: {
          code: 'invalid-request',
          status: 404,
          field: 'sampler_name',
          detail: 'Sampler not found',
        },
      },
      {
        name: 'img2img has no init image',
        act: (client) => client.img2img({ ...txt2imgRequest(), init_images: [], denoising_strength: 0.5 }),
        type: SdInvalidRequestError,
        expected: {
          code: 'invalid-request',
          status: 404,
          field: 'init_images',
          detail: 'Init image not found',
        },
      },
      {
        name: 'the GPU runs out of memory',
        arrange: (fake) => fake.failNext('oom'),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdOutOfMemoryError,
        expected: {
          code: 'out-of-memory',
          status: 500,
          detail: 'CUDA out of memory. Tried to allocate 2.00 GiB',
        },
      },
      {
        name: 'Forge runs out of memory',
        fake: { flavour: 'forge' },
        arrange: (fake) => fake.failNext('oom'),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdOutOfMemoryError,
        expected: { code: 'out-of-memory', status: 500 },
      },
      {
        name: 'the request is too large for the GPU',
        fake: { oomAbovePixels: 64 * 64 },
        act: (client) => client.txt2img(txt2imgRequest({ width: 128, height: 128 })),
        type: SdOutOfMemoryError,
        expected: { code: 'out-of-memory' },
      },
      {
        name: 'the server raises another exception',
        arrange: (fake) => fake.failNext('server-error'),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdServerError,
        expected: { code: 'server-error', status: 500, errorType: 'RuntimeError' },
      },
      {
        name: 'the checkpoint set through /options is unknown',
        act: (client) => client.setOptions({ sd_model_checkpoint: 'foo' }),
        type: SdServerError,
        expected: { errorType: 'RuntimeError', detail: "model 'foo' not found" },
      },
      {
        name: 'SD.Next answers a bare JSON string',
        arrange: (fake) => fake.failNext('bare-string'),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdServerError,
        expected: {
          errorType: null,
          detail: "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'",
        },
      },
      {
        name: 'the answer is not JSON',
        arrange: (fake) => fake.failNext('garbage'),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdMalformedResponseError,
        expected: { code: 'malformed-response' },
      },
      {
        name: 'the answer has the wrong shape',
        arrange: (fake) => fake.failNext('wrong-shape'),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdMalformedResponseError,
        expected: { code: 'malformed-response' },
      },
      {
        name: 'a model list has the wrong shape',
        arrange: (fake) => fake.failNext('wrong-shape', { path: '/sdapi/v1/sd-models' }),
        act: (client) => client.listModels(),
        type: SdMalformedResponseError,
        expected: { code: 'malformed-response' },
      },
      {
        name: 'an image is not base64',
        arrange: (fake) => fake.failNext('bad-base64'),
        act: (client) => client.txt2img(txt2imgRequest()),
        type: SdMalformedResponseError,
        expected: { code: 'malformed-response', detail: 'images[0] is not valid base64' },
      },
    ];

    it.each(scenarios)('throws $type.name when $name', async (scenario) => {
      const fake = await startFake({ auth: { username: 'bot', password: PASSWORD }, ...scenario.fake });
      await scenario.arrange?.(fake);
      const client = connect({ url: withUserinfo(fake.url, 'bot', PASSWORD), ...scenario.client });

      const error = await captureError(scenario.act(client));

      expect(error).toBeInstanceOf(scenario.type);
      expect(error).toMatchObject({ backend: fake.url, ...scenario.expected });
      expect(error.message).toMatch(/^(GET|POST) http:\/\/127\.0\.0\.1:\d+\/sdapi\/v1\//);
      const credentials = Buffer.from(`bot:${PASSWORD}`).toString('base64');
      for (const text of [error.message, String(error), error.stack ?? '', inspect(error, { depth: 6 })]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(credentials);
      }
    });

    it('throws SdAbortedError when the caller aborts a running generation', async () => {
      const fake = await startFake({ generationMs: 5_000 });
      const client = connect({ url: fake.url });
      const controller = new AbortController();
      const running = client.txt2img(txt2imgRequest(), { signal: controller.signal });
      await fake.whenGenerating();

      controller.abort();

      await expect(running).rejects.toBeInstanceOf(SdAbortedError);
    });

    it('honours a per-call timeoutMs when it is shorter than the client default', async () => {
      const fake = await startFake();
      fake.failNext('hang', { path: '/sdapi/v1/progress' });
      const client = connect({ url: fake.url, timeoutMs: 60_000 });

      const error = await captureError(client.progress({}, { timeoutMs: 100 }));

      expect(error).toMatchObject({ code: 'timeout', timeoutMs: 100 });
    });

    it('recovers when a killed backend is restarted on the same port', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });
      await fake.kill();
      await expect(client.listModels()).rejects.toBeInstanceOf(SdUnreachableError);

      await fake.restart();

      await expect(client.listModels()).resolves.toHaveLength(2);
    });
  });

  describe('lists', () => {
    it('lists the models, samplers, schedulers and upscalers of an A1111 server', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });

      const [models, samplers, schedulers, upscalers] = await Promise.all([
        client.listModels(),
        client.listSamplers(),
        client.listSchedulers(),
        client.listUpscalers(),
      ]);

      expect(models.map((model) => model.title)).toEqual([CHILLOUT, V15]);
      expect(models[0]).toMatchObject({ model_name: 'chilloutmix-Ni', hash: '7234b76e42' });
      expect(samplers.find((sampler) => sampler.name === 'DPM++ 2M')?.aliases).toEqual(['k_dpmpp_2m']);
      expect(schedulers?.map((scheduler) => scheduler.label)).toContain('Karras');
      expect(upscalers.map((upscaler) => upscaler.name)).toEqual([
        'None',
        'Lanczos',
        'Nearest',
        'R-ESRGAN 4x+',
      ]);
    });

    it('returns null schedulers when the server is SD.Next', async () => {
      const fake = await startFake({ flavour: 'sdnext' });
      const client = connect({ url: fake.url });

      await expect(client.listSchedulers()).resolves.toBeNull();
    });

    it('shows a model added on disk only after refreshCheckpoints', async () => {
      const fake = await startFake();
      fake.addModel({
        title: 'dreamshaper_8.safetensors [879db523c3]',
        model_name: 'dreamshaper_8',
        hash: '879db523c3',
        sha256: null,
        filename: '/stable-diffusion-webui/models/Stable-diffusion/dreamshaper_8.safetensors',
        config: null,
      });
      const client = connect({ url: fake.url });
      const before = await client.listModels();

      await client.refreshCheckpoints();

      expect(before).toHaveLength(2);
      expect((await client.listModels()).map((model) => model.model_name)).toContain('dreamshaper_8');
    });
  });

  describe('options', () => {
    it('loads the checkpoint and reports its title when A1111 accepts the model name', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });

      await client.setOptions({ sd_model_checkpoint: 'v1-5-pruned-emaonly' });

      expect((await client.getOptions()).sd_model_checkpoint).toBe(V15);
      expect((await client.getOptions()).jpeg_quality).toBe(80);
      expect(fake.modelLoads).toBe(1);
    });

    it('resolves without loading until the next generation when the server is Forge', async () => {
      const fake = await startFake({ flavour: 'forge' });
      const client = connect({ url: fake.url });

      await client.setOptions({ sd_model_checkpoint: V15 });
      const loadsBefore = fake.modelLoads;
      const result = await client.txt2img(txt2imgRequest());

      expect(loadsBefore).toBe(0);
      expect(fake.modelLoads).toBe(1);
      expect(result.info.sd_model_name).toBe('v1-5-pruned-emaonly');
    });

    it('accepts the updated list when the server is SD.Next', async () => {
      const fake = await startFake({ flavour: 'sdnext' });
      const client = connect({ url: fake.url });

      await client.setOptions({ sd_model_checkpoint: V15 });

      expect(fake.loadedModel).toBe(V15);
    });

    it('keeps the old model although the answer is 200 when the load fails silently', async () => {
      const fake = await startFake({ silentLoadFailure: true });
      const client = connect({ url: fake.url });

      await client.setOptions({ sd_model_checkpoint: V15 });

      expect((await client.getOptions()).sd_model_checkpoint).toBe(CHILLOUT);
    });
  });

  describe('progress and interrupt', () => {
    it('reports an idle server with zero progress when nothing runs', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });

      await expect(client.progress()).resolves.toEqual({
        progress: 0,
        etaRelativeSeconds: 0,
        samplingStep: 0,
        samplingSteps: 0,
        jobCount: 0,
        interrupted: false,
        currentImage: null,
      });
    });

    it('reports advancing steps and a live preview while a generation runs', async () => {
      const fake = await startFake({ generationMs: 400 });
      const client = connect({ url: fake.url });
      const running = client.txt2img(txt2imgRequest({ steps: 20 }));
      await fake.whenGenerating();

      const first = await client.progress();
      await new Promise((resolve) => setTimeout(resolve, 150));
      const later = await client.progress({ skipCurrentImage: true });
      await running;

      expect(first).toMatchObject({ samplingSteps: 20, jobCount: 1, interrupted: false });
      expect(readPngSize(Buffer.from(first.currentImage ?? '', 'base64'))).toEqual({ width: 64, height: 64 });
      expect(later.samplingStep).toBeGreaterThan(first.samplingStep);
      expect(later.progress).toBeGreaterThan(first.progress);
      expect(later.currentImage).toBeNull();
      expect(fake.requests.filter((request) => request.path === '/sdapi/v1/progress').at(-1)?.query).toEqual({
        skip_current_image: 'true',
      });
    });

    it('returns the partial images and reports interrupted when the generation is interrupted', async () => {
      const fake = await startFake({ generationMs: 5_000 });
      const client = connect({ url: fake.url });
      const started = Date.now();
      const running = client.txt2img(txt2imgRequest({ n_iter: 4 }));
      await fake.whenGenerating();

      await client.interrupt();
      const result = await running;

      expect(Date.now() - started).toBeLessThan(2_000);
      expect(result.images).toHaveLength(1);
      expect((await client.progress()).interrupted).toBe(true);
    });
  });

  describe('extraSingleImage', () => {
    it('returns the image upscaled by upscaling_resize when the upscaler exists', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });
      const source = await client.txt2img(txt2imgRequest({ width: 32, height: 16 }));

      const upscaled = await client.extraSingleImage({
        image: source.images[0]?.toString('base64') ?? '',
        upscaler_1: 'Lanczos',
        upscaling_resize: 2,
      });

      expect(readPngSize(upscaled)).toEqual({ width: 64, height: 32 });
    });

    it('throws SdServerError with the AssertionError when the upscaler is unknown', async () => {
      const fake = await startFake();
      const client = connect({ url: fake.url });
      const source = await client.txt2img(txt2imgRequest({ width: 16, height: 16 }));

      const error = await captureError(
        client.extraSingleImage({
          image: source.images[0]?.toString('base64') ?? '',
          upscaler_1: 'SuperScale 9000',
          upscaling_resize: 2,
        }),
      );

      expect(error).toMatchObject({
        errorType: 'AssertionError',
        detail: 'could not find upscaler named SuperScale 9000',
      });
    });
  });

  it('sends through the given dispatcher and leaves it open when the client closes', async () => {
    const fake = await startFake();
    const agent = new Agent();
    const client = createSdClient({ url: fake.url, timeoutMs: 5_000, dispatcher: agent });

    await client.listModels();
    await client.close();

    expect(agent.closed).toBe(false);
    await agent.close();
  });

  it('never calls dangerous routes when every method is used', async () => {
    const fake = await startFake();
    const client = connect({ url: fake.url });

    await client.listModels();
    await client.listSamplers();
    await client.listSchedulers();
    await client.listUpscalers();
    await client.getOptions();
    await client.setOptions({ jpeg_quality: 90 });
    await client.refreshCheckpoints();
    await client.progress();
    await client.interrupt();
    await client.txt2img(txt2imgRequest());

    const paths = fake.requests.map((request) => request.path);
    expect(paths.filter((path) => /cmd-flags|server-|shutdown|train|create/.test(path))).toEqual([]);
    expect(new Set(paths).size).toBe(9);
  });
});
