import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildsOnTwoShards } from '../fakes/discord/shard-guilds.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { type ExtraBot, extraErrors, startExtraBot, stopExtraBot } from './extra-bot.js';
import { type Harness, requestsTo, startHarness } from './harness.js';
import {
  ALICE,
  BOB,
  describedAs,
  errorLines,
  hasImage,
  imagine,
  inLine,
  until,
  WAIT_MS,
} from './job-helpers.js';

let server: TestPostgres | undefined;
let harness: Harness | undefined;
const extras: ExtraBot[] = [];

// A database of its own for each test: the commands' registration fingerprint is kept in it.
beforeEach(async () => {
  server = await startTestPostgres();
}, 60_000);

afterEach(async () => {
  const errors = [...errorLines(harness), ...extras.flatMap((extra) => extraErrors(extra))];
  for (const extra of extras.splice(0).reverse()) await stopExtraBot(extra);
  await harness?.close();
  harness = undefined;
  await server?.stop();
  server = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
}, 60_000);

const url = () => {
  if (server === undefined) throw new Error('PostgreSQL did not start (see beforeAll)');
  return server.url;
};

async function startExtra(h: Harness, env: Record<string, string>, generationMs = 500): Promise<ExtraBot> {
  const extra = await startExtraBot(h, env, generationMs);
  extras.push(extra);
  return extra;
}

const probed = (logs: string[]) => logs.some((line) => line.includes('image server probed'));

/** Where each succeeded job ran, from the shared database. */
async function backendsOfSucceeded(): Promise<string[]> {
  const client = new pg.Client({ connectionString: url() });
  await client.connect();
  const { rows } = await client
    .query<{ backend: string }>("SELECT result->>'backend' AS backend FROM jobs WHERE state = 'succeeded'")
    .finally(() => client.end());
  return rows.map((row) => row.backend);
}

describe('gateway processes and a worker on one PostgreSQL queue', () => {
  it('takes /imagine on a gateway and runs it only on the worker, /queue seeing it run there', async () => {
    harness = await startHarness({
      webuis: [{ generationMs: 500 }],
      env: { DATABASE_URL: url(), BOT_ROLE: 'gateway', WORKER_ID: 'gateway-1' },
    });
    const h = harness;
    const worker = await startExtra(h, { BOT_ROLE: 'worker', WORKER_ID: 'worker-1' }, 1500);
    await until(() => probed(h.logs) && probed(worker.logs), 'both probes');
    const job = await imagine(h, ALICE, 'a lighthouse at dusk');
    await worker.webui.whenGenerating();
    await until(
      () => h.bot.runner.queue().some((queued) => queued.state === 'running'),
      'the gateway to see it',
    );
    const queue = h.discord.sendCommand({ name: 'queue', user: ALICE });
    const listed = await queue.ack();
    const embeds = (listed.data?.embeds ?? []) as { description?: string }[];
    expect(embeds.map((embed) => embed.description ?? '').join('\n')).toContain('generating now');
    expect(embeds[0]?.description).toContain('**0** waiting, **1** generating.');

    const done = await job.handle.waitForEdit(hasImage, WAIT_MS);
    expect(hasImage(done)).toBe(true);
    expect(requestsTo(worker.webui, '/sdapi/v1/txt2img')).toHaveLength(1);
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(0);
    expect(await backendsOfSucceeded()).toEqual([worker.webui.url]);
    expect(h.discord.gateway.identifies).toBe(1);
  });

  it('answers commands from guilds on either of two gateway shards and runs them on the one worker', async () => {
    const { guilds, onShard } = guildsOnTwoShards();
    const shared = { DATABASE_URL: url(), BOT_ROLE: 'gateway', SHARD_COUNT: '2' };
    harness = await startHarness({
      discord: { guilds },
      webuis: [{ generationMs: 200 }],
      env: { ...shared, SHARD_IDS: '0', WORKER_ID: 'gateway-0' },
    });
    const h = harness;
    const registered = h.discord.registrationCalls;
    expect(registered).toBeGreaterThan(0);
    const second = await startExtra(h, { ...shared, SHARD_IDS: '1', WORKER_ID: 'gateway-1' });
    const worker = await startExtra(h, { BOT_ROLE: 'worker', WORKER_ID: 'worker-1', SHARD_IDS: '' }, 300);
    await until(() => probed(h.logs) && probed(second.logs) && probed(worker.logs), 'every probe');
    expect(h.discord.gateway.shards).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Only the process holding shard 0 registered the commands.
    expect(h.discord.registrationCalls).toBe(registered);
    expect([...second.bot.client.guilds.cache.keys()]).toEqual([onShard[1].id]);

    const send = (member: typeof ALICE, guild: 0 | 1, prompt: string) =>
      inLine(
        h.discord.sendCommand({
          name: 'imagine',
          options: { prompt },
          user: member,
          channelId: onShard[guild].channels[0]?.id ?? '',
        }),
        member,
        prompt,
      );
    const jobs = [await send(ALICE, 0, 'on shard zero'), await send(BOB, 1, 'on shard one')];
    const replies = await Promise.all(jobs.map((job) => job.handle.waitForEdit(hasImage, WAIT_MS)));
    expect(replies.map(hasImage)).toEqual([true, true]);
    expect(replies.map(describedAs).join('\n')).not.toContain('restarted');
    expect(requestsTo(worker.webui, '/sdapi/v1/txt2img')).toHaveLength(2);
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(0);
    expect(requestsTo(second.webui, '/sdapi/v1/txt2img')).toHaveLength(0);
    expect(h.discord.gateway.identifies).toBe(2);
  });
});
