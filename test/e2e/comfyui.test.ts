import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeComfy } from '../fakes/comfyui/server.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, requestsTo, startHarness } from './harness.js';

const WAIT_MS = 20_000;
/** The Manage Server permission bit, which /setmodel asks for. */
const MANAGE_GUILD = String(1n << 5n);

let harness: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

/** An image result: a PNG (not the live preview), or a batch's JPEG grid preview. */
const hasImage = (message: FakeMessage) =>
  message.attachments.some(
    (attachment) =>
      (attachment.filename.endsWith('.png') && attachment.filename !== 'preview.png') ||
      attachment.filename === 'grid.jpg',
  );
const describedAs = (message: FakeMessage) =>
  message.embeds.map((embed) => String((embed as { description?: unknown }).description ?? '')).join('\n');
const fieldOf = (message: FakeMessage, name: string) =>
  (message.embeds[0] as { fields?: { name: string; value: string }[] }).fields?.find(
    (field) => field.name === name,
  )?.value;

interface Button {
  custom_id: string;
  label: string;
}
const buttonsOf = (message: FakeMessage): Button[] =>
  (message.components as { components?: Button[] }[]).flatMap((row) => row.components ?? []);
function idOf(message: FakeMessage, label: string): string {
  const button = buttonsOf(message).find((candidate) => candidate.label === label);
  if (button === undefined)
    throw new Error(`no "${label}" button among ${buttonsOf(message).map((b) => b.label)}`);
  return button.custom_id;
}
const cancelIdOf = (message: FakeMessage) =>
  buttonsOf(message).find((button) => button.custom_id.startsWith('cancel:'))?.custom_id;

const graphs = (comfy: FakeComfy): Graph[] =>
  comfy.prompts.filter((prompt) => prompt.accepted).map((prompt) => prompt.graph as Graph);
const nodesOf = (graph: Graph | undefined, classType: string) =>
  Object.values(graph ?? {}).filter((node) => node.class_type === classType);

async function until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function clickForResult(h: Harness, message: FakeMessage, label: string): Promise<FakeMessage> {
  const handle = h.discord.clickButton({ customId: idOf(message, label), message });
  expect((await handle.ack()).type).toBe(5);
  return handle.waitForEdit(hasImage, WAIT_MS);
}

const comfyOf = (h: Harness) => h.comfys[0] as FakeComfy;

describe('ComfyUI end to end', () => {
  it('answers /imagine with the PNG bytes ComfyUI saved, in its sampler names', async () => {
    harness = await startHarness({ comfys: [{ stepMs: 2 }] });
    const h = harness;
    const reply = await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'apple', seed: 4242, steps: 12 } })
      .waitForEdit(hasImage, WAIT_MS);
    const comfy = comfyOf(h);
    const [graph] = graphs(comfy);
    expect(nodesOf(graph, 'KSampler')[0]?.inputs).toMatchObject({
      seed: 4242,
      steps: 12,
      sampler_name: 'dpmpp_2m',
      scheduler: 'karras',
    });
    const prompt = comfy.prompts[0];
    const history = (await (await fetch(`${comfy.url}/history/${prompt?.promptId}`)).json()) as Record<
      string,
      { outputs: Record<string, { images: { filename: string; type: string }[] }> }
    >;
    const saved = Object.values(history[prompt?.promptId as string]?.outputs ?? {})[0]?.images[0];
    const bytes = Buffer.from(
      await (await fetch(`${comfy.url}/view?filename=${saved?.filename}&type=${saved?.type}`)).arrayBuffer(),
    );
    expect(reply.attachments[0]?.filename).toBe('4242.png');
    expect(reply.attachments[0]?.bytes.equals(bytes)).toBe(true);
    expect(fieldOf(reply, 'Seed')).toBe('4242');
    expect(fieldOf(reply, 'Model')).toContain('v1-5-pruned-emaonly');
  });

  it('switches the checkpoint with /setmodel: the next graph loads it; an unknown one is refused plainly and changes nothing', async () => {
    harness = await startHarness({ comfys: [{ stepMs: 2 }] });
    const h = harness;
    const setModel = (model: string) =>
      h.discord.sendCommand({ name: 'setmodel', options: { model }, permissions: MANAGE_GUILD });
    const switched = await setModel('sd_xl_base_1.0.safetensors').waitForEdit(
      (m) => /Switched|Could not/.test(m.content),
      WAIT_MS,
    );
    expect(switched.content).toContain('Switched to');
    const reply = await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'apple' } })
      .waitForEdit(hasImage, WAIT_MS);
    expect(nodesOf(graphs(comfyOf(h)).at(-1), 'CheckpointLoaderSimple')[0]?.inputs.ckpt_name).toBe(
      'sd_xl_base_1.0.safetensors',
    );
    // Markdown-escaped in the embed.
    expect(fieldOf(reply, 'Model')?.replaceAll('\\', '')).toContain('sd_xl_base_1.0');
    // A checkpoint the server does not have: a plain sentence at once, and nothing changes.
    const refused = await setModel('no-such-model.safetensors').ack();
    expect(refused.type).toBe(4);
    expect(String((refused.data as { content: string }).content)).toContain(
      'Unknown model "no-such-model.safetensors"',
    );
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'pear' } })
      .waitForEdit(hasImage, WAIT_MS);
    expect(nodesOf(graphs(comfyOf(h)).at(-1), 'CheckpointLoaderSimple')[0]?.inputs.ckpt_name).toBe(
      'sd_xl_base_1.0.safetensors',
    );
  });

  it('makes four images with four seeds when count is 4', async () => {
    harness = await startHarness({ comfys: [{ stepMs: 1 }] });
    const h = harness;
    const reply = await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'cats', seed: 100, count: 4, steps: 8 } })
      .waitForEdit(hasImage, WAIT_MS);
    expect(reply.attachments.map((attachment) => attachment.filename)).toEqual(['grid.jpg']);
    const [graph] = graphs(comfyOf(h));
    expect(nodesOf(graph, 'KSampler').map((node) => node.inputs.seed)).toEqual([100, 101, 102, 103]);
    expect(nodesOf(graph, 'SaveImage')).toHaveLength(4);
    expect(buttonsOf(reply).map((button) => button.label)).toEqual(
      expect.arrayContaining(['V1', 'V2', 'V3', 'V4']),
    );
  });

  it('runs img2img through an uploaded image', async () => {
    harness = await startHarness({ comfys: [{ stepMs: 1 }] });
    const h = harness;
    const input = await sharp({
      create: { width: 320, height: 240, channels: 3, background: { r: 10, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    const reply = await h.discord
      .sendCommand({
        name: 'imagine',
        options: { prompt: 'a watercolour', strength: 0.4, seed: 12, steps: 8 },
        attachments: { image: { filename: 'photo.png', bytes: input, contentType: 'image/png' } },
      })
      .waitForEdit(hasImage, WAIT_MS);
    const comfy = comfyOf(h);
    expect(comfy.requests.filter((request) => request.path === '/upload/image')).toHaveLength(1);
    const [graph] = graphs(comfy);
    expect(nodesOf(graph, 'LoadImage')).toHaveLength(1);
    expect(nodesOf(graph, 'KSampler')[0]?.inputs.denoise).toBe(0.4);
    const meta = await sharp(reply.attachments[0]?.bytes as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([320, 240]);
  });

  it('serves Info, Reroll, Vary, Upscale and Remix from a ComfyUI result', async () => {
    harness = await startHarness({
      comfys: [{ stepMs: 1 }],
      env: { UPSCALER: '4x-UltraSharp.pth', VARY_STRENGTH: '0.35' },
    });
    const h = harness;
    const comfy = comfyOf(h);
    const first = await h.discord
      .sendCommand({
        name: 'imagine',
        options: { prompt: 'pear', seed: 500, steps: 8, width: 256, height: 192 },
      })
      .waitForEdit(hasImage, WAIT_MS);

    const info = h.discord.clickButton({ customId: idOf(first, 'Info'), message: first });
    const infoText = JSON.stringify((await info.ack()).data);
    expect(infoText).toContain('pear');
    expect(infoText).toContain('500');
    expect(infoText).not.toContain('Infotext');

    const rerolled = await clickForResult(h, first, 'Reroll');
    expect(fieldOf(rerolled, 'Seed')).not.toBe('500');
    expect(nodesOf(graphs(comfy)[1], 'KSampler')[0]?.inputs.seed).not.toBe(500);

    await clickForResult(h, first, 'Vary');
    const varied = nodesOf(graphs(comfy)[2], 'KSampler');
    expect(varied.map((node) => node.inputs.denoise)).toEqual([1, 0.35]);
    expect(varied[0]?.inputs.seed).toBe(500);
    expect(varied[1]?.inputs.latent_image).toEqual([expect.any(String), 0]);

    const upscaled = await clickForResult(h, first, 'Upscale');
    expect(nodesOf(graphs(comfy)[3], 'UpscaleModelLoader')[0]?.inputs.model_name).toBe('4x-UltraSharp.pth');
    const meta = await sharp(upscaled.attachments[0]?.bytes as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([512, 384]);

    const modal = await h.discord.clickButton({ customId: idOf(first, 'Remix'), message: first }).ack();
    const submit = h.discord.submitModal({
      customId: (modal.data as { custom_id: string }).custom_id,
      fields: { prompt: 'pears on a table', negative_prompt: 'apples' },
      message: first,
    });
    await submit.waitForEdit(hasImage, WAIT_MS);
    const remixed = nodesOf(graphs(comfy)[4], 'CLIPTextEncode').map((node) => node.inputs.text);
    expect(remixed).toEqual(['pears on a table', 'apples']);
    expect(nodesOf(graphs(comfy)[4], 'KSampler')[0]?.inputs.seed).toBe(500);
  });

  it('takes a job waiting behind another client out of ComfyUI’s queue without touching that client', async () => {
    harness = await startHarness({ comfys: [{ stepMs: 5 }] });
    const h = harness;
    const comfy = comfyOf(h);
    const external = comfy.startExternalPrompt({ steps: 600 });
    await comfy.whenRunning();
    const handle = h.discord.sendCommand({ name: 'imagine', options: { prompt: 'queued apple', steps: 8 } });
    await until(() => comfy.prompts.length === 2, 'our prompt on ComfyUI');
    const queued = await handle.waitForEdit((message) => cancelIdOf(message) !== undefined, WAIT_MS);
    const cancel = h.discord.clickButton({ customId: cancelIdOf(queued) as string, message: queued });
    await cancel.ack();
    await handle.waitForEdit((message) => describedAs(message).includes('Cancelled'), WAIT_MS);
    const queue = (await (await fetch(`${comfy.url}/queue`)).json()) as {
      queue_running: unknown[][];
      queue_pending: unknown[][];
    };
    expect(queue.queue_running[0]?.[1]).toBe(external);
    expect(queue.queue_pending).toEqual([]);
    expect(comfy.interrupts).toEqual([]);
  });

  it('interrupts its own running prompt by its id when cancelled', async () => {
    harness = await startHarness({ comfys: [{ stepMs: 40 }] });
    const h = harness;
    const comfy = comfyOf(h);
    const handle = h.discord.sendCommand({ name: 'imagine', options: { prompt: 'slow apple', steps: 50 } });
    const running = await comfy.whenRunning();
    const message = await handle.waitForEdit((edit) => cancelIdOf(edit) !== undefined, WAIT_MS);
    await h.discord.clickButton({ customId: cancelIdOf(message) as string, message }).ack();
    const stopped = await handle.waitForEdit((edit) => describedAs(edit).includes('Cancelled'), WAIT_MS);
    expect(hasImage(stopped)).toBe(false);
    await until(() => comfy.interrupts.length === 1, 'the interrupt');
    expect(comfy.interrupts[0]).toMatchObject({ promptId: running, interrupted: true });
  });

  it('refuses an operator graph that does not fit the server, naming the node, and uses the built-in one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdbot-graphs-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'txt2img.json'),
      JSON.stringify({
        '3': { class_type: 'KSamplerTurbo', inputs: { seed: '{{seed}}' } },
        '6': { class_type: 'CLIPTextEncode', inputs: { text: '{{prompt}}' } },
        '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'x', images: ['3', 0] } },
      }),
    );
    harness = await startHarness({ comfys: [{ stepMs: 1 }], env: { COMFY_GRAPH_DIR: dir } });
    const h = harness;
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'apple', steps: 8 } })
      .waitForEdit(hasImage, WAIT_MS);
    const refusal = h.logs.find((line) => line.includes('txt2img.json') && line.includes('KSamplerTurbo'));
    expect(refusal).toBeDefined();
    expect(refusal).toContain('node 3 (KSamplerTurbo)');
    expect(nodesOf(graphs(comfyOf(h))[0], 'KSampler')).toHaveLength(1);
  });

  it('still delivers a job whose WebSocket dropped mid-run', async () => {
    harness = await startHarness({ comfys: [{ stepMs: 20 }] });
    const h = harness;
    const comfy = comfyOf(h);
    const handle = h.discord.sendCommand({ name: 'imagine', options: { prompt: 'windy apple', steps: 40 } });
    await comfy.whenRunning();
    await new Promise((resolve) => setTimeout(resolve, 100));
    comfy.dropSockets();
    const reply = await handle.waitForEdit(hasImage, WAIT_MS);
    expect(reply.attachments).toHaveLength(1);
    expect(comfy.prompts).toHaveLength(1);
  });

  it('delivers a job once when the bot restarts while ComfyUI runs it', async () => {
    harness = await startHarness({ comfys: [{ stepMs: 60 }], env: { SHUTDOWN_GRACE_SECONDS: '1' } });
    const h = harness;
    const comfy = comfyOf(h);
    const handle = h.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'restart apple', steps: 50 },
    });
    const first = await comfy.whenRunning();
    await h.restart();
    const reply = await handle.waitForEdit(hasImage, WAIT_MS);
    expect(reply.attachments).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const delivered = h.discord.requests.filter(
      (request) =>
        request.method === 'PATCH' &&
        request.files.some((file) => file.filename.endsWith('.png') && file.filename !== 'preview.png'),
    );
    expect(delivered).toHaveLength(1);
    // Only the bot's own prompt was ever interrupted (if at all).
    // Left on ComfyUI at shutdown and followed again after the start: never sent twice.
    expect(comfy.prompts).toHaveLength(1);
    expect(h.logs.some((line) => line.includes('following a request sent before the restart'))).toBe(true);
    expect(comfy.interrupts.every((interrupt) => interrupt.promptId === first)).toBe(true);
  });

  it('serves jobs on both servers of a mixed pool of an A1111 and a ComfyUI, each with its checkpoints', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 300 }], comfys: [{ stepMs: 5 }] });
    const h = harness;
    const jobs = [
      { prompt: 'on the webui', model: 'chilloutmix-Ni' },
      { prompt: 'on comfy', model: 'sd_xl_base_1.0.safetensors' },
      { prompt: 'on the webui again', model: 'chilloutmix-Ni' },
    ];
    const replies = await Promise.all(
      jobs.map((options) =>
        h.discord
          .sendCommand({ name: 'imagine', options: { ...options, steps: 10 } })
          .waitForEdit(hasImage, WAIT_MS),
      ),
    );
    const webuiPrompts = requestsTo(h.webui, '/sdapi/v1/txt2img').map(
      (request) => (request.body as { prompt: string }).prompt,
    );
    expect(webuiPrompts.sort()).toEqual(['on the webui', 'on the webui again']);
    const [graph] = graphs(comfyOf(h));
    expect(graphs(comfyOf(h))).toHaveLength(1);
    expect(nodesOf(graph, 'CheckpointLoaderSimple')[0]?.inputs.ckpt_name).toBe('sd_xl_base_1.0.safetensors');
    expect(fieldOf(replies[1] as FakeMessage, 'Model')?.replaceAll('\\', '')).toContain('sd_xl_base_1.0');
  });
});
