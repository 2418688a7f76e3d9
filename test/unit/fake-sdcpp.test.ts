import { afterEach, describe, expect, it } from 'vitest';
import { glibcRand } from '../fakes/sdcpp/catalog.js';
import { type FakeSdcpp, type FakeSdcppOptions, startFakeSdcpp } from '../fakes/sdcpp/server.js';
import { readPngSize, renderPng } from '../fakes/webui/png.js';

const fakes: FakeSdcpp[] = [];

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function startFake(options: FakeSdcppOptions = {}): Promise<FakeSdcpp> {
  const fake = await startFakeSdcpp(options);
  fakes.push(fake);
  return fake;
}

interface Answer {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

async function call(
  fake: FakeSdcpp,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    json = null;
  }
  return { status: response.status, text, json, headers: response.headers };
}

interface GenerationAnswer {
  images: string[];
  parameters: Record<string, unknown>;
  info: string;
}

async function generate(
  fake: FakeSdcpp,
  body: unknown,
  path = '/sdapi/v1/txt2img',
): Promise<GenerationAnswer> {
  const answer = await call(fake, 'POST', path, body);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as GenerationAnswer;
}

function infoOf(answer: GenerationAnswer): Record<string, unknown> {
  return JSON.parse(answer.info) as Record<string, unknown>;
}

function png(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}

/** The `parameters` tEXt chunk of a PNG. */
function pngParameters(bytes: Buffer): string | null {
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (type === 'tEXt') {
      const data = bytes.subarray(offset + 8, offset + 8 + length);
      const zero = data.indexOf(0);
      if (data.toString('latin1', 0, zero) === 'parameters') {
        return data.toString('latin1', zero + 1);
      }
    }
    offset += 12 + length;
  }
  return null;
}

function fixedClock(start: number): { now: () => number; advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}

const SMALL_PNG = renderPng({ width: 96, height: 80, seed: 5 }).toString('base64');

describe('fake sd-server txt2img and img2img', () => {
  it('answers a bare base64 PNG with a parameters chunk, the request echoed and info as JSON text', async () => {
    const fake = await startFake();
    const request = { prompt: 'a red fox', negative_prompt: 'blurry', seed: 7, steps: 4 };
    const answer = await generate(fake, request);
    expect(answer.images).toHaveLength(1);
    expect(answer.images[0]?.startsWith('data:')).toBe(false);
    const image = png(answer.images[0] ?? '');
    expect(readPngSize(image)).toEqual({ width: 512, height: 512 });
    expect(pngParameters(image)).toMatch(
      /^a red fox\nNegative prompt: blurry\nSteps: 4, .*Seed: 7, Size: 512x512/,
    );
    expect(answer.parameters).toEqual(request);
    expect(typeof answer.info).toBe('string');
  });

  it('reports exactly the info keys the real server sends when the default sampler ran', async () => {
    const fake = await startFake({ model: 'v1-5-pruned-emaonly.safetensors' });
    const info = infoOf(await generate(fake, { prompt: 'fox', seed: 3 }));
    expect(Object.keys(info).sort()).toEqual(
      [
        'all_negative_prompts',
        'all_prompts',
        'all_seeds',
        'cfg_scale',
        'height',
        'infotexts',
        'prompt',
        'sampler_name',
        'sd_model_name',
        'seed',
        'steps',
        'version',
        'width',
      ].sort(),
    );
    expect(info).toMatchObject({
      sampler_name: 'NONE',
      sd_model_name: 'v1-5-pruned-emaonly.safetensors',
      version: 'stable-diffusion.cpp',
      infotexts: [],
      all_prompts: [],
      all_seeds: [],
      all_negative_prompts: [],
      seed: 3,
      steps: 20,
      cfg_scale: 7,
    });
    expect(fake.ran[0]).toMatchObject({ sampler: 'euler_a', scheduler: 'discrete', seed: 3 });
  });

  it('adds negative_prompt, clip_skip and the schedule type only when they were set', async () => {
    const fake = await startFake();
    const info = infoOf(
      await generate(fake, { prompt: 'fox', negative_prompt: 'ugly', clip_skip: 2, scheduler: 'karras' }),
    );
    expect(info.negative_prompt).toBe('ugly');
    expect(info.clip_skip).toBe(2);
    expect(info.extra_generation_params).toEqual({ 'Schedule type': 'karras' });
    expect(info).not.toHaveProperty('job_timestamp');
    expect(info).not.toHaveProperty('subseed');
    expect(info).not.toHaveProperty('styles');
  });

  it('rounds the image up to multiples of 64 while info reports the size asked for', async () => {
    const fake = await startFake();
    const answer = await generate(fake, { prompt: 'fox', width: 100, height: 72 });
    expect(readPngSize(png(answer.images[0] ?? ''))).toEqual({ width: 128, height: 128 });
    expect(infoOf(answer)).toMatchObject({ width: 100, height: 72 });
    expect(fake.ran[0]).toMatchObject({ width: 128, height: 128 });
  });

  it('gives two seed -1 requests in the same second the same seed and image, and a new one a second later', async () => {
    const clock = fixedClock(1_800_000_000_250);
    const fake = await startFake({ now: clock.now });
    const first = await generate(fake, { prompt: 'fox', seed: -1 });
    clock.advance(500);
    const second = await generate(fake, { prompt: 'fox' });
    clock.advance(1000);
    const third = await generate(fake, { prompt: 'fox', seed: -1 });
    expect(infoOf(first).seed).toBe(glibcRand(1_800_000_000));
    expect(infoOf(second).seed).toBe(infoOf(first).seed);
    expect(second.images[0]).toBe(first.images[0]);
    expect(infoOf(third).seed).toBe(glibcRand(1_800_000_001));
    expect(third.images[0]).not.toBe(first.images[0]);
  });

  it('uses an explicit seed as given and seed, seed+1… for the images of a batch', async () => {
    const fake = await startFake();
    const answer = await generate(fake, { prompt: 'fox', seed: 1234, batch_size: 3 });
    expect(answer.images).toHaveLength(3);
    const seeds = answer.images.map((image) => /Seed: (\d+),/.exec(pngParameters(png(image)) ?? '')?.[1]);
    expect(seeds).toEqual(['1234', '1235', '1236']);
    expect(infoOf(answer).seed).toBe(1234);
    expect(new Set(answer.images).size).toBe(3);
  });

  it('fills the info lists when asked to behave like the current source', async () => {
    const fake = await startFake({ fillInfoLists: true });
    const info = infoOf(await generate(fake, { prompt: 'fox', seed: 10, batch_size: 2 }));
    expect(info.all_seeds).toEqual([10, 11]);
    expect(info.all_prompts).toEqual(['fox', 'fox']);
    expect(info.infotexts).toHaveLength(2);
  });

  it('ignores the Authorization header entirely', async () => {
    const fake = await startFake({ password: 'ignored-by-sdcpp' });
    const answer = await call(
      fake,
      'POST',
      '/sdapi/v1/txt2img',
      { prompt: 'fox' },
      { authorization: 'Bearer x' },
    );
    expect(answer.status).toBe(200);
  });
});

describe('fake sd-server samplers and schedulers', () => {
  it('lists its own lower-case sampler names with themselves as the only alias', async () => {
    const fake = await startFake();
    const answer = await call(fake, 'GET', '/sdapi/v1/samplers');
    const list = answer.json as { name: string; aliases: string[]; options: object }[];
    expect(list.map((entry) => entry.name).join(', ')).toBe(
      'default, euler, euler_a, heun, dpm2, dpm++2s_a, dpm++2m, dpm++2mv2, ipndm, ipndm_v, lcm, ddim_trailing, ' +
        'tcd, res_multistep, res_2s, er_sde, euler_cfg_pp, euler_a_cfg_pp, euler_ge, dpm++2m_sde, ' +
        'dpm++2m_sde_bt, lms',
    );
    expect(list[2]).toEqual({ name: 'euler_a', aliases: ['euler_a'], options: {} });
  });

  it('lists schedulers as name and label, lower case', async () => {
    const fake = await startFake();
    const list = (await call(fake, 'GET', '/sdapi/v1/schedulers')).json as { name: string; label: string }[];
    expect(list.map((entry) => entry.name).join(', ')).toBe(
      'default, discrete, normal, karras, exponential, ays, gits, sgm_uniform, simple, smoothstep, kl_optimal, ' +
        'lcm, bong_tangent, ltx2, logit_normal, flux2, flux, beta',
    );
    expect(list.every((entry) => entry.label === entry.name)).toBe(true);
  });

  it.each([
    ['Euler a', 'euler_a', 'euler_a'],
    ['DPM++ 2M', 'dpm++2m', 'dpm++2m'],
    ['DDIM', 'ddim_trailing', 'ddim_trailing'],
    ['Heun', 'heun', 'heun'],
    ['LCM', 'lcm', 'lcm'],
    ['k_dpmpp_2m', 'dpm++2m', 'dpm++2m'],
    ['dpm++2m', 'dpm++2m', 'dpm++2m'],
    ['DPM++ 2M Karras', 'NONE', 'euler_a'],
    ['EULER_A', 'NONE', 'euler_a'],
    ['no such sampler', 'NONE', 'euler_a'],
  ])('runs %s as %s (info) / %s (ran)', async (name, infoName, ranName) => {
    const fake = await startFake();
    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'fox', sampler_name: name });
    expect(answer.status).toBe(200);
    expect(infoOf(answer.json as GenerationAnswer).sampler_name).toBe(infoName);
    expect(fake.ran[0]?.sampler).toBe(ranName);
  });

  it.each([
    ['karras', 'karras', { 'Schedule type': 'karras' }],
    ['normal', 'discrete', { 'Schedule type': 'discrete' }],
    ['Karras', 'discrete', undefined],
    ['Automatic', 'discrete', undefined],
  ])('runs scheduler %s as %s', async (name, ranName, extra) => {
    const fake = await startFake();
    const info = infoOf(await generate(fake, { prompt: 'fox', scheduler: name }));
    expect(info.extra_generation_params).toEqual(extra);
    expect(fake.ran[0]?.scheduler).toBe(ranName);
  });

  it('runs the lcm scheduler by default with the lcm sampler', async () => {
    const fake = await startFake();
    await generate(fake, { prompt: 'fox', sampler_name: 'LCM' });
    expect(fake.ran[0]).toMatchObject({ sampler: 'lcm', scheduler: 'lcm' });
  });
});

describe('fake sd-server input handling', () => {
  it.each([
    [{ steps: 0 }, { steps: 1 }],
    [{ steps: 500 }, { steps: 100 }],
    [{ batch_size: 20 }, { batch: 8 }],
    [{ batch_size: 0 }, { batch: 1 }],
    [{ n_iter: 4 }, { batch: 1 }],
  ])('clamps %o silently to %o', async (fields, expected) => {
    const fake = await startFake();
    const answer = await generate(fake, { prompt: 'fox', ...fields });
    expect(fake.ran[0]).toMatchObject(expected);
    expect(answer.images).toHaveLength(fake.ran[0]?.batch ?? 0);
  });

  it('still sends the images when send_images is false', async () => {
    const fake = await startFake();
    const answer = await generate(fake, { prompt: 'fox', send_images: false });
    expect(answer.images).toHaveLength(1);
  });

  it('caps img2img denoising_strength at 1 and defaults it to 0.75', async () => {
    const fake = await startFake();
    const capped = infoOf(
      await generate(
        fake,
        { prompt: 'fox', init_images: [SMALL_PNG], denoising_strength: 1.5 },
        '/sdapi/v1/img2img',
      ),
    );
    const defaulted = infoOf(
      await generate(fake, { prompt: 'fox', init_images: [SMALL_PNG] }, '/sdapi/v1/img2img'),
    );
    expect(capped.denoising_strength).toBe(1);
    expect(defaulted.denoising_strength).toBe(0.75);
  });

  it('reports C++ floats widened to double in info', async () => {
    const fake = await startFake();
    const info = infoOf(
      await generate(
        fake,
        { prompt: 'fox', init_images: [SMALL_PNG], denoising_strength: 0.6, cfg_scale: 4.5 },
        '/sdapi/v1/img2img',
      ),
    );
    expect(info.denoising_strength).toBe(0.6000000238418579);
    expect(info.cfg_scale).toBe(4.5);
  });

  it('takes the init image size when none is asked for and echoes init_images', async () => {
    const fake = await startFake();
    const request = { prompt: 'fox', init_images: [`data:image/png;base64,${SMALL_PNG}`] };
    const answer = await generate(fake, request, '/sdapi/v1/img2img');
    expect(answer.parameters).toEqual(request);
    expect(infoOf(answer)).toMatchObject({ width: 96, height: 80 });
    expect(readPngSize(png(answer.images[0] ?? ''))).toEqual({ width: 128, height: 128 });
    expect(fake.ran[0]?.kind).toBe('img2img');
  });

  it.each([
    ['a bad init image', { init_images: ['not an image'] }],
    ['no init image', {}],
    ['an empty list', { init_images: [] }],
  ])('does txt2img silently on img2img with %s', async (_label, fields) => {
    const fake = await startFake();
    const answer = await generate(fake, { prompt: 'fox', ...fields }, '/sdapi/v1/img2img');
    expect(answer.images).toHaveLength(1);
    expect(fake.ran[0]?.kind).toBe('txt2img');
  });

  it.each([
    ['a missing prompt', {}, { error: 'prompt required' }],
    ['an empty prompt', { prompt: '' }, { error: 'prompt required' }],
    ['width 0', { prompt: 'fox', width: 0 }, { error: 'width and height must be positive' }],
    ['width 0 and no prompt', { width: 0 }, { error: 'width and height must be positive' }],
    ['a negative cfg scale', { prompt: 'fox', cfg_scale: -1 }, { error: 'invalid params' }],
  ])('answers 400 for %s', async (_label, body, expected) => {
    const fake = await startFake();
    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(expected);
    expect(fake.generations).toBe(0);
  });

  it('answers 400 empty body for a request without a body', async () => {
    const fake = await startFake();
    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img');
    expect(answer).toMatchObject({ status: 400, json: { error: 'empty body' } });
  });

  it.each([
    ['malformed JSON', '{"prompt": "fox",', 'parse_error'],
    ['a null prompt', { prompt: null }, 'type must be string, but is null'],
    ['a null width', { prompt: 'fox', width: null }, 'type must be number, but is null'],
    ['steps as a string', { prompt: 'fox', steps: '1' }, 'type must be number, but is string'],
    ['enable_hr as a number', { prompt: 'fox', enable_hr: 1 }, 'type must be boolean, but is number'],
    ['a body that is a list', [{ prompt: 'fox' }], 'cannot use value() with array'],
  ])('answers 500 server_error for %s', async (_label, body, message) => {
    const fake = await startFake();
    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', body);
    expect(answer.status).toBe(500);
    const json = answer.json as { error: string; message: string };
    expect(json.error).toBe('server_error');
    expect(json.message.startsWith('[json.exception.')).toBe(true);
    expect(json.message).toContain(message);
  });

  it('ignores a null in a field it never reads', async () => {
    const fake = await startFake();
    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', {
      prompt: 'fox',
      styles: null,
      hr_scale: null,
    });
    expect(answer.status).toBe(200);
  });
});

describe('fake sd-server LoRAs, models and upscalers', () => {
  const loras = ['detail.safetensors', 'styles/ink.safetensors'];

  it('lists LoRAs as name and path', async () => {
    const fake = await startFake({ loras });
    const answer = await call(fake, 'GET', '/sdapi/v1/loras');
    expect(answer.json).toEqual([
      { name: 'detail', path: 'detail.safetensors' },
      { name: 'ink', path: 'styles/ink.safetensors' },
    ]);
  });

  it('applies the request lora list and ignores prompt tags', async () => {
    const fake = await startFake({ loras });
    await call(fake, 'GET', '/sdapi/v1/loras');
    await generate(fake, {
      prompt: 'fox <lora:detail:0.8>',
      lora: [
        { path: 'styles/ink.safetensors', multiplier: 0.5 },
        { path: 'styles/ink.safetensors', multiplier: 0.25 },
      ],
    });
    await generate(fake, { prompt: 'fox <lora:detail:0.8>' });
    expect(fake.ran[0]?.loras).toEqual([{ path: 'styles/ink.safetensors', multiplier: 0.75 }]);
    expect(fake.ran[1]?.loras).toEqual([]);
  });

  it('answers 400 for an unknown LoRA path', async () => {
    const fake = await startFake({ loras });
    await call(fake, 'GET', '/sdapi/v1/loras');
    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', {
      prompt: 'fox',
      lora: [{ path: 'missing.safetensors' }],
    });
    expect(answer).toMatchObject({ status: 400, json: { error: 'invalid lora path: missing.safetensors' } });
  });

  it('knows no LoRA until a route has listed them, as the real server caches them lazily', async () => {
    const fake = await startFake({ loras });
    const before = await call(fake, 'POST', '/sdapi/v1/txt2img', {
      prompt: 'fox',
      lora: [{ path: 'detail.safetensors' }],
    });
    await call(fake, 'GET', '/sdcpp/v1/capabilities');
    const after = await call(fake, 'POST', '/sdapi/v1/txt2img', {
      prompt: 'fox',
      lora: [{ path: 'detail.safetensors' }],
    });
    expect(before).toMatchObject({ status: 400, json: { error: 'invalid lora path: detail.safetensors' } });
    expect(after.status).toBe(200);
  });

  it('lists one model with a placeholder hash and only two options', async () => {
    const fake = await startFake({ model: 'juggernautXL_v9.safetensors' });
    expect((await call(fake, 'GET', '/sdapi/v1/sd-models')).json).toEqual([
      {
        title: 'juggernautXL_v9',
        model_name: 'juggernautXL_v9',
        filename: 'juggernautXL_v9.safetensors',
        hash: '8888888888',
        sha256: '8'.repeat(64),
        config: null,
      },
    ]);
    expect((await call(fake, 'GET', '/sdapi/v1/options')).json).toEqual({
      samples_format: 'png',
      sd_model_checkpoint: 'juggernautXL_v9',
    });
    expect(fake.modelFile).toBe('juggernautXL_v9.safetensors');
  });

  it('lists None, Lanczos and Nearest as upscalers and the latent modes', async () => {
    const fake = await startFake();
    const upscalers = (await call(fake, 'GET', '/sdapi/v1/upscalers')).json as Record<string, unknown>[];
    expect(upscalers).toEqual(
      ['None', 'Lanczos', 'Nearest'].map((name) => ({
        name,
        model_name: null,
        model_path: null,
        model_url: null,
        scale: 4,
      })),
    );
    const modes = (await call(fake, 'GET', '/sdapi/v1/latent-upscale-modes')).json as { name: string }[];
    expect(modes.map((mode) => mode.name)).toContain('Latent (nearest-exact)');
  });

  it.each([
    [{ hr_scale: 2 }, { width: 1024, height: 1024 }],
    [
      { hr_scale: 1.5, hr_upscaler: 'Lanczos' },
      { width: 768, height: 768 },
    ],
    [{ hr_resize_x: 700 }, { width: 704, height: 704 }],
    [
      { hr_resize_x: 640, hr_resize_y: 960, hr_steps: 5 },
      { width: 640, height: 960 },
    ],
    [{ hr_upscaler: 'None' }, { width: 512, height: 512 }],
  ])('produces hires fix %o at the final size %o', async (fields, size) => {
    const fake = await startFake();
    const answer = await generate(fake, { prompt: 'fox', enable_hr: true, ...fields });
    expect(readPngSize(png(answer.images[0] ?? ''))).toEqual(size);
    expect(infoOf(answer)).toMatchObject({ width: 512, height: 512 });
  });

  it('answers 400 invalid params for an unknown hires upscaler or a bad hires denoising strength', async () => {
    const fake = await startFake();
    const unknown = await call(fake, 'POST', '/sdapi/v1/txt2img', {
      prompt: 'fox',
      enable_hr: true,
      hr_upscaler: '4x-UltraSharp',
    });
    const strength = await call(fake, 'POST', '/sdapi/v1/txt2img', {
      prompt: 'fox',
      enable_hr: true,
      denoising_strength: 1.5,
    });
    expect(unknown).toMatchObject({ status: 400, json: { error: 'invalid params' } });
    expect(strength).toMatchObject({ status: 400, json: { error: 'invalid params' } });
  });

  it('accepts an upscaler model file it was started with', async () => {
    const fake = await startFake({ upscalers: ['4x-UltraSharp.pth'] });
    const answer = await generate(fake, { prompt: 'fox', enable_hr: true, hr_upscaler: '4x-UltraSharp' });
    expect(readPngSize(png(answer.images[0] ?? ''))).toEqual({ width: 1024, height: 1024 });
    const names = ((await call(fake, 'GET', '/sdapi/v1/upscalers')).json as { name: string }[]).map(
      (u) => u.name,
    );
    expect(names).toContain('4x-UltraSharp');
  });
});

describe('fake sd-server missing routes', () => {
  it.each([
    ['GET', '/sdapi/v1/progress'],
    ['POST', '/sdapi/v1/interrupt'],
    ['POST', '/sdapi/v1/skip'],
    ['POST', '/sdapi/v1/extra-single-image'],
    ['POST', '/sdapi/v1/png-info'],
    ['POST', '/sdapi/v1/refresh-checkpoints'],
    ['GET', '/sdapi/v1/sd-vae'],
    ['GET', '/sdapi/v1/embeddings'],
    ['GET', '/sdapi/v1/prompt-styles'],
    ['GET', '/sdapi/v1/scripts'],
    ['GET', '/sdapi/v1/memory'],
    ['GET', '/internal/ping'],
    ['POST', '/internal/progress'],
    ['POST', '/sdapi/v1/options'],
    ['GET', '/sdapi/v1/txt2img'],
    ['GET', '/sdapi/v1/version'],
    ['GET', '/nothing/here'],
  ])('answers %s %s with 404, an empty body and no content type', async (method, path) => {
    const fake = await startFake();
    const answer = await call(fake, method, path, method === 'POST' ? {} : undefined);
    expect(answer.status).toBe(404);
    expect(answer.text).toBe('');
    expect(answer.headers.get('content-type')).toBeNull();
  });
});

describe('fake sd-server native API', () => {
  async function waitForJob(fake: FakeSdcpp, id: string, status: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const job = (await call(fake, 'GET', `/sdcpp/v1/jobs/${id}`)).json as Record<string, unknown>;
      if (job.status === status) {
        return job;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`job ${id} never became ${status}`);
  }

  it('describes itself in /sdcpp/v1/capabilities', async () => {
    const fake = await startFake({ loras: ['detail.safetensors'] });
    const caps = (await call(fake, 'GET', '/sdcpp/v1/capabilities')).json as Record<string, unknown>;
    expect(caps.model).toEqual({
      name: 'sd_xl_base_1.0.safetensors',
      stem: 'sd_xl_base_1.0',
      path: '/models/sd_xl_base_1.0.safetensors',
    });
    expect(caps.current_mode).toBe('img_gen');
    expect(caps.samplers).toContain('dpm++2m');
    expect(caps.samplers).not.toContain('default');
    expect(caps.schedulers).toContain('normal');
    expect(caps.limits).toMatchObject({ max_batch_count: 8, max_queue_size: 64 });
    expect(caps.features).toMatchObject({ cancel_queued: true, cancel_generating: false });
    expect(caps.loras).toEqual([{ name: 'detail', path: 'detail.safetensors' }]);
  });

  it('accepts a job with 202, then answers it with its images', async () => {
    const fake = await startFake();
    const accepted = await call(fake, 'POST', '/sdcpp/v1/img_gen', {
      prompt: 'fox',
      width: 100,
      batch_count: 2,
      sample_params: { sample_method: 'euler', sample_steps: 3 },
    });
    expect(accepted.status).toBe(202);
    const job = accepted.json as { id: string; status: string; poll_url: string; kind: string };
    expect(job).toMatchObject({ status: 'queued', kind: 'img_gen', poll_url: `/sdcpp/v1/jobs/${job.id}` });
    expect(job.id).toMatch(/^job_[0-9a-f]+_[0-9a-f]{8}$/);
    const done = await waitForJob(fake, job.id, 'completed');
    const result = done.result as { output_format: string; images: { index: number; b64_json: string }[] };
    expect(result.output_format).toBe('png');
    expect(result.images.map((image) => image.index)).toEqual([0, 1]);
    expect(readPngSize(png(result.images[0]?.b64_json ?? ''))).toEqual({ width: 128, height: 512 });
    expect(fake.ran[0]).toMatchObject({ sampler: 'euler', steps: 3, seed: 42, route: '/sdcpp/v1/img_gen' });
    expect(done.error).toBeNull();
  });

  it('reports queue positions, cancels a queued job and refuses to cancel a running one with 409', async () => {
    const fake = await startFake({ generationMs: 300 });
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const accepted = await call(fake, 'POST', '/sdcpp/v1/img_gen', { prompt: `fox ${index}` });
      ids.push((accepted.json as { id: string }).id);
    }
    await fake.whenGenerating();
    const [running, second, third] = await Promise.all(
      ids.map(
        async (id) => (await call(fake, 'GET', `/sdcpp/v1/jobs/${id}`)).json as Record<string, unknown>,
      ),
    );
    expect(running).toMatchObject({ status: 'generating', queue_position: 0 });
    expect(second).toMatchObject({ status: 'queued', queue_position: 1 });
    expect(third).toMatchObject({ status: 'queued', queue_position: 2 });
    expect(fake.queued).toBe(2);
    const refused = await call(fake, 'POST', `/sdcpp/v1/jobs/${ids[0]}/cancel`);
    expect(refused).toMatchObject({
      status: 409,
      json: { error: 'job is currently generating and cannot be interrupted yet' },
    });
    const cancelled = await call(fake, 'POST', `/sdcpp/v1/jobs/${ids[1]}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({
      status: 'cancelled',
      result: null,
      error: { code: 'cancelled', message: 'job cancelled by client' },
    });
    const moved = (await call(fake, 'GET', `/sdcpp/v1/jobs/${ids[2]}`)).json as Record<string, unknown>;
    expect(moved.queue_position).toBe(1);
  });

  it.each([
    ['GET', '/sdcpp/v1/jobs/job_0_00000009', 404, { error: 'job not found' }],
    ['POST', '/sdcpp/v1/jobs/job_0_00000009/cancel', 404, { error: 'job not found' }],
  ])('answers %s %s with %i', async (method, path, status, json) => {
    const fake = await startFake();
    expect(await call(fake, method, path)).toMatchObject({ status, json });
  });

  it.each([
    ['malformed JSON', '{"prompt":', 400, 'invalid json'],
    ['a bad init image', { prompt: 'fox', init_image: 'nope' }, 400, 'invalid generation parameters'],
    [
      'an unknown LoRA',
      { prompt: 'fox', lora: [{ path: 'x.safetensors' }] },
      400,
      'invalid generation parameters',
    ],
    ['a lora that is not a list', { prompt: 'fox', lora: 'x' }, 400, 'invalid generation parameters'],
  ])('refuses a job with %s', async (_label, body, status, error) => {
    const fake = await startFake();
    const answer = await call(fake, 'POST', '/sdcpp/v1/img_gen', body);
    expect(answer.status).toBe(status);
    expect((answer.json as { error: string }).error).toBe(error);
  });

  it('fails a job whose generation returns no images', async () => {
    const fake = await startFake();
    fake.failNext('no-results');
    const accepted = await call(fake, 'POST', '/sdcpp/v1/img_gen', { prompt: 'fox' });
    const failed = await waitForJob(fake, (accepted.json as { id: string }).id, 'failed');
    expect(failed.error).toEqual({
      code: 'generation_failed',
      message: 'generate_image returned no results',
    });
  });
});

describe('fake sd-server concurrency and faults', () => {
  it('generates one request at a time and serves waiting ones in order', async () => {
    const fake = await startFake({ generationMs: 80 });
    const finished: string[] = [];
    const first = generate(fake, { prompt: 'first', seed: 1 }).then(() => finished.push('first'));
    await fake.whenGenerating();
    const second = generate(fake, { prompt: 'second', seed: 2 }).then(() => finished.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.generating).toBe(true);
    expect(fake.queued).toBe(1);
    await Promise.all([first, second]);
    expect(finished).toEqual(['first', 'second']);
    expect(fake.ran.map((entry) => entry.seed)).toEqual([1, 2]);
    expect(fake.generations).toBe(2);
    expect(fake.queued).toBe(0);
  });

  it('answers 500 when the library returns no image', async () => {
    const fake = await startFake();
    fake.failNext('no-results');
    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'fox' });
    expect(answer).toMatchObject({ status: 500, json: { error: 'generate_image returned no results' } });
    expect((await call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'fox' })).status).toBe(200);
  });

  it('resets the connection when asked to and comes back after kill and restart', async () => {
    const fake = await startFake();
    fake.failNext('reset');
    await expect(call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'fox' })).rejects.toThrow();
    await fake.kill();
    await expect(call(fake, 'GET', '/sdapi/v1/options')).rejects.toThrow();
    await fake.restart();
    expect((await call(fake, 'GET', '/sdapi/v1/options')).status).toBe(200);
  });

  it('records every request', async () => {
    const fake = await startFake();
    await call(fake, 'GET', '/sdapi/v1/options?x=1', undefined, { 'x-test': 'yes' });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/sdapi/v1/options', query: { x: '1' } });
    expect(fake.requests[0]?.headers['x-test']).toBe('yes');
    expect(fake.requests[0]?.finishedAt).toBeGreaterThanOrEqual(fake.requests[0]?.receivedAt ?? 0);
  });
});

describe('fake KoboldCpp image API', () => {
  const kobold = (options: FakeSdcppOptions = {}): Promise<FakeSdcpp> =>
    startFake({ mode: 'koboldcpp', ...options });

  it('answers txt2img with one image, empty parameters, a job_timestamp in info and Python JSON spacing', async () => {
    const fake = await kobold();
    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'fox', seed: 9, batch_size: 4 });
    expect(answer.status).toBe(200);
    expect(answer.text.startsWith('{"images": ["')).toBe(true);
    const json = answer.json as GenerationAnswer & { animated: boolean; extra_data: string };
    expect(json.images).toHaveLength(1);
    expect(json.parameters).toEqual({});
    expect(json.animated).toBe(false);
    const info = infoOf(json);
    expect(info.job_timestamp).toMatch(/^\d{14}$/);
    expect(info.seed).toBe(9);
    expect(pngParameters(png(json.images[0] ?? ''))).toContain('Seed: 9');
  });

  it('serves images without a password even when one is set, and guards its text endpoints with Bearer', async () => {
    const fake = await kobold({ password: 'hunter2' });
    expect((await call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'fox' })).status).toBe(200);
    expect((await call(fake, 'GET', '/sdapi/v1/sd-models')).status).toBe(200);
    const unauthorized = {
      detail: {
        error: 'Unauthorized',
        msg: 'Authentication key is missing or invalid.',
        type: 'unauthorized',
      },
    };
    const missing = await call(fake, 'POST', '/api/extra/tokencount', { prompt: 'a b' });
    const wrong = await call(
      fake,
      'POST',
      '/api/extra/tokencount',
      { prompt: 'a b' },
      { authorization: 'Bearer no' },
    );
    const basic = await call(
      fake,
      'POST',
      '/api/extra/tokencount',
      { prompt: 'a b' },
      { authorization: 'hunter2' },
    );
    const right = await call(
      fake,
      'POST',
      '/api/extra/tokencount',
      { prompt: 'a b' },
      { authorization: 'Bearer hunter2' },
    );
    expect(missing).toMatchObject({ status: 401, json: unauthorized });
    expect(wrong).toMatchObject({ status: 401, json: unauthorized });
    expect(basic.status).toBe(401);
    expect(right).toMatchObject({ status: 200, json: { value: 2 } });
    expect((await call(fake, 'GET', '/api/extra/version')).json).toMatchObject({
      result: 'KoboldCpp',
      protected: true,
      txt2img: true,
    });
    expect((await call(fake, 'GET', '/api/extra/generate/check')).status).toBe(401);
  });

  it('answers interrogate with 503 without a vision model and a caption with one', async () => {
    const without = await kobold();
    expect(await call(without, 'POST', '/sdapi/v1/interrogate', { image: SMALL_PNG })).toMatchObject({
      status: 503,
      json: { detail: { msg: 'No Vision model loaded', type: 'service_unavailable' } },
    });
    const withVision = await kobold({ vision: true });
    const answer = await call(withVision, 'POST', '/sdapi/v1/interrogate', { image: SMALL_PNG });
    expect(answer.status).toBe(200);
    expect(typeof (answer.json as { caption: unknown }).caption).toBe('string');
  });

  it('lists one model with a placeholder hash, its options and its own sampler names', async () => {
    const fake = await kobold({ model: 'dreamshaper_8.safetensors' });
    expect((await call(fake, 'GET', '/sdapi/v1/sd-models')).json).toEqual([
      {
        title: 'dreamshaper_8',
        model_name: 'dreamshaper_8',
        hash: '8888888888',
        sha256: '8'.repeat(64),
        filename: '/models/dreamshaper_8.safetensors',
        config: null,
      },
    ]);
    expect((await call(fake, 'GET', '/sdapi/v1/options')).json).toEqual({
      samples_format: 'png',
      sd_model_checkpoint: 'dreamshaper_8',
    });
    const samplers = (await call(fake, 'GET', '/sdapi/v1/samplers')).json as {
      name: string;
      aliases: string[];
    }[];
    expect(samplers.slice(0, 2)).toEqual([
      { name: 'Euler', aliases: ['euler', 'k_euler'], options: {} },
      { name: 'Euler A', aliases: ['euler_a', 'k_euler_a', 'euler a'], options: {} },
    ]);
    expect((await call(fake, 'GET', '/sdapi/v1/upscalers')).json).toEqual([]);
    expect((await call(fake, 'GET', '/sdapi/v1/latent-upscale-modes')).json).toEqual([]);
  });

  it('answers unknown routes with KoboldCpp 404s: an HTML message for GET, an empty page for POST', async () => {
    const fake = await kobold();
    const get = await call(fake, 'GET', '/sdapi/v1/progress');
    expect(get.status).toBe(404);
    expect(get.headers.get('content-type')).toBe('text/html');
    expect(get.text).toContain('KoboldCpp HTTP Server is running, but this endpoint does not exist');
    expect(get.text).toContain('Current path: /sdapi/v1/progress');
    for (const path of ['/sdapi/v1/options', '/sdapi/v1/interrupt', '/sdapi/v1/png-info']) {
      const post = await call(fake, 'POST', path, {});
      expect(post.status).toBe(404);
      expect(post.text).toBe('');
      expect(post.headers.get('content-type')).toBe('text/html');
    }
  });

  it.each([
    [{ sampler_name: 'DPM++ 2M Karras' }, { sampler: 'dpm++2m' }],
    [{ sampler_name: 'Euler a' }, { sampler: 'euler_a' }],
    [{ sampler_name: 'DDIM' }, { sampler: 'ddim_trailing' }],
    [{ sampler_name: 'nope' }, { sampler: 'euler_a' }],
    [{ scheduler: 'Karras' }, { scheduler: 'karras' }],
    [{ steps: '7' }, { steps: 7 }],
    [{ steps: 200 }, { steps: 80 }],
    [{ steps: 'many' }, { steps: 20 }],
    [
      { width: 100, height: 72 },
      { width: 128, height: 64 },
    ],
    [
      { width: 2048, height: 2048 },
      { width: 1024, height: 1024 },
    ],
  ])('handles %o leniently as %o', async (fields, expected) => {
    const fake = await kobold();
    expect((await call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'fox', ...fields })).status).toBe(200);
    expect(fake.ran[0]).toMatchObject(expected);
  });

  it('seeds seed -1 from its random source', async () => {
    const fake = await kobold({ random: () => 0.5 });
    const info = infoOf(await generate(fake, { prompt: 'fox', seed: -1 }));
    expect(info.seed).toBe(550_000);
  });

  it('applies prompt LoRA tags when no lora list is sent', async () => {
    const fake = await kobold({ loras: ['detail.safetensors'] });
    const info = infoOf(await generate(fake, { prompt: 'fox <lora:detail:0.6> <lora:unknown:1>' }));
    expect(fake.ran[0]?.loras).toEqual([{ path: 'detail.safetensors', multiplier: 0.6 }]);
    expect(info.prompt).toBe('fox  ');
  });

  it('closes the connection without an answer when the prompt is missing', async () => {
    const fake = await kobold();
    await expect(call(fake, 'POST', '/sdapi/v1/txt2img', { steps: 5 })).rejects.toThrow();
  });

  it('answers 500 bad_input for a body that is not JSON', async () => {
    const fake = await kobold();
    expect(await call(fake, 'POST', '/sdapi/v1/txt2img', '{nope')).toMatchObject({
      status: 500,
      json: { detail: { msg: 'Error parsing input.', type: 'bad_input' } },
    });
  });

  it('answers an empty image when the init image does not decode', async () => {
    const fake = await kobold();
    const answer = await generate(fake, { prompt: 'fox', init_images: ['garbage'] }, '/sdapi/v1/img2img');
    expect(answer.images).toEqual(['']);
    expect(Object.keys(infoOf(answer))).toEqual(['job_timestamp']);
    const good = await generate(fake, { prompt: 'fox', init_images: [SMALL_PNG] }, '/sdapi/v1/txt2img');
    expect(readPngSize(png(good.images[0] ?? ''))).toEqual({ width: 512, height: 512 });
    expect(fake.ran[0]?.kind).toBe('img2img');
  });

  it('answers 503 busy when too many requests wait for the lock', async () => {
    const fake = await kobold({ generationMs: 200, queueLimit: 1 });
    const first = call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'one' });
    await fake.whenGenerating();
    const second = call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'two' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const third = await call(fake, 'POST', '/sdapi/v1/txt2img', { prompt: 'three' });
    expect(third).toMatchObject({
      status: 503,
      json: { detail: { msg: 'Server is busy; please try again later.', type: 'service_unavailable' } },
    });
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });
});
