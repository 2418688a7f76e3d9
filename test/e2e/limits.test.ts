import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuth, type Harness, requestsTo, SD_PASSWORD, SD_USER, startHarness } from './harness.js';
import { hasImage } from './settings-driver.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const rejections = (h: Harness) => h.discord.requests.filter((request) => request.status >= 400);

describe('Discord upload limits end to end', () => {
  it('re-encodes an image larger than the interaction’s attachment_size_limit and says so', async () => {
    harness = await startHarness({ webuis: [{ noise: true }] });
    const h = harness;
    const limit = 200_000;
    const reply = await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'static', seed: 5 }, attachmentSizeLimit: limit })
      .waitForEdit(hasImage, 20_000);
    const [attachment] = reply.attachments;
    expect(attachment?.filename).toMatch(/^5\.(webp|jpg)$/);
    expect(attachment?.size).toBeLessThanOrEqual(limit);
    const meta = await sharp(attachment?.bytes).metadata();
    expect(meta.format === 'webp' || meta.format === 'jpeg').toBe(true);
    expect(reply.content).toMatch(
      /^Image 1 was \d+ KB, over Discord’s 195 KB limit here: sent as (WebP|JPEG)( at \d+×\d+)? \(quality \d+, \d+ KB\)\.$/,
    );
    expect((reply.embeds[0] as { image?: { url: string } }).image?.url).toBe(
      `attachment://${attachment?.filename}`,
    );
    expect(rejections(h).filter((request) => request.status === 413)).toEqual([]);
  });

  it('fits a 2048×2048 noise PNG over 10 MiB into Discord’s default limit', async () => {
    harness = await startHarness({ webuis: [{ noise: true }], env: { MAX_PIXELS: String(2048 * 2048) } });
    const h = harness;
    const reply = await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'static', seed: 9, width: 2048, height: 2048 } })
      .waitForEdit(hasImage, 25_000);
    const [attachment] = reply.attachments;
    expect(attachment?.size).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(reply.content).toMatch(
      /^Image 1 was 1\d(\.\d)? MB, over Discord’s 10 MB limit here: sent as WebP \(quality 90, \d(\.\d)? MB\)\.$/,
    );
    expect(rejections(h).filter((request) => request.status === 413)).toEqual([]);
  }, 30_000);

  it('refuses a request over MAX_TOTAL_PIXELS, naming the limit, with no request to the WebUI', async () => {
    harness = await startHarness({ env: { MAX_TOTAL_PIXELS: String(1024 * 1024 * 2) } });
    const h = harness;
    const handle = h.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'x', width: 1024, height: 1024, count: 3 },
    });
    const ack = await handle.ack();
    expect(ack.type).toBe(4);
    expect(String((ack.data as { content: string }).content)).toBe(
      '3 images of 1024×1024 is 3145728 pixels in all; the limit (MAX_TOTAL_PIXELS) is 2097152 pixels per request. Ask for fewer or smaller images.',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(0);
  });

  it('refuses a 6000-character sampler name with a short message instead of failing to answer', async () => {
    harness = await startHarness();
    const handle = harness.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'x', sampler: 'E'.repeat(6000) },
    });
    const ack = await handle.ack();
    expect(String((ack.data as { content: string }).content)).toBe(
      'The sampler name is 6000 characters; the limit is 200.',
    );
  });
});

describe('secrets end to end', () => {
  const secretsOf = (h: Harness) => [
    h.env.DISCORD_TOKEN as string,
    SD_PASSWORD,
    basicAuth(SD_USER, SD_PASSWORD).slice('Basic '.length),
  ];

  function expectNoSecret(h: Harness) {
    const replies = h.discord.requests.map((request) => JSON.stringify(request.json ?? null)).join('\n');
    for (const secret of secretsOf(h)) {
      expect(secret.length).toBeGreaterThan(8);
      const inLogs = h.logs.filter((line) => line.includes(secret));
      expect(inLogs, `a secret in ${inLogs.length} log lines`).toEqual([]);
      expect(replies.includes(secret), 'a secret in a Discord payload').toBe(false);
    }
  }

  it('keeps the token, the WebUI password and the Basic header out of logs and replies when the WebUI answers 401', async () => {
    harness = await startHarness({
      webuis: [{ auth: { username: SD_USER, password: 'not-what-the-bot-has' } }],
    });
    const h = harness;
    const reply = await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'x' } })
      .waitForEdit((message) => message.content.includes('credentials'), 15_000);
    expect(reply.content).toContain('SD_API_USERNAME and SD_API_PASSWORD');
    expect(h.logs.some((line) => line.includes('"level":50') || line.includes('"level":40'))).toBe(true);
    expectNoSecret(h);
  });

  it('masks credentials that a misbehaving server echoes back into an error', async () => {
    // A proxy in front of the WebUI that answers 401 and quotes the credentials it got, in two forms.
    const echo: Server = createServer((request, response) => {
      const header = request.headers.authorization ?? '';
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ detail: `rejected ${header}; credentials ${header.slice('Basic '.length)}` }),
      );
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
      harness = await startHarness({ env: { SD_API_URL: url } });
      const h = harness;
      await h.discord
        .sendCommand({ name: 'imagine', options: { prompt: 'x' } })
        .waitForEdit((message) => message.content.includes('credentials'), 15_000);
      expect(h.logs.some((line) => line.includes('rejected Basic ***; credentials ***'))).toBe(true);
      expectNoSecret(h);
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  it('keeps them out after an out-of-memory failure and a 429 from Discord', async () => {
    harness = await startHarness({ env: { LOG_LEVEL: 'trace' } });
    const h = harness;
    h.webui.failNext('oom');
    h.discord.injectRateLimit({ route: /PATCH .*messages\/@original/, times: 2, retryAfterSeconds: 0.2 });
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'x' } })
      .waitForEdit((message) => JSON.stringify(message.embeds).includes('GPU memory'), 15_000);
    expect(h.discord.requests.some((request) => request.status === 429)).toBe(true);
    await h.discord.sendCommand({ name: 'imagine', options: { prompt: 'y' } }).waitForEdit(hasImage, 15_000);
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')[0]?.headers.authorization).toBe(
      basicAuth(SD_USER, SD_PASSWORD),
    );
    expectNoSecret(h);
  });
});
