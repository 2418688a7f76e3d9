import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { type ExtraBot, extraErrors, startExtraBot, stopExtraBot } from './extra-bot.js';
import { type Harness, requestsTo, startHarness } from './harness.js';
import { ALICE, BOB, errorLines, logLines, until, WAIT_MS } from './job-helpers.js';
import { hasImage, runSettings } from './settings-driver.js';

/**
 * Two bot processes, each with its own gateway session and WebUI, on one PostgreSQL database and one
 * IMAGE_DIR: what one of them keeps (settings, quota counts, kept images) is in force in the other.
 * The fake gateway's `focus` says which process takes the next interaction (1: the harness's, 2: the other).
 */

let server: TestPostgres | undefined;
let harness: Harness | undefined;
let other: ExtraBot | undefined;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

afterEach(async () => {
  const errors = [...errorLines(harness), ...extraErrors(other)];
  if (other !== undefined) await stopExtraBot(other);
  other = undefined;
  const imageDir = harness?.env.IMAGE_DIR;
  await harness?.close();
  harness = undefined;
  if (imageDir !== undefined) rmSync(imageDir, { recursive: true, force: true });
  await query('TRUNCATE jobs, served, usage, image_files, guild_settings, kv');
  expect(errors, 'error-level log lines').toEqual([]);
});

const url = () => {
  if (server === undefined) throw new Error('PostgreSQL did not start (see beforeAll)');
  return server.url;
};

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The harness's process (gateway session 1) and a second one on the same token (session 2). */
async function startPair(env: Record<string, string> = {}): Promise<Harness> {
  const imageDir = mkdtempSync(join(tmpdir(), 'sdbot-shared-images-'));
  harness = await startHarness({
    webuis: [{ generationMs: 200 }],
    env: { DATABASE_URL: url(), WORKER_ID: 'proc-1', IMAGE_DIR: imageDir, ...env },
  });
  const h = harness;
  other = await startExtraBot(h, { WORKER_ID: 'proc-2' }, 200);
  const { logs } = other;
  await until(() => logLines(h).some((line) => line.msg === 'image server probed'), 'the first probe');
  await until(() => logs.some((line) => line.includes('image server probed')), 'the second probe');
  expect(h.discord.gateway.identifies).toBe(2);
  return h;
}

const txt2imgBodies = (h: Harness) =>
  [h.webui, other?.webui]
    .flatMap((webui) => (webui === undefined ? [] : requestsTo(webui, '/sdapi/v1/txt2img')))
    .map((request) => request.body as Record<string, unknown>);

/** The custom id of the button with this label. */
function idOf(message: FakeMessage, label: string): string {
  const buttons = (message.components as { components?: { custom_id: string; label: string }[] }[]).flatMap(
    (row) => row.components ?? [],
  );
  const button = buttons.find((candidate) => candidate.label === label);
  if (button === undefined)
    throw new Error(`no "${label}" button; has ${buttons.map((b) => b.label).join(', ')}`);
  return button.custom_id;
}

/** Retries `check` (a round trip each) until it holds. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('settings, quotas and kept images shared by two processes on PostgreSQL', () => {
  it('puts a /settings defaults change made through one process in force for /imagine on the other', async () => {
    const h = await startPair();
    h.discord.gateway.focus(2);
    const changed = await runSettings(h, {
      subcommand: 'defaults',
      options: { steps: 12, width: 768, height: 384 },
    });
    expect(changed.text).toContain('Default steps: 12.');
    expect(await query('SELECT guild_id FROM guild_settings')).toEqual([{ guild_id: h.discord.guildId }]);

    h.discord.gateway.focus(1);
    // The first process hears of it by NOTIFY, a moment after the second one answered.
    await eventually(
      async () => (await runSettings(h, { subcommand: 'view' })).text.includes('Steps: 12'),
      'the change to reach the first process',
    );
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'a tree' } })
      .waitForEdit(hasImage, WAIT_MS);
    expect(txt2imgBodies(h)).toEqual([
      expect.objectContaining({ prompt: 'a tree', steps: 12, width: 768, height: 384 }),
    ]);
  });

  it('lets exactly one of two members pass on two processes when the server allows one request per hour', async () => {
    const h = await startPair({ SERVER_HOURLY_LIMIT: '1' });
    h.discord.gateway.focus(1);
    const first = h.discord.sendCommand({ name: 'imagine', options: { prompt: 'from alice' }, user: ALICE });
    h.discord.gateway.focus(2);
    const second = h.discord.sendCommand({ name: 'imagine', options: { prompt: 'from bob' }, user: BOB });
    const acks = await Promise.all([first.ack(), second.ack()]);
    expect(acks.map((ack) => ack.type).sort()).toEqual([4, 5]);
    const refusedAt = acks.findIndex((ack) => ack.type === 4);
    expect(String((acks[refusedAt]?.data as { content?: string } | undefined)?.content)).toMatch(
      /^This server has reached its limit of 1 request per hour\. Try again <t:\d+:R>\.$/,
    );
    // The process that took the refused interaction is the one that refused it.
    const refuser = refusedAt === 0 ? h.logs : (other?.logs ?? []);
    expect(refuser.some((line) => line.includes('"msg":"refused a request"'))).toBe(true);
    await (refusedAt === 0 ? second : first).waitForEdit(hasImage, WAIT_MS);
    expect(txt2imgBodies(h)).toHaveLength(1);
    expect(await query('SELECT user_id FROM usage')).toEqual([
      { user_id: refusedAt === 0 ? BOB.id : ALICE.id },
    ]);
  });

  it('serves Image n and Upscale pressed on one process from the images the other kept', async () => {
    const h = await startPair();
    h.discord.gateway.focus(1);
    const batch = await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'apple', seed: 20, count: 2 } })
      .waitForEdit(hasImage, WAIT_MS);
    // Whichever process ran the job kept its images; the buttons go to the other one.
    const ranOnFirst = requestsTo(h.webui, '/sdapi/v1/txt2img').length === 1;
    h.discord.gateway.focus(ranOnFirst ? 2 : 1);

    const jobId = idOf(batch, 'Info').split(':')[1] ?? '';
    const kept = (index: number) => readFileSync(join(h.env.IMAGE_DIR ?? '', `${jobId}-${index}.img`));

    const click = h.discord.clickButton({ customId: idOf(batch, 'Image 2'), message: batch });
    const ack = await click.ack();
    expect(ack.type).toBe(4);
    expect(ack.files.map((file) => file.filename)).toEqual(['21-2.png']);
    expect(ack.files[0]?.bytes.equals(kept(1))).toBe(true);

    const upscale = h.discord.clickButton({ customId: idOf(batch, 'U1'), message: batch });
    expect((await upscale.ack()).type).toBe(5);
    const upscaled = await upscale.waitForEdit(hasImage, WAIT_MS);
    expect(hasImage(upscaled)).toBe(true);
    const sent = [h.webui, other?.webui].flatMap((webui) =>
      webui === undefined ? [] : requestsTo(webui, '/sdapi/v1/extra-single-image'),
    );
    expect(sent).toHaveLength(1);
    const body = sent[0]?.body as { image?: string } | undefined;
    expect(Buffer.from(body?.image ?? '', 'base64').equals(kept(0))).toBe(true);
  });
});
