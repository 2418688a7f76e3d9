import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, requestsTo, startHarness } from './harness.js';

const WAIT_MS = 15_000;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const hasImage = (message: FakeMessage) =>
  message.attachments.some(
    (attachment) => attachment.filename.endsWith('.png') && attachment.filename !== 'preview.png',
  );

const png = (width: number, height: number, noise = false) =>
  noise
    ? sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
        .png()
        .toBuffer()
    : sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
        .png()
        .toBuffer();

const generationRequests = (h: Harness) => [
  ...requestsTo(h.webui, '/sdapi/v1/txt2img'),
  ...requestsTo(h.webui, '/sdapi/v1/img2img'),
];

describe('/imagine with an image (img2img) end to end', () => {
  it('sends the downloaded image as init_images with the strength, at the input’s size snapped to 8', async () => {
    harness = await startHarness();
    const h = harness;
    const bytes = await png(643, 481);
    const reply = await h.discord
      .sendCommand({
        name: 'imagine',
        options: { prompt: 'a watercolour', strength: 0.4, seed: 12 },
        attachments: { image: { filename: 'photo.png', bytes, contentType: 'image/png' } },
      })
      .waitForEdit(hasImage, WAIT_MS);
    const [request] = requestsTo(h.webui, '/sdapi/v1/img2img');
    const body = request?.body as {
      init_images: string[];
      denoising_strength: number;
      width: number;
      height: number;
      prompt: string;
    };
    expect(Buffer.from(body.init_images[0] as string, 'base64').equals(bytes)).toBe(true);
    expect(body.denoising_strength).toBe(0.4);
    expect([body.width, body.height]).toEqual([640, 480]);
    expect(body.prompt).toBe('a watercolour');
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(0);
    expect(reply.attachments[0]?.filename).toBe('12.png');
  });

  it('keeps a size the member gave', async () => {
    harness = await startHarness();
    const h = harness;
    await h.discord
      .sendCommand({
        name: 'imagine',
        options: { prompt: 'x', width: 512, height: 512 },
        attachments: { image: { filename: 'in.png', bytes: await png(300, 200) } },
      })
      .waitForEdit(hasImage, WAIT_MS);
    expect(requestsTo(h.webui, '/sdapi/v1/img2img')[0]?.body).toMatchObject({
      width: 512,
      height: 512,
      denoising_strength: 0.75,
    });
  });

  it('refuses a file that is not an image, whatever its name and type say, with no WebUI request', async () => {
    harness = await startHarness();
    const h = harness;
    const handle = h.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'x' },
      attachments: {
        image: {
          filename: 'cat.png',
          bytes: Buffer.from('#!/bin/sh\necho not a picture\n'.repeat(20)),
          contentType: 'image/png',
        },
      },
    });
    const reply = await handle.waitForEdit(
      (message) => message.content.includes('not a PNG, JPEG or WebP'),
      WAIT_MS,
    );
    expect(reply.attachments).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(generationRequests(h)).toHaveLength(0);
  });

  it('refuses, ephemerally (before deferring, so before any download), an image over MAX_INPUT_IMAGE_BYTES', async () => {
    harness = await startHarness({ env: { MAX_INPUT_IMAGE_BYTES: '4096' } });
    const h = harness;
    const bytes = await png(200, 200, true);
    expect(bytes.length).toBeGreaterThan(4096);
    const handle = h.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'x' },
      attachments: { image: { filename: 'big.png', bytes, contentType: 'image/png' } },
    });
    const ack = await handle.ack();
    expect(ack.type).toBe(4);
    const data = ack.data as { flags: number; content: string };
    expect(data.flags & 64).toBe(64);
    expect(data.content).toMatch(/^The image is \d+ KB; the limit is 4 KB\./);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(generationRequests(h)).toHaveLength(0);
  });

  it('refuses an image over the pixel budget', async () => {
    harness = await startHarness({
      env: { MAX_PIXELS: String(256 * 256), DEFAULT_WIDTH: '256', DEFAULT_HEIGHT: '256' },
    });
    const h = harness;
    const reply = await h.discord
      .sendCommand({
        name: 'imagine',
        options: { prompt: 'x' },
        attachments: { image: { filename: 'wide.png', bytes: await png(400, 300) } },
      })
      .waitForEdit((message) => message.content.includes('400×300'), WAIT_MS);
    expect(reply.content).toContain('the limit is 65536 pixels');
    expect(generationRequests(h)).toHaveLength(0);
  });

  it('refuses a strength without an image', async () => {
    harness = await startHarness();
    const ack = await harness.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'x', strength: 0.5 } })
      .ack();
    expect(ack.type).toBe(4);
    expect((ack.data as { content: string }).content).toContain('Strength only applies to an image');
  });
});
