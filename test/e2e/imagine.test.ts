import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { basicAuth, type Harness, requestsTo, SD_PASSWORD, SD_USER, startHarness } from './harness.js';

const SEED_OPTIONS = {
  prompt: 'apple',
  negative_prompt: 'red',
  sampler: 'DPM++ 2M Karras',
  seed: 985454925,
  // Discord sends a NUMBER option (type 10) for cfg_scale, even for a whole value.
  cfg_scale: { type: 10, value: 7 },
  steps: 20,
  width: 512,
  height: 512,
};

const hasImage = (message: FakeMessage) =>
  message.attachments.some(
    (attachment) => /\.(png|jpg)$/.test(attachment.filename) && attachment.filename !== 'preview.png',
  );

/** The custom id of the "Image n" button (0-based) of a batch result. */
function imageButtonOf(message: FakeMessage, index: number): string {
  const ids = (message.components as { components: { custom_id: string }[] }[]).flatMap((row) =>
    row.components.map((button) => button.custom_id),
  );
  const id = ids.find((candidate) => candidate.startsWith('image:') && candidate.endsWith(`:${index}`));
  if (id === undefined) throw new Error(`no Image ${index + 1} button among ${ids.join(', ')}`);
  return id;
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('/imagine end to end', () => {
  it('defers at once, sends the seed payload with Basic auth, and replies with the exact PNG bytes', async () => {
    harness = await startHarness();
    const { discord, webui } = harness;
    const interaction = discord.sendCommand({ name: 'imagine', options: SEED_OPTIONS });
    const ack = await interaction.ack();
    expect(ack.type, JSON.stringify(ack.data)).toBe(5);
    expect(ack.delayMs).toBeLessThan(3000);

    const reply = await interaction.waitForEdit(hasImage, 15_000);
    const [txt2img] = requestsTo(webui, '/sdapi/v1/txt2img');
    expect(txt2img?.headers.authorization).toBe(basicAuth(SD_USER, SD_PASSWORD));
    expect(txt2img?.body).toEqual({
      prompt: 'apple',
      negative_prompt: 'red',
      seed: 985454925,
      sampler_name: 'DPM++ 2M',
      scheduler: 'Karras',
      steps: 20,
      cfg_scale: 7,
      width: 512,
      height: 512,
      batch_size: 1,
      n_iter: 1,
      override_settings: { sd_model_checkpoint: 'chilloutmix-Ni.safetensors [7234b76e42]' },
      // The bot's own task id, so it can ask whether this request waits, runs or is done (issue 13).
      force_task_id: expect.stringMatching(/^sdbot-[0-9a-f]{16}$/),
    });

    const attachment = reply.attachments.find((candidate) => candidate.filename === '985454925.png');
    expect(attachment).toBeDefined();
    const response = await fetch(`${webui.url}/sdapi/v1/txt2img`, {
      method: 'POST',
      headers: { authorization: basicAuth(SD_USER, SD_PASSWORD), 'content-type': 'application/json' },
      body: JSON.stringify(txt2img?.body),
    });
    const again = (await response.json()) as { images: string[] };
    expect(attachment?.bytes.equals(Buffer.from(again.images[0] as string, 'base64'))).toBe(true);

    const embed = reply.embeds[0] as { fields: { name: string; value: string }[]; description: string };
    const field = (name: string) => embed.fields.find((candidate) => candidate.name === name)?.value;
    expect(field('Seed')).toBe('985454925');
    expect(field('Model')).toContain('chilloutmix-Ni');
    expect(field('Sampler')).toBe('DPM++ 2M · Karras');
    expect(field('Negative prompt')).toBe('red');
    expect(field('Size')).toBe('512×512');
    // The result buttons (test/e2e/actions.test.ts drives them).
    const labels = (reply.components as { components: { label: string }[] }[]).map((row) =>
      row.components.map((button) => button.label),
    );
    expect(labels).toEqual([
      ['Reroll', 'Vary', 'Upscale', 'Remix'],
      ['Info', 'Delete'],
    ]);
  });

  it('reports the seed the WebUI actually used when the seed was random', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({ name: 'imagine', options: { prompt: 'a lighthouse' } });
    const reply = await interaction.waitForEdit(hasImage, 15_000);
    const [txt2img] = requestsTo(harness.webui, '/sdapi/v1/txt2img');
    expect((txt2img?.body as { seed?: number } | undefined)?.seed).toBe(-1);
    const seedField = (reply.embeds[0] as { fields: { name: string; value: string }[] }).fields.find(
      (f) => f.name === 'Seed',
    );
    expect(seedField?.value).toMatch(/^\d+$/);
    expect(seedField?.value).not.toBe('-1');
    expect(reply.attachments[0]?.filename).toBe(`${seedField?.value}.png`);
  });

  it('returns a batch as one grid, with each image at full size one button away, named after its seed', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'cats', seed: 100, count: 3 },
    });
    const reply = await interaction.waitForEdit(hasImage, 15_000);
    // Since issue #6 the batch is one composite image (2×2, one cell empty) instead of three files.
    expect(reply.attachments.map((attachment) => attachment.filename)).toEqual(['grid.jpg']);
    const names: string[] = [];
    for (const index of [0, 1, 2]) {
      const click = harness.discord.clickButton({ customId: imageButtonOf(reply, index), message: reply });
      const ack = await click.ack();
      expect((ack.data as { flags: number }).flags & 64).toBe(64);
      names.push(...ack.files.map((file) => file.filename));
    }
    expect(names).toEqual(['100-1.png', '101-2.png', '102-3.png']);
  });

  it('refuses bad options ephemerally without calling the WebUI', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'x', width: 500, steps: 150 },
    });
    const ack = await interaction.ack();
    expect(ack.type).toBe(4);
    expect((ack.data as { flags: number }).flags & 64).toBe(64);
    expect(String((ack.data as { content: string }).content)).toMatch(/Steps must be[\s\S]*multiple of 8/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requestsTo(harness.webui, '/sdapi/v1/txt2img')).toHaveLength(0);
  });

  it('refuses an unknown sampler with the valid names instead of letting A1111 substitute one', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'x', sampler: 'Eulerish' },
    });
    const reply = await interaction.waitForEdit(
      (message) => message.content.includes('Unknown sampler'),
      10_000,
    );
    expect(reply.content).toContain('Euler a');
    expect(requestsTo(harness.webui, '/sdapi/v1/txt2img')).toHaveLength(0);
  });

  it('never pings anyone an echoed prompt mentions', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({
      name: 'imagine',
      options: { prompt: '@everyone <@123456789012345678> hi' },
    });
    await interaction.waitForEdit(hasImage, 15_000);
    const edits = harness.discord.requests.filter(
      (request) => request.method === 'PATCH' && request.path.includes('/messages/'),
    );
    expect(edits.length).toBeGreaterThan(0);
    for (const edit of edits) {
      expect(
        (edit.json as { allowed_mentions?: { parse: string[] } } | null)?.allowed_mentions?.parse,
      ).toEqual([]);
    }
  });
});
