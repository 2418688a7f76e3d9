import { afterEach, describe, expect, it } from 'vitest';
import { readPngSize, renderPng } from '../fakes/webui/png.js';
import {
  type FakeWebui,
  type FakeWebuiOptions,
  startFakeWebui,
  WEBUI_FLAVOURS,
  type WebuiFlavour,
} from '../fakes/webui/server.js';

const fakes: FakeWebui[] = [];

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function startFake(options: FakeWebuiOptions = {}): Promise<FakeWebui> {
  const fake = await startFakeWebui(options);
  fakes.push(fake);
  return fake;
}

interface Answer {
  status: number;
  json: unknown;
}

async function call(fake: FakeWebui, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
}

function taskProgress(fake: FakeWebui, idTask: string): Promise<Record<string, unknown>> {
  return call(fake, 'POST', '/internal/progress', { id_task: idTask, id_live_preview: -1 }).then(
    (answer) => answer.json as Record<string, unknown>,
  );
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Txt2ImgAnswer {
  status: number;
  images: string[];
  info: Record<string, unknown>;
  json: unknown;
}

async function txt2img(fake: FakeWebui, body: Record<string, unknown>): Promise<Txt2ImgAnswer> {
  const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', body);
  const json = answer.json as { images?: string[]; info?: string };
  return {
    status: answer.status,
    images: json.images ?? [],
    info: typeof json.info === 'string' ? (JSON.parse(json.info) as Record<string, unknown>) : {},
    json: answer.json,
  };
}

const SMALL = { width: 8, height: 8, steps: 2 };

describe('startFakeWebui tasks', () => {
  it('reports a forced task queued with its place, then active, then completed when it waits behind another', async () => {
    const fake = await startFake({ generationMs: 200 });

    const first = txt2img(fake, { ...SMALL, force_task_id: 'task(first)' });
    await fake.whenGenerating();
    const second = txt2img(fake, { ...SMALL, force_task_id: 'task(second)' });
    await until(() => fake.queued === 1);
    const waiting = await taskProgress(fake, 'task(second)');
    const running = await taskProgress(fake, 'task(first)');
    const pending = await call(fake, 'GET', '/internal/pending-tasks');
    await Promise.all([first, second]);
    const done = await taskProgress(fake, 'task(second)');

    expect(waiting).toEqual({
      active: false,
      queued: true,
      completed: false,
      progress: null,
      eta: null,
      live_preview: null,
      id_live_preview: -1,
      textinfo: 'In queue: 1/1',
    });
    expect(running).toMatchObject({ active: true, queued: false, completed: false, textinfo: null });
    expect(running.progress).toEqual(expect.any(Number));
    expect(String(running.live_preview)).toMatch(/^data:image\/png;base64,/);
    expect(pending).toEqual({ status: 200, json: { size: 1, tasks: ['task(second)'] } });
    expect(done).toMatchObject({ active: false, queued: false, completed: true, textinfo: 'Waiting...' });
  });

  it('answers Waiting... with every flag false when the task id is unknown', async () => {
    const fake = await startFake();

    await expect(taskProgress(fake, 'task(nobody)')).resolves.toMatchObject({
      active: false,
      queued: false,
      completed: false,
      textinfo: 'Waiting...',
    });
  });

  it('keeps a task active after it failed inside the lock, as A1111 skips finish_task on an exception', async () => {
    const fake = await startFake({ oomAbovePixels: 100 });

    const answer = await txt2img(fake, { width: 64, height: 64, force_task_id: 'task(oom)' });

    expect(answer.status).toBe(500);
    expect(fake.currentTask).toBe('task(oom)');
    await expect(taskProgress(fake, 'task(oom)')).resolves.toMatchObject({ active: true, completed: false });
  });

  it('does not register API tasks on SD.Next, whose API ignores force_task_id', async () => {
    const fake = await startFake({ flavour: 'sdnext' });

    await txt2img(fake, { ...SMALL, force_task_id: 'task(mine)' });

    await expect(taskProgress(fake, 'task(mine)')).resolves.toMatchObject({
      active: false,
      completed: false,
      paused: false,
      textinfo: 'Waiting...',
    });
  });

  it('answers every /internal route 404 when it runs with --nowebui', async () => {
    const fake = await startFake({ uiMode: false });

    for (const [method, path] of [
      ['POST', '/internal/progress'],
      ['GET', '/internal/pending-tasks'],
      ['GET', '/internal/ping'],
    ] as const) {
      await expect(
        call(fake, method, path, method === 'POST' ? { id_task: 'x' } : undefined),
      ).resolves.toEqual({
        status: 404,
        json: { detail: 'Not Found' },
      });
    }
  });

  it('serves /internal/progress without credentials when --api-auth is set', async () => {
    const fake = await startFake({ auth: { username: 'bot', password: 'pw' } });

    expect((await call(fake, 'POST', '/internal/progress', { id_task: 'x' })).status).toBe(200);
    expect((await call(fake, 'GET', '/sdapi/v1/progress')).status).toBe(401);
  });
});

describe('startFakeWebui page generations', () => {
  it('queues an API request behind a page generation that a global interrupt then stops', async () => {
    const fake = await startFake({ generationMs: 20 });

    const page = fake.startExternalGeneration({ durationMs: 5_000 });
    await fake.whenGenerating();
    const state = ((await call(fake, 'GET', '/sdapi/v1/progress')).json as { state: { job: string } }).state;
    const mine = txt2img(fake, { ...SMALL, force_task_id: 'task(mine)' });
    await until(() => fake.queued === 1);
    const whileWaiting = await taskProgress(fake, 'task(mine)');
    const pageTask = await taskProgress(fake, page.taskId);
    await call(fake, 'POST', '/sdapi/v1/interrupt');
    await page.done;
    const answer = await mine;

    expect(page.taskId).toMatch(/^task\([a-z0-9]{15}\)$/);
    expect(state.job).toBe(page.taskId);
    expect(whileWaiting).toMatchObject({ queued: true, active: false, textinfo: 'In queue: 1/1' });
    expect(pageTask).toMatchObject({ active: true });
    expect(page.interrupted).toBe(true);
    expect(fake.interruptedTasks).toEqual(['external']);
    expect(answer.status).toBe(200);
    expect(fake.generations).toBe(1);
  });

  it('counts an interrupt while idle but records nothing stopped', async () => {
    const fake = await startFake();

    await call(fake, 'POST', '/sdapi/v1/interrupt');

    expect(fake.interrupts).toBe(1);
    expect(fake.interruptedTasks).toEqual([]);
  });

  it('records the forced task id when an interrupt stops an API generation', async () => {
    const fake = await startFake({ generationMs: 5_000 });

    const mine = txt2img(fake, { ...SMALL, force_task_id: 'task(mine)' });
    await fake.whenGenerating();
    await call(fake, 'POST', '/sdapi/v1/interrupt');
    await call(fake, 'POST', '/sdapi/v1/interrupt');
    const answer = await mine;

    expect(answer.status).toBe(200);
    expect(fake.interrupts).toBe(2);
    expect(fake.interruptedTasks).toEqual(['task(mine)']);
    await expect(taskProgress(fake, 'task(mine)')).resolves.toMatchObject({ completed: true });
  });

  it('runs the page generation to its end when nobody interrupts it', async () => {
    const fake = await startFake();

    const page = fake.startExternalGeneration({ durationMs: 10 });
    await page.done;

    expect(page.interrupted).toBe(false);
    await expect(taskProgress(fake, page.taskId)).resolves.toMatchObject({ completed: true, active: false });
  });
});

const PNG_64 = renderPng({ width: 16, height: 16, seed: 3 }).toString('base64');

/** A route "answers" unless it is FastAPI's 404 for a route that does not exist. */
async function answers(fake: FakeWebui, method: string, path: string, body?: unknown): Promise<boolean> {
  const answer = await call(fake, method, path, body);
  return !(answer.status === 404 && JSON.stringify(answer.json) === JSON.stringify({ detail: 'Not Found' }));
}

const PROBES: ReadonlyArray<readonly [name: string, method: string, path: string, body?: unknown]> = [
  ['progress', 'GET', '/sdapi/v1/progress'],
  ['interrupt', 'POST', '/sdapi/v1/interrupt'],
  ['options POST', 'POST', '/sdapi/v1/options', {}],
  ['extra-single-image', 'POST', '/sdapi/v1/extra-single-image', { image: PNG_64, upscaling_resize: 1 }],
  ['interrogate', 'POST', '/sdapi/v1/interrogate', { image: PNG_64, model: 'clip' }],
  ['loras', 'GET', '/sdapi/v1/loras'],
  ['embeddings', 'GET', '/sdapi/v1/embeddings'],
  ['prompt-styles', 'GET', '/sdapi/v1/prompt-styles'],
  ['scripts', 'GET', '/sdapi/v1/scripts'],
  ['sd-modules', 'GET', '/sdapi/v1/sd-modules'],
  ['sd-vae', 'GET', '/sdapi/v1/sd-vae'],
  ['schedulers', 'GET', '/sdapi/v1/schedulers'],
  ['/internal/progress', 'POST', '/internal/progress', { id_task: 'x', id_live_preview: -1 }],
  ['version', 'GET', '/sdapi/v1/version'],
];

const ALL = ['progress', 'interrupt', 'options POST', 'extra-single-image', 'loras', 'embeddings'];
const EVERYWHERE = [...ALL, 'prompt-styles', 'scripts', '/internal/progress'];

const DIALECT_TABLE: Record<WebuiFlavour, readonly string[]> = {
  a1111: [...EVERYWHERE, 'interrogate', 'sd-vae', 'schedulers'],
  forge: [...EVERYWHERE, 'interrogate', 'sd-modules', 'schedulers'],
  'forge-neo': [...EVERYWHERE, 'sd-modules', 'schedulers'],
  'forge-classic': [...EVERYWHERE, 'sd-vae'],
  reforge: [...EVERYWHERE, 'interrogate', 'sd-vae', 'schedulers'],
  sdnext: [...EVERYWHERE, 'sd-vae', 'version'],
};

describe('startFakeWebui dialects', () => {
  it('covers every flavour in the dialect table', () => {
    expect(Object.keys(DIALECT_TABLE).sort()).toEqual([...WEBUI_FLAVOURS].sort());
  });

  it.each(WEBUI_FLAVOURS)(
    'answers exactly the routes %s has and 404 Not Found for the others',
    async (flavour) => {
      const fake = await startFake({ flavour });

      const answered: string[] = [];
      for (const [name, method, path, body] of PROBES) {
        if (await answers(fake, method, path, body)) {
          answered.push(name);
        }
      }

      expect(answered.sort()).toEqual([...DIALECT_TABLE[flavour]].sort());
    },
  );

  it.each([
    ['a1111', 'v1.10.1'],
    ['forge-neo', 'neo'],
    ['forge-classic', 'classic'],
    ['reforge', 'f1.0.0v2-v1.10.1RC-latest-2216-g3b56b268'],
  ] as const)('writes the %s version string into info and the infotext', async (flavour, version) => {
    const fake = await startFake({ flavour });

    const { info } = await txt2img(fake, { ...SMALL, width: 64, height: 64 });

    expect(info.version).toBe(version);
    expect(String((info.infotexts as string[])[0])).toContain(`Version: ${version}`);
  });

  it('floors the size to multiples of 64 on Forge Neo and reports the floored size', async () => {
    const fake = await startFake({ flavour: 'forge-neo' });

    const { images, info } = await txt2img(fake, { ...SMALL, width: 100, height: 200 });

    expect(readPngSize(Buffer.from(images[0] ?? '', 'base64'))).toEqual({ width: 64, height: 192 });
    expect(info).toMatchObject({ width: 64, height: 192 });
  });

  it('keeps a size that is not a multiple of 64 on A1111', async () => {
    const fake = await startFake();

    const { images } = await txt2img(fake, { ...SMALL, width: 100, height: 72 });

    expect(readPngSize(Buffer.from(images[0] ?? '', 'base64'))).toEqual({ width: 100, height: 72 });
  });

  it('treats DPM++ 2M Karras as one sampler on Forge Classic, without a Schedule type', async () => {
    const fake = await startFake({ flavour: 'forge-classic' });

    const { info } = await txt2img(fake, { ...SMALL, sampler_name: 'DPM++ 2M Karras', scheduler: 'Karras' });

    expect(info.sampler_name).toBe('DPM++ 2M Karras');
    expect(info.extra_generation_params).toEqual({});
    expect(String((info.infotexts as string[])[0])).not.toContain('Schedule type');
  });

  it.each([
    [
      'forge-classic',
      { error: 'HTTPException', detail: 'Sampler not found', body: '', errors: '404: Sampler not found' },
    ],
    [
      'sdnext',
      {
        error: 'HTTPException',
        code: 404,
        detail: 'Sampler not found',
        body: '',
        errors: '404: Sampler not found',
      },
    ],
  ] as const)(
    'answers 404 Sampler not found in the %s shape when the sampler is unknown',
    async (flavour, json) => {
      const fake = await startFake({ flavour });

      await expect(
        call(fake, 'POST', '/sdapi/v1/txt2img', { ...SMALL, sampler_name: 'Nope' }),
      ).resolves.toEqual({
        status: 404,
        json,
      });
    },
  );

  it('silently runs DPM++ 2M on reForge when the sampler is unknown, as A1111 1.10', async () => {
    const fake = await startFake({ flavour: 'reforge' });

    const { status, info } = await txt2img(fake, { ...SMALL, sampler_name: 'Nope' });

    expect(status).toBe(200);
    expect(info.sampler_name).toBe('DPM++ 2M');
  });

  it.each([
    ['reforge', { error: 'RuntimeError', detail: '', body: '', errors: "model 'foo' not found" }],
    ['forge-classic', { error: 'RuntimeError', detail: '', body: '', errors: "model 'foo' not found" }],
    ['forge-neo', { error: 'RuntimeError', detail: '', body: '', message: "model 'foo' not found" }],
  ] as const)('answers an unknown checkpoint in the %s error shape', async (flavour, json) => {
    const fake = await startFake({ flavour });

    await expect(call(fake, 'POST', '/sdapi/v1/options', { sd_model_checkpoint: 'foo' })).resolves.toEqual({
      status: 500,
      json,
    });
  });

  it('lists Forge modules and records forge_additional_modules in the infotext', async () => {
    const fake = await startFake({ flavour: 'forge' });

    const modules = await call(fake, 'GET', '/sdapi/v1/sd-modules');
    const before = (await call(fake, 'GET', '/sdapi/v1/options')).json as Record<string, unknown>;
    await call(fake, 'POST', '/sdapi/v1/options', {
      forge_additional_modules: ['ae.safetensors', 'clip_l.safetensors'],
    });
    const { info } = await txt2img(fake, SMALL);

    expect(modules.json).toContainEqual({
      model_name: 'ae.safetensors',
      filename: '/stable-diffusion-webui-forge/models/VAE/ae.safetensors',
    });
    expect(before.forge_additional_modules).toEqual([]);
    expect(String((info.infotexts as string[])[0])).toContain('Module 1: ae, Module 2: clip_l, ');
  });

  it.each(['forge', 'forge-neo'] as const)(
    'crashes a %s hires request without hr_additional_modules with a 500 TypeError',
    async (flavour) => {
      const fake = await startFake({ flavour });

      const crashed = await call(fake, 'POST', '/sdapi/v1/txt2img', {
        ...SMALL,
        enable_hr: true,
        denoising_strength: 0.5,
      });
      const fine = await txt2img(fake, {
        ...SMALL,
        enable_hr: true,
        denoising_strength: 0.5,
        hr_additional_modules: ['Use same choices'],
      });

      expect(crashed).toEqual({
        status: 500,
        json: {
          error: 'TypeError',
          detail: '',
          body: '',
          message: "argument of type 'NoneType' is not iterable",
        },
      });
      expect(fine.status).toBe(200);
      expect(String((fine.info.infotexts as string[])[0])).toContain(
        'Denoising strength: 0.5, Hires Module 1: Use same choices, Hires upscale: 2, ',
      );
    },
  );

  it('runs an A1111 hires request without hr_additional_modules', async () => {
    const fake = await startFake();

    const { status } = await txt2img(fake, { ...SMALL, enable_hr: true, denoising_strength: 0.5 });

    expect(status).toBe(200);
  });
});

describe('startFakeWebui lists', () => {
  it('lists LoRAs with name, alias, path and parsed metadata', async () => {
    const fake = await startFake();

    const loras = (await call(fake, 'GET', '/sdapi/v1/loras')).json as Array<Record<string, unknown>>;

    expect(loras[0]).toMatchObject({
      name: 'add_detail',
      alias: 'add_detail',
      path: '/stable-diffusion-webui/models/Lora/add_detail.safetensors',
      metadata: { ss_base_model_version: 'sd_v1', ss_tag_frequency: { '10_detail': { detailed: 48 } } },
    });
    expect(loras[1]).toMatchObject({ name: 'pixel-art-xl-v1.1', alias: 'pixel-art-xl' });
  });

  it.each([
    ['a1111', { loaded: { EasyNegative: { shape: 768, step: null, vectors: 8 } }, skipped: {} }],
    ['sdnext', { loaded: ['EasyNegative', 'bad-hands-5'], skipped: [] }],
  ] as const)('lists embeddings in the %s shape', async (flavour, expected) => {
    const fake = await startFake({ flavour });

    expect((await call(fake, 'GET', '/sdapi/v1/embeddings')).json).toMatchObject(expected);
  });

  it('lists the embeddings, styles and LoRAs it was given', async () => {
    const fake = await startFake({
      loras: [{ name: 'mine', alias: 'mine', path: '/l/mine.safetensors', metadata: {} }],
      embeddings: [
        {
          name: 'old',
          shape: 1024,
          step: 1,
          vectors: 1,
          sd_checkpoint: null,
          sd_checkpoint_name: null,
          skipped: true,
        },
      ],
      styles: [{ name: 'Only', prompt: 'only', negative_prompt: '' }],
    });

    expect((await call(fake, 'GET', '/sdapi/v1/loras')).json).toEqual([
      { name: 'mine', alias: 'mine', path: '/l/mine.safetensors', metadata: {} },
    ]);
    expect((await call(fake, 'GET', '/sdapi/v1/embeddings')).json).toEqual({
      loaded: {},
      skipped: { old: { step: 1, sd_checkpoint: null, sd_checkpoint_name: null, shape: 1024, vectors: 1 } },
    });
    expect((await call(fake, 'GET', '/sdapi/v1/prompt-styles')).json).toEqual([
      { name: 'Only', prompt: 'only', negative_prompt: '' },
    ]);
  });

  it('lists adetailer among the scripts only when the extension is installed', async () => {
    const bare = await startFake();
    const equipped = await startFake({ extensions: ['adetailer'] });

    const without = (await call(bare, 'GET', '/sdapi/v1/scripts')).json as Record<string, string[]>;
    const withIt = (await call(equipped, 'GET', '/sdapi/v1/scripts')).json as Record<string, string[]>;

    expect(without.txt2img).toContain('x/y/z plot');
    expect(without.txt2img).not.toContain('adetailer');
    expect(withIt.txt2img).toContain('adetailer');
    expect(withIt.img2img).toContain('adetailer');
  });
});

describe('startFakeWebui prompts', () => {
  it('applies styles to the prompt and negative prompt it reports', async () => {
    const fake = await startFake();

    const { info } = await txt2img(fake, {
      ...SMALL,
      prompt: 'a cat',
      negative_prompt: 'dog',
      styles: ['Cinematic', 'Sharp', 'Unknown'],
    });

    expect(info.prompt).toBe(
      'cinematic still of a cat, shallow depth of field, film grain, sharp focus, highly detailed',
    );
    expect(info.negative_prompt).toBe('dog, cartoon, painting, illustration, blurry');
    expect(info.styles).toEqual(['Cinematic', 'Sharp', 'Unknown']);
    expect(String((info.infotexts as string[])[0])).toMatch(/^cinematic still of a cat/);
  });

  it.each([
    [
      'a1111',
      '<lora:pixel-art-xl:0.8> <lora:add_detail:1> <lora:missing:1>',
      ['pixel-art-xl-v1.1', 'add_detail'],
    ],
    ['forge', '<lora:pixel-art-xl-v1.1:0.8>', ['pixel-art-xl-v1.1']],
    ['sdnext', '<lora:pixel-art-xl:0.8> <lora:add_detail:1>', ['add_detail']],
  ] as const)('records the LoRAs that %s applies for %s', async (flavour, prompt, applied) => {
    const fake = await startFake({ flavour });

    const { status } = await txt2img(fake, { ...SMALL, prompt });
    await txt2img(fake, { ...SMALL, prompt, disable_extra_networks: true });

    expect(status).toBe(200);
    expect(fake.appliedLoras).toEqual([applied, []]);
  });

  it.each([
    [
      'a1111',
      {
        error: 'HTTPException',
        detail: "Script 'ADetailer' not found",
        body: '',
        errors: "422: Script 'ADetailer' not found",
      },
    ],
    ['forge', { detail: "Script 'ADetailer' not found" }],
  ] as const)('refuses alwayson_scripts for a script %s does not have with 422', async (flavour, json) => {
    const fake = await startFake({ flavour });

    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', {
      ...SMALL,
      alwayson_scripts: { ADetailer: { args: [true, false, { ad_model: 'face_yolov8n.pt' }] } },
    });

    expect(answer).toEqual({ status: 422, json });
    expect(fake.generations).toBe(0);
  });

  it('accepts ADetailer args, whatever the title case, when the extension is installed', async () => {
    const fake = await startFake({ extensions: ['adetailer'] });
    const args = [true, false, { ad_model: 'face_yolov8n.pt', ad_confidence: 0.3 }];

    const { status } = await txt2img(fake, { ...SMALL, alwayson_scripts: { adetailer: { args } } });

    expect(status).toBe(200);
    expect(fake.adetailerArgs).toEqual([args]);
  });

  it('refuses a selectable script among the always-on ones with 422', async () => {
    const fake = await startFake();

    const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', {
      ...SMALL,
      alwayson_scripts: { 'X/Y/Z plot': { args: [] } },
    });

    expect(answer).toMatchObject({
      status: 422,
      json: { detail: 'Cannot have a selectable script in the always on scripts params' },
    });
  });
});

describe('startFakeWebui hires fix', () => {
  it('returns images of the final size while info and the infotext report the first pass', async () => {
    const fake = await startFake();

    const { images, info } = await txt2img(fake, {
      ...SMALL,
      width: 64,
      height: 48,
      enable_hr: true,
      hr_scale: 2,
      hr_upscaler: 'R-ESRGAN 4x+',
      hr_second_pass_steps: 3,
      denoising_strength: 0.4,
    });

    expect(readPngSize(Buffer.from(images[0] ?? '', 'base64'))).toEqual({ width: 128, height: 96 });
    expect(info).toMatchObject({ width: 64, height: 48, denoising_strength: 0.4 });
    expect(String((info.infotexts as string[])[0])).toContain(
      'Size: 64x48, Model hash: 7234b76e42, Model: chilloutmix-Ni, Denoising strength: 0.4, Hires upscale: 2, Hires steps: 3, Hires upscaler: R-ESRGAN 4x+, Version: v1.10.1',
    );
  });

  it.each([
    [{ hr_resize_x: 100 }, { width: 96, height: 72 }],
    [
      { hr_resize_x: 120, hr_resize_y: 80 },
      { width: 120, height: 80 },
    ],
    [{ hr_resize_y: 96 }, { width: 128, height: 96 }],
    [
      { hr_resize_x: 128, hr_resize_y: 128 },
      { width: 128, height: 128 },
    ],
  ])('resizes a 64×48 first pass to the target when it gets %j', async (resize, size) => {
    const fake = await startFake();

    const { images } = await txt2img(fake, { ...SMALL, width: 64, height: 48, enable_hr: true, ...resize });

    expect(readPngSize(Buffer.from(images[0] ?? '', 'base64'))).toEqual(size);
  });

  it('answers 500 could not find upscaler named X when the hires upscaler is unknown', async () => {
    const fake = await startFake();

    await expect(
      call(fake, 'POST', '/sdapi/v1/txt2img', { ...SMALL, enable_hr: true, hr_upscaler: 'Foo' }),
    ).resolves.toEqual({
      status: 500,
      json: { error: 'Exception', detail: '', body: '', errors: 'could not find upscaler named Foo' },
    });
  });

  it('doubles job_count in /progress while a hires job runs', async () => {
    const fake = await startFake({ generationMs: 300 });

    const running = txt2img(fake, { ...SMALL, n_iter: 2, enable_hr: true, hr_upscaler: 'Latent' });
    await fake.whenGenerating();
    const progress = (await call(fake, 'GET', '/sdapi/v1/progress?skip_current_image=true')).json as {
      state: Record<string, unknown>;
    };
    await running;

    expect(progress.state.job_count).toBe(4);
  });
});

describe('startFakeWebui SD.Next', () => {
  it('answers /version with app sd.next', async () => {
    const fake = await startFake({ flavour: 'sdnext' });

    expect((await call(fake, 'GET', '/sdapi/v1/version')).json).toMatchObject({
      app: 'sd.next',
      updated: expect.any(String),
      commit: expect.any(String),
      branch: expect.any(String),
      url: expect.stringContaining('github.com/vladmandic/sdnext'),
    });
  });

  it('reports the loaded checkpoint on /checkpoint and loads another through it', async () => {
    const fake = await startFake({ flavour: 'sdnext' });

    const before = (await call(fake, 'GET', '/sdapi/v1/checkpoint')).json;
    const set = await call(fake, 'POST', '/sdapi/v1/checkpoint?sd_model_checkpoint=v1-5-pruned-emaonly');
    const missing = await call(fake, 'POST', '/sdapi/v1/checkpoint?sd_model_checkpoint=nope');

    expect(before).toMatchObject({ title: 'chilloutmix-Ni.safetensors [7234b76e42]', hash: '7234b76e42' });
    expect(set.json).toEqual({ ok: true });
    expect(fake.loadedModel).toBe('v1-5-pruned-emaonly.safetensors [6ce0161689]');
    expect(missing.json).toEqual({ ok: false });
  });

  it('lists its detailers and answers 400 when img2img has no init image', async () => {
    const fake = await startFake({ flavour: 'sdnext' });

    expect((await call(fake, 'GET', '/sdapi/v1/detailers')).json).toContainEqual({
      name: 'face-yolo8n',
      path: '/sdnext/models/yolo/face-yolo8n.pt',
    });
    await expect(call(fake, 'POST', '/sdapi/v1/img2img', SMALL)).resolves.toEqual({
      status: 400,
      json: { error: 'Init image is none' },
    });
  });
});
