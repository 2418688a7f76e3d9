import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, requestsTo, startHarness } from './harness.js';
import { hasImage, runSettings, visibleText } from './settings-driver.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Body = Record<string, unknown>;
const bodies = (server: Parameters<typeof requestsTo>[0]) =>
  requestsTo(server, '/sdapi/v1/txt2img').map((request) => request.body as Body);

const field = (message: FakeMessage, name: string) =>
  (message.embeds[0] as { fields?: { name: string; value: string }[] }).fields?.find(
    (candidate) => candidate.name === name,
  )?.value;

/** Sends /imagine and waits for its final answer: the images, or a refusal. */
async function imagine(h: Harness, options: Record<string, string | number | boolean>): Promise<FakeMessage> {
  const handle = h.discord.sendCommand({ name: 'imagine', options });
  const ack = await handle.ack();
  if (ack.type === 4 && ack.message !== null) return ack.message;
  return handle.waitForEdit((message) => hasImage(message) || message.content !== '', 20_000);
}

const FLUX_MODEL = {
  title: 'flux1-dev-fp8.safetensors [4b8dcb2e3a]',
  model_name: 'flux1-dev-fp8',
  hash: '4b8dcb2e3a',
  sha256: null,
  filename: '/stable-diffusion-webui-forge/models/Stable-diffusion/flux1-dev-fp8.safetensors',
  config: null,
};

describe('/imagine features end to end', () => {
  it('sends a LoRA as <lora:alias:w> on AUTOMATIC1111 and the server applies it', async () => {
    harness = await startHarness();
    const h = harness;
    const reply = await imagine(h, {
      prompt: 'a castle',
      lora: 'pixel-art-xl-v1.1:0.8, add_detail',
      seed: 3,
    });
    expect(hasImage(reply), visibleText(reply)).toBe(true);
    const [body] = bodies(h.webui);
    expect(body?.prompt).toBe('a castle <lora:pixel-art-xl:0.8> <lora:add_detail:1>');
    expect(h.webui.appliedLoras.at(-1)).toEqual(['pixel-art-xl-v1.1', 'add_detail']);
    expect(field(reply, 'LoRAs')).toBe('pixel-art-xl-v1.1:0.8, add\\_detail:1');
  });

  it('sends a LoRA as <lora:name:w> on SD.Next, whose tags match names only', async () => {
    harness = await startHarness({ webuis: [{ flavour: 'sdnext' }] });
    const h = harness;
    const reply = await imagine(h, { prompt: 'a castle <lora:pixel-art-xl:0.5>', seed: 3 });
    expect(hasImage(reply), visibleText(reply)).toBe(true);
    expect(bodies(h.webui)[0]?.prompt).toBe('a castle <lora:pixel-art-xl-v1.1:0.5>');
    expect(h.webui.appliedLoras.at(-1)).toEqual(['pixel-art-xl-v1.1']);
  });

  it('sends LoRAs as the structured lora array on stable-diffusion.cpp', async () => {
    harness = await startHarness({ sdcpps: [{}] });
    const h = harness;
    const sdcpp = h.sdcpps[0];
    const reply = await imagine(h, { prompt: 'a castle', lora: 'pixel-art-xl:0.7', seed: 3 });
    expect(hasImage(reply), visibleText(reply)).toBe(true);
    const body = requestsTo(sdcpp as NonNullable<typeof sdcpp>, '/sdapi/v1/txt2img')[0]?.body as Body;
    expect(body.lora).toEqual([{ path: 'styles/pixel-art-xl.safetensors', multiplier: 0.7 }]);
    expect(body.prompt).toBe('a castle');
    expect(sdcpp?.ran.at(-1)?.loras).toEqual([{ path: 'styles/pixel-art-xl.safetensors', multiplier: 0.7 }]);
  });

  it('autocompletes the last LoRA of the list, keeping the ones before it and a typed weight', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await h.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', lora: 'add_detail:0.5, pix' },
      focused: 'lora',
    });
    expect(first.rejected).toBeNull();
    expect(first.choices.map((choice) => choice.value)).toEqual(['add_detail:0.5, pixel-art-xl-v1.1']);
    const weighted = await h.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', lora: 'pixel-art-xl:0.7' },
      focused: 'lora',
    });
    expect(weighted.choices.map((choice) => choice.value)).toEqual(['pixel-art-xl-v1.1:0.7']);
    const styles = await h.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', style: 'cin' },
      focused: 'style',
    });
    expect(styles.choices.map((choice) => choice.value)).toEqual(['Cinematic']);
    const hires = await h.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', hires: '2 R-ESR' },
      focused: 'hires',
    });
    expect(hires.choices.length).toBeGreaterThan(1);
    expect(hires.choices.length).toBeLessThanOrEqual(25);
    expect(hires.choices.map((choice) => choice.value)).toContain('2 R-ESRGAN 4x+');
  });

  it('autocompletes an embedding in the negative prompt, keeping what was typed before it', async () => {
    harness = await startHarness();
    const answer = await harness.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', negative_prompt: 'blurry, easy' },
      focused: 'negative_prompt',
    });
    expect(answer.rejected).toBeNull();
    expect(answer.choices.map((choice) => choice.value)).toEqual(['blurry, easy', 'blurry, EasyNegative']);
  });

  it('sends a LoRA to ComfyUI as a LoraLoader node', async () => {
    harness = await startHarness({ comfys: [{}] });
    const h = harness;
    const comfy = h.comfys[0] as NonNullable<(typeof h.comfys)[0]>;
    const reply = await imagine(h, { prompt: 'a castle', lora: 'add_detail:0.6', seed: 3 });
    expect(hasImage(reply), visibleText(reply)).toBe(true);
    const graph = comfy.prompts.find((prompt) => prompt.accepted)?.graph as Record<
      string,
      { class_type: string; inputs: Record<string, unknown> }
    >;
    const loaders = Object.values(graph).filter((node) => node.class_type === 'LoraLoader');
    expect(loaders.map((node) => [node.inputs.lora_name, node.inputs.strength_model])).toEqual([
      ['add_detail.safetensors', 0.6],
    ]);
  });

  it('refuses an unknown LoRA with the closest names, before any request', async () => {
    harness = await startHarness();
    const h = harness;
    const reply = await imagine(h, { prompt: 'a castle', lora: 'add_detial:0.5' });
    expect(reply.content).toContain('Unknown LoRA "add_detial". Closest: `add_detail`');
    expect(bodies(h.webui)).toHaveLength(0);
  });

  it('sends a job with a LoRA only to the server that has it', async () => {
    harness = await startHarness({ webuis: [{ loras: [] }, {}] });
    const h = harness;
    const [without, withLora] = h.webuis;
    for (const seed of [1, 2]) {
      const reply = await imagine(h, { prompt: 'a castle', lora: 'add_detail:0.6', seed });
      expect(hasImage(reply), visibleText(reply)).toBe(true);
    }
    expect(bodies(without as NonNullable<typeof without>)).toHaveLength(0);
    expect(bodies(withLora as NonNullable<typeof withLora>)).toHaveLength(2);
    // A job without one may still go to the first.
    const plain = await imagine(h, { prompt: 'a castle', seed: 3 });
    expect(hasImage(plain)).toBe(true);
  });

  it('runs ADetailer only where /scripts lists it, explicitly off when not asked, never sent to a server without it', async () => {
    harness = await startHarness({ webuis: [{}, { extensions: ['adetailer'] }] });
    const h = harness;
    const [plain, detailer] = h.webuis as [
      NonNullable<(typeof h.webuis)[0]>,
      NonNullable<(typeof h.webuis)[0]>,
    ];
    const asked = await imagine(h, { prompt: 'a face', adetailer: true, seed: 4 });
    expect(hasImage(asked), visibleText(asked)).toBe(true);
    expect(detailer.adetailerArgs).toEqual([[true, false, { ad_model: 'face_yolov8n.pt' }]]);
    expect(field(asked, 'ADetailer')).toBe('faces fixed');
    // Two plain jobs at once: one on each server.
    const handles = [5, 6].map((seed) =>
      h.discord.sendCommand({ name: 'imagine', options: { prompt: 'a face', seed } }),
    );
    await Promise.all(handles.map((handle) => handle.waitForEdit(hasImage, 20_000)));
    for (const body of bodies(plain)) expect(body).not.toHaveProperty('alwayson_scripts');
    expect(bodies(plain).length).toBeGreaterThan(0);
    const offOnDetailer = bodies(detailer).slice(1);
    for (const body of offOnDetailer) expect(body.alwayson_scripts).toEqual({ ADetailer: { args: [false] } });
  });

  it('refuses ADetailer when no server has it, with no request', async () => {
    harness = await startHarness();
    const reply = await imagine(harness, { prompt: 'a face', adetailer: true });
    expect(reply.content).toContain('No image server here has ADetailer');
    expect(bodies(harness.webui)).toHaveLength(0);
  });

  it('sends a server style in styles, and applies a style an admin defined for this Discord server', async () => {
    harness = await startHarness();
    const h = harness;
    const styled = await imagine(h, { prompt: 'a fox', style: 'cinematic', seed: 7 });
    expect(hasImage(styled), visibleText(styled)).toBe(true);
    expect(bodies(h.webui)[0]?.styles).toEqual(['Cinematic']);
    expect(field(styled, 'Style')).toBe('Cinematic');

    const saved = await runSettings(h, {
      subcommand: 'style',
      options: { name: 'Watercolor', prompt: 'watercolor painting of {prompt}', negative_prompt: 'photo' },
    });
    expect(saved.text).toContain('Style Watercolor added');
    const own = await imagine(h, {
      prompt: 'a fox',
      style: 'Watercolor',
      negative_prompt: 'blurry',
      seed: 8,
    });
    expect(hasImage(own), visibleText(own)).toBe(true);
    const body = bodies(h.webui)[1];
    expect(body?.prompt).toBe('watercolor painting of a fox');
    expect(body?.negative_prompt).toBe('blurry, photo');
    expect(body).not.toHaveProperty('styles');
  });

  it('runs hires fix with the upscaler and Forge’s hr_additional_modules, and shows both sizes', async () => {
    harness = await startHarness({ webuis: [{ flavour: 'forge' }] });
    const h = harness;
    const reply = await imagine(h, {
      prompt: 'a lighthouse',
      hires: '2 R-ESRGAN 4x+ 0.4 steps=5',
      width: 512,
      height: 512,
      seed: 11,
    });
    expect(hasImage(reply), visibleText(reply)).toBe(true);
    const body = bodies(h.webui)[0];
    expect(body).toMatchObject({
      enable_hr: true,
      hr_scale: 2,
      hr_resize_x: 1024,
      hr_resize_y: 1024,
      hr_upscaler: 'R-ESRGAN 4x+',
      denoising_strength: 0.4,
      hr_second_pass_steps: 5,
      hr_additional_modules: ['Use same choices'],
    });
    expect(field(reply, 'Size')).toBe('512×512 → 1024×1024 (hires ×2)');
    const meta = await sharp(reply.attachments[0]?.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([1024, 1024]);
  });

  it('counts the pixel budget on the final hires size and refuses before any request', async () => {
    harness = await startHarness({ env: { MAX_HIRES_SCALE: '4' } });
    const reply = await imagine(harness, { prompt: 'a lighthouse', hires: '3', width: 512, height: 512 });
    expect(reply.content).toContain('Hires fix enlarges 512×512 to 1536×1536');
    expect(reply.content).toContain('A scale of at most 2 fits.');
    expect(bodies(harness.webui)).toHaveLength(0);
  });

  it('sends hires fix to stable-diffusion.cpp with its own hr_steps field', async () => {
    harness = await startHarness({ sdcpps: [{}] });
    const h = harness;
    const sdcpp = h.sdcpps[0] as NonNullable<(typeof h.sdcpps)[0]>;
    const reply = await imagine(h, {
      prompt: 'a lighthouse',
      hires: '1.5 Lanczos steps=4',
      width: 512,
      height: 512,
    });
    expect(hasImage(reply), visibleText(reply)).toBe(true);
    const body = requestsTo(sdcpp, '/sdapi/v1/txt2img')[0]?.body as Body;
    expect(body).toMatchObject({ enable_hr: true, hr_scale: 1.5, hr_steps: 4, hr_upscaler: 'Lanczos' });
    expect(body).not.toHaveProperty('hr_additional_modules');
    expect(sdcpp.ran.at(-1)?.hires).toBe(true);
  });

  it('gives a Flux checkpoint on Forge cfg 1, a distilled cfg, Simple and its modules, and says the negative prompt is ignored', async () => {
    harness = await startHarness({ webuis: [{ flavour: 'forge', models: [FLUX_MODEL] }] });
    const h = harness;
    const reply = await imagine(h, { prompt: 'a cat', negative_prompt: 'dog', seed: 12 });
    expect(hasImage(reply), visibleText(reply)).toBe(true);
    const body = bodies(h.webui)[0];
    expect(body).toMatchObject({
      cfg_scale: 1,
      distilled_cfg_scale: 3.5,
      scheduler: 'Simple',
      width: 1024,
      height: 1024,
    });
    expect((body?.override_settings as Body | undefined)?.forge_additional_modules).toEqual([
      'ae.safetensors',
      'clip_l.safetensors',
      't5xxl_fp16.safetensors',
    ]);
    expect(reply.content).toContain('Flux models ignore the negative prompt.');

    const models = h.discord.sendCommand({ name: 'models' });
    await models.ack();
    const listed = visibleText(await models.waitForEdit((message) => message.embeds.length > 0, 10_000));
    expect(listed).toMatch(/flux1-dev-fp8\*\* `4b8dcb2e3a` — .*Flux/);
  });

  it('expands {a|b} into one image per variant, labelled, and checks blocked words in every expansion', async () => {
    harness = await startHarness();
    const h = harness;
    const reply = await imagine(h, { prompt: 'a {red|blue} apple', seed: 21 });
    expect(hasImage(reply), visibleText(reply)).toBe(true);
    expect(bodies(h.webui).map((body) => body.prompt)).toEqual(['a red apple', 'a blue apple']);
    expect(reply.attachments.length).toBeGreaterThan(0);
    expect(field(reply, 'Variants')).toBe('Image 1: red\nImage 2: blue');

    await runSettings(h, {
      subcommandGroup: 'blocked-words',
      subcommand: 'add',
      options: { term: 'blue apple' },
    });
    const blocked = await imagine(h, { prompt: 'a {red|blue} apple', seed: 22 });
    expect(hasImage(blocked)).toBe(false);
    expect(bodies(h.webui)).toHaveLength(2);
  });

  it('refuses a LoRA when an admin turned LoRAs off in /settings features', async () => {
    harness = await startHarness();
    const h = harness;
    const changed = await runSettings(h, { subcommand: 'features', options: { allow_loras: false } });
    expect(changed.text).toContain('LoRAs: turned off.');
    const reply = await imagine(h, { prompt: 'a castle', lora: 'add_detail' });
    expect(reply.content).toContain('LoRAs are turned off on this Discord server.');
    expect(bodies(h.webui)).toHaveLength(0);
  });

  it('lists LoRAs with alias, training tags and the servers that have each', async () => {
    harness = await startHarness({ webuis: [{ loras: [] }, {}] });
    const h = harness;
    const handle = h.discord.sendCommand({ name: 'loras' });
    await handle.ack();
    const message = await handle.waitForEdit((candidate) => candidate.embeds.length > 0, 10_000);
    const text = visibleText(message);
    expect(text).toContain('**add\\_detail** — on server 2');
    expect(text).toContain('tags: detailed, intricate, ultra detailed');
    expect(text).toContain('alias `pixel-art-xl`');

    const embeddings = h.discord.sendCommand({ name: 'loras', options: { show: 'embeddings' } });
    await embeddings.ack();
    const listed = visibleText(
      await embeddings.waitForEdit((candidate) => candidate.embeds.length > 0, 10_000),
    );
    expect(listed).toContain('**EasyNegative** (SD 1.x) — on every server');
  });
});
