/**
 * Two real bot processes (a front with the gateway and a BOT_ROLE=worker) on one PostgreSQL queue,
 * each with a fake WebUI of its own, one fake Discord: fair order across both, a SIGKILLed worker, a
 * PostgreSQL restart, a rolling restart and a cross-process Cancel. One set of processes for the
 * whole file (a start costs seconds); every test uses members of its own and leaves the queue empty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../fakes/discord/interaction-handle.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/server.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type FakeWebui, startFakeWebui } from '../fakes/webui/server.js';
import { type BotProcess, killAllBotProcesses, startBotProcess } from '../support/bot-process.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { basicAuth, requestsTo, SD_PASSWORD, SD_USER } from './harness.js';
import { describedAs, hasImage, inLine, type Member, type Submitted, until } from './job-helpers.js';

const LEASE_SECONDS = 3;
const WAIT_MS = 30_000;
type Role = 'front' | 'worker';

let server: TestPostgres;
let discord: FakeDiscord;
let dir: string;
const webuis = {} as Record<Role, FakeWebui>;
const bots = {} as Record<Role, BotProcess>;

const envOf = (role: Role): Record<string, string> => ({
  DISCORD_TOKEN: discord.token,
  DISCORD_API_URL: discord.apiUrl,
  DISCORD_GUILD_ID: discord.guildId,
  SD_API_URL: webuis[role].url,
  SD_API_USERNAME: SD_USER,
  SD_API_PASSWORD: SD_PASSWORD,
  DATABASE_URL: server.url,
  DATABASE_PATH: join(dir, `${role}.sqlite`),
  IMAGE_DIR: join(dir, `${role}-images`),
  BOT_ROLE: role === 'front' ? 'all' : 'worker',
  WORKER_ID: role,
  JOB_LEASE_SECONDS: String(LEASE_SECONDS),
  LOG_LEVEL: 'info',
  PROGRESS_INTERVAL_MS: '250',
  SD_REQUEST_TIMEOUT_SECONDS: '20',
  SHUTDOWN_GRACE_SECONDS: '15',
  MAX_PENDING_PER_USER: '10',
});

const start = async (role: Role) => {
  bots[role] = await startBotProcess(role, envOf(role));
};

/** One query on a connection of its own (a PostgreSQL restart drops every open one). */
async function query<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

interface JobRow {
  id: string;
  state: string;
  attempts: number;
  started_at: string | null;
  locked_by: string | null;
  backend: string | null;
}
const jobRows = (ids: readonly string[]) =>
  query<JobRow>(
    `SELECT id, state, attempts, started_at, locked_by, COALESCE(result->>'backend', backend) AS backend
       FROM jobs WHERE id = ANY($1::text[]) ORDER BY started_at, id`,
    [[...ids]],
  );

let nextMember = 0;
/** A member no earlier test used, so the fair line's "served last" order starts afresh. */
const member = (name: string): Member => {
  nextMember += 1;
  return { id: `13000000000000${String(4000 + nextMember)}`, username: name };
};

const imagine = (who: Member, prompt: string) =>
  inLine(discord.sendCommand({ name: 'imagine', options: { prompt }, user: who }), who, prompt);

/** Edits and follow-ups that carried the finished image (delivered once: exactly one). */
const deliveries = (handle: InteractionHandle) =>
  handle.events.filter(
    (event) => (event.kind === 'edit' || event.kind === 'followup') && hasImage(event.message),
  ).length;

const delivered = (jobs: readonly Submitted[]) =>
  Promise.all(jobs.map((job) => job.handle.waitForEdit(hasImage, WAIT_MS)));

/** No job queued or running any more (each test leaves the queue as it found it). */
const drained = async () => {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const rows = await query<{ n: string }>(
      "SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')",
    );
    if (Number(rows[0]?.n) === 0) return;
    if (Date.now() > deadline) throw new Error('jobs were still queued or running');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** The job of `jobs` that `role`'s process runs now. */
async function jobOn(role: Role, jobs: readonly Submitted[]): Promise<Submitted> {
  const rows = await jobRows(jobs.map((job) => job.jobId));
  const held = rows.find((row) => row.state === 'running' && row.locked_by === role);
  const job = jobs.find((candidate) => candidate.jobId === held?.id);
  if (job === undefined) throw new Error(`no job running on ${role}: ${JSON.stringify(rows)}`);
  return job;
}

/** Error-level log lines of a process (every test expects none). */
const errors = (bot: BotProcess) => bot.logs.filter((line) => line.level >= 50);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sdbot-processes-'));
  [server, discord, webuis.front, webuis.worker] = await Promise.all([
    startTestPostgres({ restartable: true }),
    startFakeDiscord(),
    startFakeWebui({ auth: { username: SD_USER, password: SD_PASSWORD }, generationMs: 400 }),
    startFakeWebui({ auth: { username: SD_USER, password: SD_PASSWORD }, generationMs: 400 }),
  ]);
  await Promise.all([start('front'), start('worker')]);
}, 90_000);

afterAll(async () => {
  await Promise.allSettled([bots.front?.stop(), bots.worker?.stop()]);
  await killAllBotProcesses();
  await Promise.allSettled([discord?.close(), webuis.front?.close(), webuis.worker?.close()]);
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

beforeEach(async () => {
  // A test that failed half-way may have left a process down; the next one starts with both.
  await Promise.all((['front', 'worker'] as const).filter((role) => bots[role].hasExited()).map(start));
  for (const webui of Object.values(webuis)) webui.configure({ generationMs: 400 });
}, 90_000);

afterEach(async () => {
  await drained();
  expect([...errors(bots.front), ...errors(bots.worker)], 'error-level log lines').toEqual([]);
}, 60_000);

describe('two bot processes on one PostgreSQL queue', { timeout: 60_000 }, () => {
  it('starts several members’ jobs across both processes in fair order when they queue up', async () => {
    const [alice, bob, carol, dave] = [member('alice'), member('bob'), member('carol'), member('dave')];
    // Each server busy with a page generation, so the first two jobs wait on them and the rest queue.
    const page = [webuis.front, webuis.worker].map((webui) =>
      webui.startExternalGeneration({ durationMs: 60_000 }),
    );
    const blockers = [await imagine(dave, 'dave 1'), await imagine(dave, 'dave 2')];
    await until(() => requestsTo(webuis.front, '/sdapi/v1/txt2img').length > 0, 'a job on the front');
    await until(() => requestsTo(webuis.worker, '/sdapi/v1/txt2img').length > 0, 'a job on the worker');
    const jobs: Submitted[] = [];
    // Sent one member after the other: first come, first served would run alice's three first.
    for (const who of [alice, bob, carol]) {
      for (const n of [1, 2, 3]) jobs.push(await imagine(who, `${who.username} ${n}`));
    }
    for (const webui of [webuis.front, webuis.worker]) {
      await fetch(`${webui.url}/sdapi/v1/interrupt`, {
        method: 'POST',
        headers: { authorization: basicAuth(SD_USER, SD_PASSWORD) },
      });
    }
    await Promise.all(page.map((generation) => generation.done));
    await delivered([...blockers, ...jobs]);

    const fair = [1, 2, 3].flatMap((n) => [alice, bob, carol].map((who) => `${who.username} ${n}`));
    const rows = await jobRows(jobs.map((job) => job.jobId));
    const started = rows.map((row) => jobs.find((job) => job.jobId === row.id)?.prompt);
    // Two claims at the same moment (one per process) may commit in either order: one place of slack.
    for (const [index, prompt] of started.entries()) {
      expect(
        Math.abs(fair.indexOf(prompt ?? '') - index),
        `${prompt} started ${index + 1}th`,
      ).toBeLessThanOrEqual(1);
    }
    const byBackend = new Set(rows.map((row) => row.backend));
    expect(byBackend).toEqual(new Set([webuis.front.url, webuis.worker.url]));
    expect([...blockers, ...jobs].map((job) => deliveries(job.handle))).toEqual(Array(11).fill(1));
  });

  it('stops a job running in the worker process when its member presses Cancel on the front', async () => {
    for (const webui of Object.values(webuis)) webui.configure({ generationMs: 4000 });
    const interrupts = { front: webuis.front.interrupts, worker: webuis.worker.interrupts };
    const jobs = [await imagine(member('erin'), 'erin 1'), await imagine(member('frank'), 'frank 1')];
    await Promise.all([webuis.front.whenGenerating(), webuis.worker.whenGenerating()]);
    const onWorker = await jobOn('worker', jobs);
    const press = discord.clickButton({
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
      () => webuis.worker.interrupts === interrupts.worker + 1,
      'the worker’s WebUI interrupted',
      WAIT_MS,
    );
    expect(webuis.front.interrupts).toBe(interrupts.front);
    const other = jobs.find((job) => job !== onWorker) as Submitted;
    await other.handle.waitForEdit(hasImage, WAIT_MS);
    await drained();
    expect((await jobRows([onWorker.jobId]))[0]?.state).toBe('cancelled');
    expect(deliveries(onWorker.handle)).toBe(0);
  });

  it('finishes a SIGKILLed worker’s job on the other process after its lease, delivered once', async () => {
    for (const webui of Object.values(webuis)) webui.configure({ generationMs: 1500 });
    const jobs = [await imagine(member('gina'), 'gina 1'), await imagine(member('hugo'), 'hugo 1')];
    await Promise.all([webuis.front.whenGenerating(), webuis.worker.whenGenerating()]);
    const victim = await jobOn('worker', jobs);
    const killedAt = Date.now();
    await bots.worker.kill();
    const retrying = victim.handle.waitForEdit(
      (message) => describedAs(message).includes('retrying'),
      WAIT_MS,
    );
    await delivered(jobs);
    const note = await retrying;
    // The note came before the image, which it did not replace.
    const edits = victim.handle.events.flatMap((event) => (event.kind === 'edit' ? [event.message] : []));
    expect(edits.findIndex((message) => describedAs(message) === describedAs(note))).toBeLessThan(
      edits.findIndex(hasImage),
    );
    expect(hasImage(victim.handle.original() as FakeMessage)).toBe(true);
    const [row] = await jobRows([victim.jobId]);
    expect(row).toMatchObject({ state: 'succeeded', attempts: 2, backend: webuis.front.url });
    const recoveryMs = Number(row?.started_at) - killedAt;
    // The lease runs out 2/3 to 3/3 of a lease after the kill (heartbeats every third), and the
    // other process looks every third of a lease: about one lease, with slack for a loaded machine.
    expect(recoveryMs).toBeGreaterThan((LEASE_SECONDS * 1000) / 2);
    expect(recoveryMs).toBeLessThan(LEASE_SECONDS * 1000 * 2 + 3000);
    process.stdout.write(`SIGKILL recovery: ${recoveryMs} ms at a ${LEASE_SECONDS} s lease\n`);
    expect(jobs.map((job) => deliveries(job.handle))).toEqual([1, 1]);
    await start('worker');
  });

  it('delivers every job once when the process that took the commands is SIGKILLed', async () => {
    for (const webui of Object.values(webuis)) webui.configure({ generationMs: 1000 });
    const members = [member('nia'), member('oli')];
    const jobs: Submitted[] = [];
    for (const n of [1, 2]) for (const who of members) jobs.push(await imagine(who, `${who.username} ${n}`));
    await Promise.all([webuis.front.whenGenerating(), webuis.worker.whenGenerating()]);
    // The gateway goes, and with it the job it was running: the worker takes that one after its
    // lease, runs the rest, and answers every member over REST with their interaction's token.
    await bots.front.kill();
    await delivered(jobs);
    await drained();
    const rows = await jobRows(jobs.map((job) => job.jobId));
    expect(rows.map((row) => row.state)).toEqual(Array(4).fill('succeeded'));
    expect(jobs.map((job) => deliveries(job.handle))).toEqual([1, 1, 1, 1]);
    await start('front');
  });

  it('loses nothing when PostgreSQL restarts: jobs sent finish once, and a job sent after runs', async () => {
    for (const webui of Object.values(webuis)) webui.configure({ generationMs: 1500 });
    const [ivy, jack] = [member('ivy'), member('jack')];
    const jobs: Submitted[] = [];
    for (const who of [ivy, jack, ivy, jack]) jobs.push(await imagine(who, `${who.username} ${jobs.length}`));
    await Promise.all([webuis.front.whenGenerating(), webuis.worker.whenGenerating()]);
    const startedAt = () => query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t');
    const before = await startedAt();
    // Down long enough that jobs answer, heartbeats and deliveries fall in the gap.
    await server.restart(2000);
    expect(await startedAt()).not.toEqual(before);
    await delivered(jobs);
    for (const webui of Object.values(webuis)) webui.configure({ generationMs: 400 });
    const after = await imagine(jack, 'jack after the restart');
    await delivered([after]);
    await drained();
    const rows = await jobRows([...jobs, after].map((job) => job.jobId));
    // Each ran once: what the servers answered while the database was away was kept, not redone.
    expect(rows.map((row) => [row.state, row.attempts])).toEqual(Array(5).fill(['succeeded', 1]));
    expect([...jobs, after].map((job) => deliveries(job.handle))).toEqual(Array(5).fill(1));
  });

  it('loses no job and delivers none twice through a rolling restart of every process', async () => {
    for (const webui of Object.values(webuis)) webui.configure({ generationMs: 700 });
    const members = [member('kim'), member('lou'), member('max')];
    const jobs: Submitted[] = [];
    for (const n of [1, 2, 3])
      for (const who of members) jobs.push(await imagine(who, `${who.username} ${n}`));
    for (const role of ['front', 'worker'] as const) {
      await webuis[role].whenGenerating();
      await bots[role].stop();
      expect(await bots[role].exited).toBe(0);
      await start(role);
    }
    await delivered(jobs);
    await drained();
    const rows = await jobRows(jobs.map((job) => job.jobId));
    expect(rows.map((row) => row.state)).toEqual(Array(9).fill('succeeded'));
    expect(jobs.map((job) => deliveries(job.handle))).toEqual(Array(9).fill(1));
  });
});
