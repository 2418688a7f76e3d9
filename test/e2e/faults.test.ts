import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { basicAuth, type Harness, requestsTo, SD_PASSWORD, SD_USER, startHarness } from './harness.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const WRONG_PASSWORD = 'Not-The-Right-Pa55word';

const imageOf = (message: FakeMessage) =>
  message.attachments.find(
    (attachment) => attachment.filename.endsWith('.png') && attachment.filename !== 'preview.png',
  );
const hasImage = (message: FakeMessage) => imageOf(message) !== undefined;

/** Everything a member reads on a message: content and the embeds' text. */
function visibleText(message: FakeMessage): string {
  const embeds = message.embeds.map((embed) => {
    const { title, description, fields, footer } = embed as {
      title?: string;
      description?: string;
      fields?: { name: string; value: string }[];
      footer?: { text: string };
    };
    return [
      title,
      description,
      ...(fields ?? []).flatMap((field) => [field.name, field.value]),
      footer?.text,
    ];
  });
  return [message.content, ...embeds.flat()].filter((part) => part !== undefined && part !== '').join('\n');
}

const textIncludes = (needle: string) => (message: FakeMessage) => visibleText(message).includes(needle);

/** A failure message says what happened in plain words and gives away nothing about the server. */
function expectCleanFailure(harness: Harness, text: string): void {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/\b(Error|TypeError|RuntimeError|OutOfMemoryError|SdAuthError):/);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|https?:\/\//);
  for (const webui of harness.webuis) expect(text).not.toMatch(new RegExp(`\\b${webui.port}\\b`));
  expect(text).not.toMatch(/\b(401|403|500|502)\b/);
  expect(text).not.toContain(SD_PASSWORD);
  expect(text).not.toContain(WRONG_PASSWORD);
  expect(text).not.toContain('sdapi');
}

/** The bot keeps serving: a fresh /imagine comes back with a real PNG. */
async function expectImagineWorks(harness: Harness, prompt = 'a quiet harbour'): Promise<FakeMessage> {
  const interaction = harness.discord.sendCommand({ name: 'imagine', options: { prompt } });
  expect((await interaction.ack()).type).toBe(5);
  const reply = await interaction.waitForEdit(hasImage, 10_000);
  expect(imageOf(reply)?.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return reply;
}

/** The PNG the fake WebUI produces for a txt2img body (deterministic for a fixed seed). */
async function generateAgain(harness: Harness, body: unknown): Promise<Buffer> {
  const response = await fetch(`${harness.webui.url}/sdapi/v1/txt2img`, {
    method: 'POST',
    headers: { authorization: basicAuth(SD_USER, SD_PASSWORD), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { images } = (await response.json()) as { images: string[] };
  return Buffer.from(images[0] as string, 'base64');
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('/imagine when the WebUI fails', () => {
  it('tells the member the credentials were refused when the WebUI answers 401, and works once they are fixed', async () => {
    harness = await startHarness({ env: { SD_API_PASSWORD: WRONG_PASSWORD } });
    const interaction = harness.discord.sendCommand({ name: 'imagine', options: { prompt: 'apple' } });
    expect((await interaction.ack()).delayMs).toBeLessThan(3000);
    const reply = await interaction.waitForEdit(textIncludes('credentials'), 10_000);
    const text = visibleText(reply);
    expect(text).toContain('refused the bot’s credentials');
    expect(text).toContain('SD_API_PASSWORD');
    expectCleanFailure(harness, text);
    expect(reply.attachments).toEqual([]);

    // Still serving other commands while the WebUI refuses it.
    const queue = harness.discord.sendCommand({ name: 'queue' });
    expect((await queue.ack()).type).toBe(4);

    // The operator fixes the password; the next /imagine works.
    await harness.restart({ SD_API_PASSWORD: SD_PASSWORD });
    await expectImagineWorks(harness);
  });

  it('says the server ran out of GPU memory on a 500 OutOfMemoryError, without retrying, then serves the next one', async () => {
    harness = await startHarness();
    harness.webui.failNext('oom');
    const interaction = harness.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'a huge cathedral' },
    });
    const reply = await interaction.waitForEdit(textIncludes('GPU memory'), 10_000);
    const text = visibleText(reply);
    expect(text).toContain('The image server ran out of GPU memory. Try a smaller size or fewer images.');
    expectCleanFailure(harness, text);
    expect(reply.attachments).toEqual([]);
    expect(reply.components).toEqual([]);
    // Out of memory is the request's fault, not the server's: no second attempt.
    expect(requestsTo(harness.webui, '/sdapi/v1/txt2img')).toHaveLength(1);

    await expectImagineWorks(harness);
  });

  it('says the answer could not be read when the WebUI sends garbage (one attempt), then serves the next one', async () => {
    harness = await startHarness({ env: { MAX_ATTEMPTS: '1' } });
    harness.webui.failNext('garbage');
    const interaction = harness.discord.sendCommand({ name: 'imagine', options: { prompt: 'a fox' } });
    const reply = await interaction.waitForEdit(textIncludes('could not read'), 10_000);
    const text = visibleText(reply);
    expect(text).toContain('The image server sent an answer the bot could not read.');
    expect(text).not.toMatch(/DOCTYPE|<html|Bad Gateway/i);
    expectCleanFailure(harness, text);
    expect(reply.attachments).toEqual([]);

    await expectImagineWorks(harness);
  });

  it('shows a retry notice and then the image when one of two backends sends garbage', async () => {
    harness = await startHarness({ webuis: [{}, {}] });
    // Whichever backend takes the job first answers garbage; the retry may land on either.
    for (const webui of harness.webuis) webui.failNext('garbage');
    const interaction = harness.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'a fox', seed: 42 },
    });
    await interaction.waitForEdit(textIncludes('retrying'), 10_000);
    const reply = await interaction.waitForEdit(hasImage, 10_000);
    expect(imageOf(reply)?.filename).toBe('42.png');
    expect(visibleText(reply)).not.toContain('retrying');
    const attempts = harness.webuis.flatMap((webui) => requestsTo(webui, '/sdapi/v1/txt2img'));
    expect(attempts.length).toBeGreaterThanOrEqual(2);
  });

  it('says the server took too long when a request hangs past the timeout, then serves the next one', async () => {
    harness = await startHarness({ env: { SD_REQUEST_TIMEOUT_SECONDS: '1', MAX_ATTEMPTS: '1' } });
    harness.webui.failNext('hang');
    const started = Date.now();
    const interaction = harness.discord.sendCommand({ name: 'imagine', options: { prompt: 'a slow snail' } });
    expect((await interaction.ack()).type).toBe(5);
    const reply = await interaction.waitForEdit(textIncludes('took too long'), 8_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const text = visibleText(reply);
    expect(text).toContain('The image server took too long to answer.');
    expectCleanFailure(harness, text);
    expect(reply.attachments).toEqual([]);

    // The backend left the rotation after the timeout; it is probed back and the next job runs.
    await expectImagineWorks(harness);
  });

  it('waits out a 429 on the reply edit and still delivers the image', async () => {
    harness = await startHarness();
    const { discord } = harness;
    discord.injectRateLimit({ route: /PATCH .*messages\/@original/, times: 1, retryAfterSeconds: 0.3 });
    const interaction = discord.sendCommand({ name: 'imagine', options: { prompt: 'a teapot', seed: 7 } });
    const reply = await interaction.waitForEdit(hasImage, 10_000);
    expect(imageOf(reply)?.filename).toBe('7.png');
    // The upload that follows the 429 carries the WebUI's bytes unchanged.
    const [txt2img] = requestsTo(harness.webui, '/sdapi/v1/txt2img');
    expect(imageOf(reply)?.bytes.equals(await generateAgain(harness, txt2img?.body))).toBe(true);

    const patches = discord.requests.filter(
      (request) => request.method === 'PATCH' && request.path.endsWith('/messages/@original'),
    );
    const limited = patches.findIndex((request) => request.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    const retried = patches.slice(limited + 1).find((request) => request.status < 300);
    expect(retried).toBeDefined();
    expect((retried?.at ?? 0) - (patches[limited]?.at ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it('resumes after a gateway drop, finishes the job in flight, and answers a later command', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 600 }] });
    const { discord, webui } = harness;
    const inFlight = discord.sendCommand({ name: 'imagine', options: { prompt: 'before the drop' } });
    expect((await inFlight.ack()).type).toBe(5);
    await webui.whenGenerating();
    const identifies = discord.gateway.identifies;
    discord.dropGateway();
    await discord.waitForResume();
    // Resumed, not a fresh session.
    expect(discord.gateway.resumes).toBeGreaterThanOrEqual(1);
    expect(discord.gateway.identifies).toBe(identifies);
    await inFlight.waitForEdit(hasImage, 10_000);

    await expectImagineWorks(harness, 'after the drop');
  });

  it('answers a command sent while the gateway was down once the session resumes', async () => {
    harness = await startHarness();
    const { discord } = harness;
    discord.dropGateway();
    // Dispatched while disconnected: the fake replays it on RESUME.
    const interaction = discord.sendCommand({ name: 'imagine', options: { prompt: 'during the drop' } });
    await discord.waitForResume();
    const ack = await interaction.ack();
    expect(ack.type).toBe(5);
    expect(ack.delayMs).toBeLessThan(3000);
    await interaction.waitForEdit(hasImage, 10_000);
  });
});
