import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../fakes/discord/interaction-handle.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, requestsTo, startHarness } from './harness.js';
import { runSettings } from './settings-driver.js';

const BOB = { id: '1300000000000000301', username: 'bob' };
const MANAGE_MESSAGES = String(1n << 13n);
const WAIT_MS = 15_000;

let harness: Harness | undefined;
afterEach(async () => {
  const errors = (harness?.logs ?? []).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  await harness?.close();
  harness = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
});

const hasImage = (message: FakeMessage) =>
  message.attachments.some(
    (attachment) => /\.(png|jpg)$/.test(attachment.filename) && attachment.filename !== 'preview.png',
  );

interface Button {
  custom_id: string;
  label: string;
}

const buttonsOf = (message: FakeMessage): Button[] =>
  (message.components as { components?: Button[] }[]).flatMap((row) => row.components ?? []);

/** The custom id of the button with this label. */
function idOf(message: FakeMessage, label: string): string {
  const button = buttonsOf(message).find((candidate) => candidate.label === label);
  if (button === undefined) {
    throw new Error(
      `no "${label}" button; has ${buttonsOf(message)
        .map((b) => b.label)
        .join(', ')}`,
    );
  }
  return button.custom_id;
}

const jobIdOf = (message: FakeMessage) => idOf(message, 'Info').split(':')[1] as string;

const embedOf = (message: FakeMessage) =>
  message.embeds[0] as {
    description?: string;
    footer?: { text: string };
    fields?: { name: string; value: string }[];
  };

/** A request body without its `force_task_id` (every request has its own: the bot's task id). */
const bodyOf = (h: Harness, path: string, index: number) => {
  const body = requestsTo(h.webui, path)[index]?.body as Record<string, unknown> | undefined;
  if (body === undefined) return undefined;
  const { force_task_id: _taskId, ...rest } = body;
  return rest;
};

/** `/imagine` and its finished reply. */
async function imagine(h: Harness, options: Record<string, string | number>): Promise<FakeMessage> {
  return h.discord
    .sendCommand({ name: 'imagine', options: { prompt: 'apple', ...options } })
    .waitForEdit(hasImage, WAIT_MS);
}

/** Clicks a button as alice (or `sender`) and waits for the new job's finished reply. */
async function clickForResult(
  h: Harness,
  message: FakeMessage,
  label: string,
): Promise<{ handle: InteractionHandle; reply: FakeMessage }> {
  const handle = h.discord.clickButton({ customId: idOf(message, label), message });
  const ack = await handle.ack();
  expect(ack.type, JSON.stringify(ack.data)).toBe(5);
  expect(((ack.data as { flags?: number } | null)?.flags ?? 0) & 64).toBe(0);
  const reply = await handle.waitForEdit(hasImage, WAIT_MS);
  expect(reply.id).not.toBe(message.id);
  return { handle, reply };
}

const ephemeralText = async (handle: InteractionHandle) => {
  const ack = await handle.ack();
  expect(ack.type).toBe(4);
  const data = ack.data as { flags: number; content?: string; embeds?: unknown[] };
  expect(data.flags & 64).toBe(64);
  return { content: data.content ?? '', embeds: JSON.stringify(data.embeds ?? []) };
};

describe('result buttons end to end', () => {
  it('Reroll sends the same parameters with a new seed, as a new message linked to its parent', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await imagine(h, { seed: 100, steps: 12, negative_prompt: 'blur' });
    const { reply } = await clickForResult(h, first, 'Reroll');
    const [before, after] = [bodyOf(h, '/sdapi/v1/txt2img', 0), bodyOf(h, '/sdapi/v1/txt2img', 1)];
    expect(after?.seed).toBe(-1);
    expect({ ...after, seed: 100 }).toEqual(before);
    const seed = embedOf(reply).fields?.find((field) => field.name === 'Seed')?.value;
    expect(seed).toMatch(/^\d+$/);
    expect(seed).not.toBe('100');
    expect(embedOf(reply).footer?.text).toContain(`from job ${jobIdOf(first)}`);
    expect(embedOf(reply).description).toContain(`/${first.channelId}/${first.id})`);
  });

  it('Vary sends the chosen image’s seed with a random subseed at VARY_STRENGTH', async () => {
    harness = await startHarness({ env: { VARY_STRENGTH: '0.45' } });
    const h = harness;
    const batch = await imagine(h, { seed: 200, count: 2 });
    await clickForResult(h, batch, 'V2');
    expect(bodyOf(h, '/sdapi/v1/txt2img', 1)).toMatchObject({
      seed: 201,
      subseed: -1,
      subseed_strength: 0.45,
      batch_size: 2,
      prompt: 'apple',
    });
  });

  it('Upscale sends the kept original to extra-single-image and replies with an image twice as large', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await imagine(h, { seed: 7, width: 512, height: 384 });
    const original = first.attachments[0]?.bytes as Buffer;
    const { reply } = await clickForResult(h, first, 'Upscale');
    expect(requestsTo(h.webui, '/sdapi/v1/upscalers').length).toBeGreaterThan(0);
    const [request] = requestsTo(h.webui, '/sdapi/v1/extra-single-image');
    const body = request?.body as { image: string; upscaler_1: string; upscaling_resize: number };
    expect(Buffer.from(body.image, 'base64').equals(original)).toBe(true);
    expect(body.upscaler_1).toBe('R-ESRGAN 4x+');
    expect(body.upscaling_resize).toBe(2);
    const meta = await sharp(reply.attachments[0]?.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([1024, 768]);
    expect(buttonsOf(reply).map((button) => button.label)).toEqual(['Info', 'Delete']);
    expect(embedOf(reply).description).toContain('Upscale of image 1');
  });

  it('Upscale with an upscaler the WebUI does not know says so and sends nothing to upscale', async () => {
    harness = await startHarness({ env: { UPSCALER: 'SuperRes 9000' } });
    const h = harness;
    const first = await imagine(h, { seed: 7 });
    const handle = h.discord.clickButton({ customId: idOf(first, 'Upscale'), message: first });
    const reply = await handle.waitForEdit((message) => message.content.includes('SuperRes 9000'), WAIT_MS);
    expect(reply.content).toContain('R-ESRGAN 4x+');
    expect(requestsTo(h.webui, '/sdapi/v1/extra-single-image')).toHaveLength(0);
  });

  it('Upscale beyond the pixel budget is refused ephemerally', async () => {
    harness = await startHarness({
      env: { MAX_PIXELS: String(1024 * 1024), MAX_TOTAL_PIXELS: String(1024 * 1024) },
    });
    const h = harness;
    const first = await imagine(h, { seed: 7, width: 1024, height: 1024 });
    const text = await ephemeralText(
      h.discord.clickButton({ customId: idOf(first, 'Upscale'), message: first }),
    );
    expect(text.content).toContain('2048×2048');
    expect(text.content).toContain('MAX_TOTAL_PIXELS');
    expect(requestsTo(h.webui, '/sdapi/v1/extra-single-image')).toHaveLength(0);
  });

  it('Remix shows a prefilled form, then generates with the new prompts', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await imagine(h, { seed: 300, negative_prompt: 'blur' });
    const click = h.discord.clickButton({ customId: idOf(first, 'Remix'), message: first });
    const ack = await click.ack();
    expect(ack.type).toBe(9);
    const modal = ack.data as { custom_id: string; title: string };
    const json = JSON.stringify(ack.data);
    expect(json).toContain('"custom_id":"prompt"');
    expect(json).toContain('"value":"apple"');
    expect(json).toContain('"value":"blur"');

    const submit = h.discord.submitModal({
      customId: modal.custom_id,
      fields: { prompt: 'pears on a table', negative_prompt: 'apples' },
      message: first,
    });
    expect((await submit.ack()).type).toBe(5);
    const reply = await submit.waitForEdit(hasImage, WAIT_MS);
    expect(bodyOf(h, '/sdapi/v1/txt2img', 1)).toMatchObject({
      prompt: 'pears on a table',
      negative_prompt: 'apples',
      seed: 300,
    });
    expect(embedOf(reply).description).toContain('Remix from');
  });

  it('Remix refuses, ephemerally, a prompt with a term the server blocks, even with the SFW negative prompt prefilled', async () => {
    harness = await startHarness({
      env: { NSFW_MODE: 'negative-prompt', SFW_NEGATIVE_PROMPT: 'nude, gore' },
    });
    const h = harness;
    await runSettings(h, { subcommandGroup: 'blocked-words', subcommand: 'add', options: { term: 'pears' } });
    await runSettings(h, { subcommandGroup: 'blocked-words', subcommand: 'add', options: { term: 'gore' } });
    const first = await imagine(h, { seed: 300 });
    const form = (await h.discord.clickButton({ customId: idOf(first, 'Remix'), message: first }).ack())
      .data as {
      custom_id: string;
    };
    expect(JSON.stringify(form)).toContain('"value":"nude, gore"');
    const refused = await ephemeralText(
      h.discord.submitModal({
        customId: form.custom_id,
        fields: { prompt: 'pears on a table', negative_prompt: 'nude, gore' },
        message: first,
      }),
    );
    expect(refused.content).toContain('“pears”');
    // The prefilled SFW terms alone are no reason to refuse.
    const accepted = h.discord.submitModal({
      customId: form.custom_id,
      fields: { prompt: 'plums on a table', negative_prompt: 'nude, gore' },
      message: first,
    });
    await accepted.waitForEdit(hasImage, WAIT_MS);
    expect(bodyOf(h, '/sdapi/v1/txt2img', 1)).toMatchObject({
      prompt: 'plums on a table',
      negative_prompt: 'nude, gore',
    });
  });

  it('Image n answers only the clicker with the full-size original, sent as one multipart body', async () => {
    harness = await startHarness();
    const h = harness;
    const batch = await imagine(h, { seed: 20, count: 2 });
    const click = h.discord.clickButton({ customId: idOf(batch, 'Image 2'), message: batch });
    const ack = await click.ack();
    expect(ack.type).toBe(4);
    expect(ack.files.map((file) => file.filename)).toEqual(['21-2.png']);
    const request = h.discord.requests.find(
      (candidate) =>
        candidate.method === 'POST' &&
        candidate.path.endsWith(`/interactions/${click.id}/${click.token}/callback`),
    );
    // Our own multipart Buffer (src/discord/multipart.ts), not discord.js's FormData of Blobs.
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=sdbot-[0-9a-f]+$/);
    expect(request?.json).toEqual({
      type: 4,
      data: {
        content: 'Image 2 of 2 · seed 21',
        flags: 64,
        allowed_mentions: { parse: [] },
        attachments: [{ id: 0, filename: '21-2.png' }],
      },
    });
    expect(request?.files.map((file) => [file.field, file.contentType])).toEqual([['files[0]', 'image/png']]);
    const meta = await sharp(request?.files[0]?.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 512, 512]);
  });

  it('Info answers only the clicker with every parameter, the seed, the model and the infotext', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await imagine(h, { seed: 4242, steps: 9 });
    const text = await ephemeralText(
      h.discord.clickButton({ customId: idOf(first, 'Info'), message: first, user: BOB }),
    );
    expect(text.embeds).toContain('4242');
    expect(text.embeds).toContain('chilloutmix-Ni');
    expect(text.embeds).toContain('Steps: 9');
    expect(text.embeds).toContain('Infotext');
  });

  it('Delete removes the message for the requester and refuses, ephemerally, anyone else', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await imagine(h, { seed: 1 });
    const refused = await ephemeralText(
      h.discord.clickButton({ customId: idOf(first, 'Delete'), message: first, user: BOB }),
    );
    expect(refused.content).toContain('Only the member who asked');
    expect(h.discord.message(first.id)?.deleted).toBe(false);

    const done = await ephemeralText(
      h.discord.clickButton({ customId: idOf(first, 'Delete'), message: first }),
    );
    expect(done.content).toBe('Deleted.');
    expect(h.discord.message(first.id)?.deleted).toBe(true);
  });

  it('Delete works for a member with Manage Messages', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await imagine(h, { seed: 1 });
    const done = await ephemeralText(
      h.discord.clickButton({
        customId: idOf(first, 'Delete'),
        message: first,
        user: BOB,
        permissions: MANAGE_MESSAGES,
      }),
    );
    expect(done.content).toBe('Deleted.');
    expect(h.discord.message(first.id)?.deleted).toBe(true);
  });

  it.each([
    [2, 1024, 512],
    [4, 1024, 1024],
  ])('shows a batch of %i as one %i×%i grid with U and V buttons', async (count, width, height) => {
    harness = await startHarness();
    const reply = await imagine(harness, { seed: 10, count });
    expect(reply.attachments.map((attachment) => attachment.filename)).toEqual(['grid.jpg']);
    const meta = await sharp(reply.attachments[0]?.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([width, height]);
    const labels = buttonsOf(reply).map((button) => button.label);
    for (let n = 1; n <= count; n++)
      expect(labels).toEqual(expect.arrayContaining([`U${n}`, `V${n}`, `Image ${n}`]));
    expect(reply.components.length).toBeLessThanOrEqual(5);
  });

  it('keeps the buttons working after a restart', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await imagine(h, { seed: 55 });
    await h.restart();
    await clickForResult(h, first, 'Vary');
    expect(bodyOf(h, '/sdapi/v1/txt2img', 1)).toMatchObject({ seed: 55, subseed: -1, subseed_strength: 0.3 });
    await clickForResult(h, first, 'Upscale');
    expect(requestsTo(h.webui, '/sdapi/v1/extra-single-image')).toHaveLength(1);
  });

  it('applies the server’s cooldown to buttons as to /imagine, refusing ephemerally', async () => {
    harness = await startHarness({ env: { USER_COOLDOWN_SECONDS: '60' } });
    const h = harness;
    const first = await imagine(h, { seed: 8 });
    for (const label of ['Reroll', 'Vary', 'Upscale']) {
      const text = await ephemeralText(
        h.discord.clickButton({ customId: idOf(first, label), message: first }),
      );
      expect(text.content).toMatch(/<t:\d+:R>/);
    }
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(1);
    expect(requestsTo(h.webui, '/sdapi/v1/extra-single-image')).toHaveLength(0);
  });

  it('explains, only to the clicker, a button whose job is gone', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await imagine(h, { seed: 5 });
    const db = new Database(h.env.DATABASE_PATH as string);
    db.prepare('DELETE FROM jobs WHERE id = ?').run(jobIdOf(first));
    db.close();
    for (const label of ['Reroll', 'Vary', 'Info']) {
      const text = await ephemeralText(
        h.discord.clickButton({ customId: idOf(first, label), message: first }),
      );
      expect(text.content).toContain('no longer stored');
    }
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(1);
  });
});
