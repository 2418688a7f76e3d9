import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
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

let server: TestPostgres | undefined;
let harness: Harness | undefined;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

afterEach(async () => {
  const errors = errorLines(harness);
  await harness?.close();
  harness = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
  await query('TRUNCATE jobs, served, usage, image_files');
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

async function started(generationMs: number): Promise<Harness> {
  const h = await startHarness({ webuis: [{ generationMs }], env: { DATABASE_URL: url() } });
  await until(() => logLines(h).some((line) => line.msg === 'image server probed'), 'the first probe');
  return h;
}

const prompts = (h: Harness) =>
  requestsTo(h.webui, '/sdapi/v1/txt2img').map((request) => (request.body as { prompt: string }).prompt);

describe('the bot with its job queue in PostgreSQL (DATABASE_URL)', () => {
  it('runs /imagine end to end, the job kept in PostgreSQL and its password in no log line', async () => {
    harness = await started(300);
    const h = harness;
    const job = await imagine(h, ALICE, 'a lighthouse in postgres');
    const reply = await job.handle.waitForEdit(hasImage, WAIT_MS);
    expect(hasImage(reply)).toBe(true);
    const rows = await query<{ state: string; user_id: string; locked_by: string | null }>(
      'SELECT state, user_id, locked_by FROM jobs WHERE id = $1',
      [job.jobId],
    );
    expect(rows).toEqual([{ state: 'succeeded', user_id: ALICE.id, locked_by: null }]);
    // Everything is in PostgreSQL: no SQLite file is even created, and the request counted there.
    expect(existsSync(h.env.DATABASE_PATH ?? '')).toBe(false);
    expect(await query('SELECT user_id FROM usage')).toEqual([{ user_id: ALICE.id }]);
    expect(await query('SELECT idx FROM image_files WHERE job_id = $1', [job.jobId])).toEqual([{ idx: 0 }]);
    const password = decodeURIComponent(new URL(url()).password);
    expect(password.length).toBeGreaterThan(0);
    expect(h.logs.filter((line) => line.includes(password))).toEqual([]);
  });

  it('cancels a queued job at once, and it never reaches the WebUI', async () => {
    harness = await started(1500);
    const h = harness;
    const running = await imagine(h, ALICE, 'running one');
    const waiting = await imagine(h, BOB, 'waiting one');
    await h.webui.whenGenerating();
    const press = h.discord.clickButton({
      customId: `cancel:${waiting.jobId}`,
      message: waiting.handle.original() as FakeMessage,
      user: BOB,
    });
    expect(String((await press.ack()).data?.content)).toBe('Cancelled.');
    await waiting.handle.waitForEdit((message) => describedAs(message).includes('Cancelled'), WAIT_MS);
    expect(await query('SELECT state FROM jobs WHERE id = $1', [waiting.jobId])).toEqual([
      { state: 'cancelled' },
    ]);
    await running.handle.waitForEdit(hasImage, WAIT_MS);
    // Give the runner a moment in which it could (wrongly) still start the cancelled job.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(prompts(h)).toEqual(['running one']);
  });
});
