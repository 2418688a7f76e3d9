import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
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
  logLines,
  until,
  WAIT_MS,
} from './job-helpers.js';

const CAROL = { id: '1300000000000000302', username: 'carol' };

let server: TestPostgres | undefined;
let harness: Harness | undefined;
let worker: ExtraBot | undefined;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

afterEach(async () => {
  const errors = [...errorLines(harness), ...extraErrors(worker)];
  if (worker !== undefined) await stopExtraBot(worker);
  worker = undefined;
  await harness?.close();
  harness = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
});

const url = () => {
  if (server === undefined) throw new Error('PostgreSQL did not start (see beforeAll)');
  return server.url;
};

/** A second bot process on the same queue: BOT_ROLE=worker with a WebUI of its own. */
const startWorker = (h: Harness, generationMs: number) =>
  startExtraBot(h, { BOT_ROLE: 'worker', WORKER_ID: 'worker-2' }, generationMs);

describe('a front process and a worker on one PostgreSQL queue', () => {
  it('spreads several members’ jobs over both, each delivered, the worker never on the gateway', async () => {
    harness = await startHarness({
      webuis: [{ generationMs: 700 }],
      env: { DATABASE_URL: url(), WORKER_ID: 'front-1', MAX_PENDING_PER_USER: '10' },
    });
    const h = harness;
    worker = await startWorker(h, 700);
    const w = worker;
    await until(() => logLines(h).some((line) => line.msg === 'image server probed'), 'the front’s probe');
    await until(() => w.logs.some((line) => line.includes('image server probed')), 'the worker’s probe');
    expect(h.discord.gateway.identifies).toBe(1);

    const jobs = [];
    for (const member of [ALICE, BOB, CAROL, ALICE, BOB, CAROL]) {
      jobs.push(await imagine(h, member, `${member.username} ${jobs.length}`));
    }
    const replies = await Promise.all(jobs.map((job) => job.handle.waitForEdit(hasImage, WAIT_MS)));
    expect(replies.every(hasImage)).toBe(true);

    const front = requestsTo(h.webui, '/sdapi/v1/txt2img').length;
    const spare = requestsTo(w.webui, '/sdapi/v1/txt2img').length;
    expect(front + spare).toBe(6);
    expect(front).toBeGreaterThan(0);
    expect(spare).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    const { rows } = await client
      .query<{ backend: string; n: string }>(
        "SELECT result->>'backend' AS backend, COUNT(*) AS n FROM jobs WHERE state = 'succeeded' GROUP BY 1 ORDER BY 1",
      )
      .finally(() => client.end());
    expect(rows.map((row) => [row.backend, Number(row.n)])).toEqual(
      [
        [h.webui.url, front],
        [w.webui.url, spare],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // Only the front process connected to the gateway.
    expect(h.discord.gateway.identifies).toBe(1);
  });

  it('stops a job running on the worker when its member presses Cancel on the front', async () => {
    harness = await startHarness({
      webuis: [{ generationMs: 3000 }],
      env: { DATABASE_URL: url(), WORKER_ID: 'front-1' },
    });
    const h = harness;
    worker = await startWorker(h, 3000);
    const w = worker;
    await until(() => logLines(h).some((line) => line.msg === 'image server probed'), 'the front’s probe');
    await until(() => w.logs.some((line) => line.includes('image server probed')), 'the worker’s probe');
    const jobs = [await imagine(h, ALICE, 'alice one'), await imagine(h, BOB, 'bob one')];
    await Promise.all([h.webui.whenGenerating(), w.webui.whenGenerating()]);
    const sent = requestsTo(w.webui, '/sdapi/v1/txt2img')[0]?.body as { prompt?: string } | undefined;
    const prompt = sent?.prompt;
    const onWorker = jobs.find((job) => job.prompt === prompt);
    if (onWorker === undefined) throw new Error(`no job with the worker's prompt ${prompt}`);
    const press = h.discord.clickButton({
      customId: `cancel:${onWorker.jobId}`,
      message: onWorker.handle.original() as FakeMessage,
      user: onWorker.member,
    });
    expect(String((await press.ack()).data?.content)).toContain('Stopping');
    const cancelled = await onWorker.handle.waitForEdit(
      (message) => describedAs(message).includes('Cancelled'),
      WAIT_MS,
    );
    expect(hasImage(cancelled)).toBe(false);
    await until(
      () => requestsTo(w.webui, '/sdapi/v1/interrupt').length === 1,
      'the worker’s WebUI interrupted',
    );
    expect(requestsTo(h.webui, '/sdapi/v1/interrupt')).toHaveLength(0);
    const other = jobs.find((job) => job !== onWorker);
    await other?.handle.waitForEdit(hasImage, WAIT_MS);
  });

  it('refuses to start a second process under a WORKER_ID a live one holds, saying why', async () => {
    harness = await startHarness({
      webuis: [{ generationMs: 100 }],
      env: { DATABASE_URL: url(), WORKER_ID: 'front-1' },
    });
    const h = harness;
    await until(() => logLines(h).some((line) => line.msg === 'image server probed'), 'the front’s probe');
    // Its first start would take the front's running jobs as its own: it waits a lease, then stops.
    const started = Date.now();
    await expect(
      startExtraBot(h, { BOT_ROLE: 'worker', WORKER_ID: 'front-1', JOB_LEASE_SECONDS: '3' }, 100),
    ).rejects.toThrow(/WORKER_ID "front-1" is in use by another process/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    // The front still works.
    const job = await imagine(h, ALICE, 'still here');
    await job.handle.waitForEdit(hasImage, WAIT_MS);
  });
});
