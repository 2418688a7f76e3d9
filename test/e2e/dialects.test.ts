/**
 * The main flows against every dialect fake (the six WebUI flavours, stable-diffusion.cpp and
 * KoboldCpp) with the README's default configuration: the harness env and nothing else.
 */
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../fakes/discord/interaction-handle.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import type { FakeSdcpp, FakeSdcppOptions } from '../fakes/sdcpp/server.js';
import { readPngSize } from '../fakes/webui/png.js';
import type { FakeWebui, FakeWebuiOptions, RecordedRequest, WebuiFlavour } from '../fakes/webui/server.js';
import { type Harness, type HarnessOptions, startHarness } from './harness.js';

const WAIT_MS = 20_000;
const MANAGE_GUILD = String(1n << 5n);
const CHILLOUT = 'chilloutmix-Ni.safetensors [7234b76e42]';
const V15 = 'v1-5-pruned-emaonly.safetensors [6ce0161689]';
/** The sd.cpp fake's model (`-m sd_xl_base_1.0.safetensors`), as its `/sd-models` titles it. */
const SDXL = 'sd_xl_base_1.0';

type Server = FakeWebui | FakeSdcpp;

interface Target {
  label: string;
  webui?: FakeWebuiOptions;
  sdcpp?: FakeSdcppOptions;
  /** Stops only its own generation (`force_task_id` + `/internal/progress`). */
  interrupts: boolean;
  /** How progress shows: a bar with steps, or the time so far. */
  progress: 'bar' | 'elapsed';
  upscale: boolean;
  switchesModels: boolean;
}

const webuiTarget = (flavour: WebuiFlavour): Target => ({
  label: flavour,
  webui: { flavour },
  // SD.Next ignores `force_task_id` and has no per-task progress: the bot cannot tell its job apart.
  interrupts: flavour !== 'sdnext',
  progress: 'bar',
  upscale: true,
  switchesModels: true,
});

const cppTarget = (mode: 'sdcpp' | 'koboldcpp'): Target => ({
  label: mode,
  sdcpp: { mode },
  interrupts: false,
  progress: 'elapsed',
  upscale: false,
  switchesModels: false,
});

const TARGETS: Target[] = [
  webuiTarget('a1111'),
  webuiTarget('forge'),
  webuiTarget('forge-neo'),
  webuiTarget('forge-classic'),
  webuiTarget('reforge'),
  webuiTarget('sdnext'),
  cppTarget('sdcpp'),
  cppTarget('koboldcpp'),
];

let harness: Harness | undefined;
afterEach(async () => {
  const errors = (harness?.logs ?? []).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  await harness?.close();
  harness = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
});

function start(target: Target, extra: { webui?: FakeWebuiOptions; sdcpp?: FakeSdcppOptions } = {}) {
  const options: HarnessOptions =
    target.webui === undefined
      ? { sdcpps: [{ ...target.sdcpp, ...extra.sdcpp }] }
      : { webuis: [{ ...target.webui, ...extra.webui }] };
  return startHarness(options).then((started) => {
    harness = started;
    return started;
  });
}

const serverOf = (h: Harness): Server => (h.webuis[0] ?? h.sdcpps[0]) as Server;

const isGeneration = (request: RecordedRequest) =>
  request.method === 'POST' && /\/sdapi\/v1\/(txt2img|img2img)$/.test(request.path);
const generationsOf = (server: Server) => server.requests.filter(isGeneration);
const upscalesOf = (server: Server) =>
  server.requests.filter((request) => request.path.endsWith('/sdapi/v1/extra-single-image'));
const interruptsOf = (server: Server) =>
  server.requests.filter((request) => request.path.endsWith('/sdapi/v1/interrupt'));

const hasImage = (message: FakeMessage) =>
  message.attachments.some(
    (attachment) => attachment.filename.endsWith('.png') && attachment.filename !== 'preview.png',
  );

const describedAs = (message: FakeMessage) =>
  [
    message.content,
    ...message.embeds.map((embed) => String((embed as { description?: unknown }).description ?? '')),
  ].join('\n');

const fieldOf = (message: FakeMessage, name: string) =>
  (message.embeds[0] as { fields?: { name: string; value: string }[] } | undefined)?.fields?.find(
    (field) => field.name === name,
  )?.value;

interface Button {
  custom_id: string;
  label: string;
}
const buttonsOf = (message: FakeMessage): Button[] =>
  (message.components as { components?: Button[] }[]).flatMap((row) => row.components ?? []);
const labelsOf = (message: FakeMessage) => buttonsOf(message).map((button) => button.label);

function idOf(message: FakeMessage, label: string): string {
  const button = buttonsOf(message).find((candidate) => candidate.label === label);
  if (button === undefined) throw new Error(`no "${label}" button; has ${labelsOf(message).join(', ')}`);
  return button.custom_id;
}

const cancelIdOf = (message: FakeMessage) =>
  buttonsOf(message).find((button) => button.custom_id.startsWith('cancel:'))?.custom_id;

/**
 * The image the fake answers to the same request again, with the seed it reported (its PNGs depend
 * only on the request and the seed).
 */
async function replay(server: Server, request: RecordedRequest, seed: number): Promise<Buffer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (typeof request.headers.authorization === 'string')
    headers.authorization = request.headers.authorization;
  const response = await fetch(`${server.url}${request.path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...(request.body as Record<string, unknown>), seed }),
  });
  const answer = (await response.json()) as { images: string[] };
  return Buffer.from(answer.images[0] as string, 'base64');
}

const imagine = (h: Harness, options: Record<string, string | number> = {}) =>
  h.discord.sendCommand({ name: 'imagine', options: { prompt: 'a lighthouse', ...options } });

async function until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function cancel(h: Harness, handle: InteractionHandle): Promise<string> {
  const queued = await handle.waitForEdit((message) => cancelIdOf(message) !== undefined, WAIT_MS);
  const click = h.discord.clickButton({ customId: cancelIdOf(queued) as string, message: queued });
  const ack = await click.ack();
  return String((ack.data as { content?: string } | null)?.content ?? '');
}

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();

describe.each(TARGETS)('the bot against $label', (target) => {
  it('returns the server’s PNG unchanged with the default sampler in the server’s own spelling', async () => {
    const h = await start(target);
    const server = serverOf(h);
    const reply = await imagine(h).waitForEdit(hasImage, WAIT_MS);
    const [request] = generationsOf(server);
    expect(request).toBeDefined();
    const seed = Number(fieldOf(reply, 'Seed'));
    expect(Number.isInteger(seed) && seed >= 0).toBe(true);
    if ('ran' in server) {
      // DEFAULT_SAMPLER `DPM++ 2M` + DEFAULT_SCHEDULER `Karras`, as sd.cpp names them.
      expect(server.ran.map(({ sampler, scheduler }) => ({ sampler, scheduler }))).toEqual([
        { sampler: 'dpm++2m', scheduler: 'karras' },
      ]);
      // The bot drew the seed itself: the server's `-1` comes from its clock in seconds.
      expect((request?.body as { seed?: number } | undefined)?.seed).toBe(seed);
      expect(server.ran[0]?.seed).toBe(seed);
    }
    const attachment = reply.attachments.find((candidate) => candidate.filename === `${seed}.png`);
    expect(attachment, JSON.stringify(reply.attachments.map((a) => a.filename))).toBeDefined();
    const again = await replay(server, request as RecordedRequest, seed);
    expect(attachment?.bytes.equals(again)).toBe(true);
    expect(h.logs.some((line) => line.includes('Unknown sampler'))).toBe(false);
  });

  it('lists the checkpoints, and /setmodel switches or says the model is fixed', async () => {
    const h = await start(target);
    const server = serverOf(h);
    const models = await h.discord.sendCommand({ name: 'models' }).waitForEdit((m) => m.embeds.length > 0);
    const listed = describedAs(models);
    const wanted = target.switchesModels ? V15 : SDXL;
    if (target.switchesModels) {
      expect(listed).toContain('chilloutmix-Ni');
      expect(listed).toContain('v1-5-pruned-emaonly');
    } else {
      expect(listed).toContain(SDXL);
    }
    const set = h.discord.sendCommand({
      name: 'setmodel',
      options: { model: wanted },
      permissions: MANAGE_GUILD,
    });
    const answer = await set.waitForEdit((m) => /Switched|Could not/.test(m.content), WAIT_MS);
    expect(answer.content).toContain('Switched to');
    await imagine(h).waitForEdit(hasImage, WAIT_MS);
    const body = generationsOf(server).at(-1)?.body as Record<string, unknown>;
    if (target.switchesModels) {
      expect(body.override_settings).toEqual({ sd_model_checkpoint: V15 });
      expect((server as FakeWebui).loadedModel).toBe(V15);
    } else {
      // Nothing asks a fixed-model server to load anything.
      expect(server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/options'))).toEqual([]);
    }
  });

  it('cancels without an image and never stops a generation the bot did not start', async () => {
    const h = await start(target, { webui: { generationMs: 1500 }, sdcpp: { generationMs: 1500 } });
    const server = serverOf(h);
    const external = 'startExternalGeneration' in server ? server.startExternalGeneration() : undefined;
    const handle = imagine(h);
    if (external === undefined) await server.whenGenerating();
    const text = await cancel(h, handle);
    if (target.interrupts) {
      // Behind the page's generation: stopped the moment it starts, never the page's own.
      expect(text).toContain('had not started it yet');
    } else {
      expect(text).toContain('the image will be thrown away');
    }
    const ended = await handle.waitForEdit((m) => describedAs(m).includes('Cancelled'), WAIT_MS);
    expect(hasImage(ended)).toBe(false);
    await external?.done;
    expect(external?.interrupted ?? false).toBe(false);
    if (target.interrupts) {
      const taskId = (generationsOf(server)[0]?.body as { force_task_id?: string } | undefined)
        ?.force_task_id;
      await until(() => (server as FakeWebui).interruptedTasks.length > 0, 'the interrupt');
      expect((server as FakeWebui).interruptedTasks).toEqual([taskId]);
    } else {
      expect(interruptsOf(server)).toEqual([]);
      // The server counts as busy until the discarded image arrives: the next job is sent after it.
      await imagine(h, { prompt: 'next one' }).waitForEdit(hasImage, WAIT_MS);
      const [first, next] = generationsOf(server);
      expect(next?.receivedAt).toBeGreaterThanOrEqual(first?.finishedAt ?? Number.POSITIVE_INFINITY);
    }
    // Whatever the server still sends is thrown away: no image ever reaches the channel.
    await until(() => !server.generating && server.queued === 0, 'the server to be idle');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hasImage(handle.original() as FakeMessage)).toBe(false);
  });

  it(`shows progress as ${target.progress === 'bar' ? 'a bar with steps' : 'the time so far'}`, async () => {
    const h = await start(target, { webui: { generationMs: 1800 }, sdcpp: { generationMs: 1800 } });
    const handle = imagine(h);
    const shown = target.progress === 'bar' ? /`[█░]+` \d+%\nStep \d+\/\d+/ : /Generating… \(\d+s so far\)/;
    const progress = await handle.waitForEdit((m) => shown.test(describedAs(m)), WAIT_MS);
    if (target.progress === 'elapsed') expect(describedAs(progress)).not.toMatch(/Step \d/);
    await handle.waitForEdit(hasImage, WAIT_MS);
  });

  it(target.upscale ? 'upscales a result' : 'offers no Upscale on a result', async () => {
    const h = await start(target);
    const server = serverOf(h);
    const reply = await imagine(h, { width: 512, height: 512 }).waitForEdit(hasImage, WAIT_MS);
    if (!target.upscale) {
      expect(labelsOf(reply)).not.toContain('Upscale');
      expect(labelsOf(reply)).toContain('Reroll');
      return;
    }
    const click = h.discord.clickButton({ customId: idOf(reply, 'Upscale'), message: reply });
    const upscaled = await click.waitForEdit(hasImage, WAIT_MS);
    expect(upscalesOf(server)).toHaveLength(1);
    const bytes = upscaled.attachments.find((a) => a.filename.endsWith('.png'))?.bytes as Buffer;
    expect(readPngSize(bytes)).toEqual({ width: 1024, height: 1024 });
  });

  it('starts from an image (img2img)', async () => {
    const h = await start(target);
    const server = serverOf(h);
    const input = await png(512, 512);
    const reply = await h.discord
      .sendCommand({
        name: 'imagine',
        options: { prompt: 'a watercolour', strength: 0.5 },
        attachments: { image: { filename: 'in.png', bytes: input, contentType: 'image/png' } },
      })
      .waitForEdit(hasImage, WAIT_MS);
    const [request] = generationsOf(server);
    expect(request?.path).toMatch(/\/sdapi\/v1\/img2img$/);
    const body = request?.body as { init_images: string[]; denoising_strength: number };
    expect(Buffer.from(body.init_images[0] as string, 'base64').equals(input)).toBe(true);
    expect(body.denoising_strength).toBe(0.5);
    if ('ran' in server) expect(server.ran[0]?.kind).toBe('img2img');
    const seed = Number(fieldOf(reply, 'Seed'));
    const attachment = reply.attachments.find((a) => a.filename === `${seed}.png`);
    expect(attachment?.bytes.equals(await replay(server, request as RecordedRequest, seed))).toBe(true);
  });
});

describe('servers that need sizes in multiples of 64', () => {
  it.each([webuiTarget('forge-neo'), cppTarget('sdcpp'), cppTarget('koboldcpp')])(
    'rounds 520×776 to 512×768 on $label and gives the image’s real size',
    async (target) => {
      const h = await start(target);
      const reply = await imagine(h, { width: 520, height: 776 }).waitForEdit(hasImage, WAIT_MS);
      const body = generationsOf(serverOf(h))[0]?.body as { width?: number; height?: number } | undefined;
      expect([body?.width, body?.height]).toEqual([512, 768]);
      expect(fieldOf(reply, 'Size')).toBe('512×768');
    },
  );
});

describe('servers that answer the routes of AUTOMATIC1111', () => {
  it.each([
    ['forge-classic', 'Forge Classic'],
    ['reforge', 'reForge'],
  ] as const)('/queue names %s by its own name once an image reported its version', async (flavour, name) => {
    const h = await start(webuiTarget(flavour));
    await imagine(h).waitForEdit(hasImage, WAIT_MS);
    const ack = await h.discord.sendCommand({ name: 'queue' }).ack();
    expect(JSON.stringify(ack.data)).toContain(`idle · ${name}`);
  });
});

describe('stable-diffusion.cpp specifics', () => {
  it('gives two jobs in the same second different seeds (the bot draws them)', async () => {
    const frozen = Date.UTC(2026, 0, 1);
    const h = await startHarness({ sdcpps: [{ now: () => frozen }] });
    harness = h;
    const [first, second] = await Promise.all([
      imagine(h, { prompt: 'one' }).waitForEdit(hasImage, WAIT_MS),
      imagine(h, { prompt: 'two' }).waitForEdit(hasImage, WAIT_MS),
    ]);
    const sdcpp = h.sdcpps[0] as FakeSdcpp;
    const seeds = sdcpp.ran.map((run) => run.seed);
    expect(seeds).toHaveLength(2);
    expect(seeds[0]).not.toBe(seeds[1]);
    expect(generationsOf(sdcpp).map((r) => (r.body as { seed: number }).seed)).not.toContain(-1);
    expect([fieldOf(first as FakeMessage, 'Seed'), fieldOf(second as FakeMessage, 'Seed')].sort()).toEqual(
      seeds.map(String).sort(),
    );
  });

  it.each([
    ['DPM++ 2M Karras', undefined, 'dpm++2m', 'karras'],
    ['Euler a', 'SGM Uniform', 'euler_a', 'sgm_uniform'],
    ['dpm++2m_sde', 'exponential', 'dpm++2m_sde', 'exponential'],
  ] as const)('runs a member’s "%s" + "%s" as %s + %s', async (sampler, scheduler, ran, ranScheduler) => {
    const h = await startHarness({ sdcpps: [{}] });
    harness = h;
    const options = scheduler === undefined ? { sampler } : { sampler, scheduler };
    await imagine(h, options).waitForEdit(hasImage, WAIT_MS);
    const sdcpp = h.sdcpps[0] as FakeSdcpp;
    expect(sdcpp.ran.map((run) => [run.sampler, run.scheduler])).toEqual([[ran, ranScheduler]]);
  });

  it.each(['sdcpp', 'koboldcpp'] as const)('takes %s back after it crashed and came back', async (mode) => {
    const h = await startHarness({ sdcpps: [{ mode }] });
    harness = h;
    const server = h.sdcpps[0] as FakeSdcpp;
    await imagine(h).waitForEdit(hasImage, WAIT_MS);
    await server.kill();
    const failed = imagine(h, { prompt: 'while it is down' });
    await failed.waitForEdit(
      (m) => describedAs(m).includes('not reachable') || /Waiting|Queued|position/i.test(describedAs(m)),
      WAIT_MS,
    );
    await server.restart();
    const handle = imagine(h, { prompt: 'after the restart' });
    await handle.waitForEdit(hasImage, 30_000);
    expect(server.ran.map((run) => run.seed).length).toBeGreaterThanOrEqual(2);
  });

  it('works with no credentials configured at all', async () => {
    const h = await startHarness({ sdcpps: [{}], env: { SD_API_USERNAME: '', SD_API_PASSWORD: '' } });
    harness = h;
    await imagine(h).waitForEdit(hasImage, WAIT_MS);
    const sdcpp = h.sdcpps[0] as FakeSdcpp;
    expect(sdcpp.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
    expect(sdcpp.ran).toHaveLength(1);
  });

  it.each([
    ['a 400 {error}', 'bad-request', 'The image server rejected the request as invalid.'],
    [
      'a 500 {error:"server_error", message}',
      'server-error',
      'The image server failed while making your image.',
    ],
  ] as const)('tells the member what %s means in plain words', async (_name, fault, message) => {
    const h = await startHarness({ sdcpps: [{}] });
    harness = h;
    const sdcpp = h.sdcpps[0] as FakeSdcpp;
    sdcpp.failNext(fault, { times: 5 });
    const failed = await imagine(h).waitForEdit((m) => describedAs(m).includes(message), WAIT_MS);
    expect(hasImage(failed)).toBe(false);
    expect(describedAs(failed)).not.toMatch(/\b(400|500)\b|std::|server_error|127\.0\.0\.1/);
  });

  it('takes an empty 404 as something the server cannot do ("cannot …"), not a broken server', async () => {
    const h = await startHarness({ sdcpps: [{}] });
    harness = h;
    const rescan = h.discord.sendCommand({
      name: 'models',
      options: { rescan: true },
      permissions: MANAGE_GUILD,
    });
    const answer = await rescan.waitForEdit((m) => describedAs(m).trim() !== '', WAIT_MS);
    expect(describedAs(answer)).toContain('cannot rescan its model folder');
    // The server is still up for the next job.
    await imagine(h).waitForEdit(hasImage, WAIT_MS);
  });
});

describe('KoboldCpp with --password', () => {
  it('sends a password alone as a bearer key', async () => {
    const h = await startHarness({
      sdcpps: [{ mode: 'koboldcpp', password: 'kobold-key' }],
      env: { SD_API_USERNAME: '', SD_API_PASSWORD: 'kobold-key' },
    });
    harness = h;
    const reply = await imagine(h).waitForEdit(hasImage, WAIT_MS);
    const kobold = h.sdcpps[0] as FakeSdcpp;
    const [request] = generationsOf(kobold);
    expect(request?.headers.authorization).toBe('Bearer kobold-key');
    expect(kobold.ran).toHaveLength(1);
    const seed = Number(fieldOf(reply, 'Seed'));
    const attachment = reply.attachments.find((a) => a.filename === `${seed}.png`);
    expect(attachment?.bytes.equals(await replay(kobold, request as RecordedRequest, seed))).toBe(true);
  });
});

describe('a pool of AUTOMATIC1111 and stable-diffusion.cpp', () => {
  const mixed = (options: { generationMs?: number } = {}) =>
    startHarness({
      webuis: [{ generationMs: options.generationMs ?? 20 }],
      sdcpps: [{ generationMs: options.generationMs ?? 20 }],
      env: { MAX_PENDING_PER_USER: '10' },
    }).then((started) => {
      harness = started;
      return started;
    });

  it('serves jobs on both servers', async () => {
    const h = await mixed({ generationMs: 800 });
    const handles = ['one', 'two', 'three', 'four'].map((prompt) => imagine(h, { prompt }));
    await Promise.all(handles.map((handle) => handle.waitForEdit(hasImage, WAIT_MS)));
    const webui = h.webuis[0] as FakeWebui;
    const sdcpp = h.sdcpps[0] as FakeSdcpp;
    expect(generationsOf(webui).length).toBeGreaterThan(0);
    expect(sdcpp.ran.length).toBeGreaterThan(0);
    expect(generationsOf(webui).length + sdcpp.ran.length).toBe(4);
  });

  it('sends a job for the sd.cpp model only to sd.cpp, and its Upscale to A1111', async () => {
    const h = await mixed();
    const webui = h.webuis[0] as FakeWebui;
    const sdcpp = h.sdcpps[0] as FakeSdcpp;
    const replies: FakeMessage[] = [];
    for (const prompt of ['one', 'two', 'three']) {
      replies.push(
        await imagine(h, { prompt, model: SDXL, width: 512, height: 512 }).waitForEdit(hasImage, WAIT_MS),
      );
    }
    expect(sdcpp.ran).toHaveLength(3);
    expect(generationsOf(webui)).toEqual([]);
    const reply = replies[0] as FakeMessage;
    const upscaled = await h.discord
      .clickButton({ customId: idOf(reply, 'Upscale'), message: reply })
      .waitForEdit(hasImage, WAIT_MS);
    expect(upscalesOf(webui)).toHaveLength(1);
    expect(upscalesOf(sdcpp)).toEqual([]);
    const bytes = upscaled.attachments.find((a) => a.filename.endsWith('.png'))?.bytes as Buffer;
    expect(readPngSize(bytes)).toEqual({ width: 1024, height: 1024 });
  });

  it('/setmodel switches A1111 and says sd.cpp keeps its model', async () => {
    const h = await mixed();
    const answer = await h.discord
      .sendCommand({ name: 'setmodel', options: { model: V15 }, permissions: MANAGE_GUILD })
      .waitForEdit((m) => /Switched|Could not/.test(m.content), WAIT_MS);
    expect(answer.content).toContain('Switched to');
    expect(answer.content).toContain(`keeps \`${SDXL}\``);
    expect(answer.content).toContain('stable-diffusion.cpp cannot switch models');
    expect((h.webuis[0] as FakeWebui).loadedModel).toBe(V15);
  });

  it('/queue names each server and says what it cannot do', async () => {
    const h = await mixed();
    const ack = await h.discord.sendCommand({ name: 'queue' }).ack();
    const text = JSON.stringify(ack.data);
    expect(text).toContain('AUTOMATIC1111');
    expect(text).toContain('stable-diffusion.cpp');
    expect(text).toContain('`sd_xl_base_1.0`');
    expect(text).toContain('shows no progress while it works');
    expect(text).toContain('cannot upscale images');
    // AUTOMATIC1111 lacks nothing a member would notice.
    expect(text).not.toMatch(/AUTOMATIC1111[^•]*It /);
  });

  it('refuses a model no server can provide, saying which server holds what', async () => {
    const h = await mixed();
    await h.discord
      .sendCommand({ name: 'setmodel', options: { model: CHILLOUT }, permissions: MANAGE_GUILD })
      .waitForEdit((m) => m.content.includes('Switched to'), WAIT_MS);
    // The same bot, now with the sd.cpp server alone: the server's default model is nowhere.
    const sdcpp = h.sdcpps[0] as FakeSdcpp;
    await h.restart({ SD_API_URL: sdcpp.url });
    const handle = imagine(h);
    const refused = await handle.waitForEdit((m) => m.content !== '' || m.embeds.length > 0, WAIT_MS);
    const text = describedAs(refused);
    expect(text).toContain('chilloutmix-Ni');
    expect(text).toContain('stable-diffusion.cpp');
    expect(text).toContain(SDXL);
    expect(text).toContain('cannot switch');
    expect(sdcpp.ran).toEqual([]);
  });
});
