import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteJobStore } from '../../src/jobs/job-store.js';
import type { QueueNote } from '../../src/jobs/reporter.js';
import { createJobRunner, type JobRunner, type JobRunnerOptions } from '../../src/jobs/runner.js';
import { createLogger } from '../../src/log.js';
import { createQueueEvents } from '../../src/queue/events.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { createSqliteJobQueue } from '../../src/queue/sqlite-queue.js';
import { type Db, openDatabase } from '../../src/store/database.js';
import { LIMITS, newJob, slot } from '../contract/job-queue-kit.js';
import { createFakeEngine, type FakeEngine } from '../fakes/engine.js';

type Report = { type: string; jobId: string; note?: QueueNote };

const NOW = 1_700_000_000_000;
const dir = { path: '' };
const dbs: Db[] = [];
const runners: JobRunner[] = [];
const events = { current: createQueueEvents() };

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop(0)));
  for (const db of dbs.splice(0)) db.close();
  if (dir.path !== '') rmSync(dir.path, { recursive: true, force: true });
  dir.path = '';
});

/** Another connection to the test's one database file, sharing its queue events (as LISTEN would). */
function connect(): { db: Db; queue: JobQueue } {
  if (dir.path === '') {
    dir.path = mkdtempSync(join(tmpdir(), 'sdbot-views-'));
    events.current = createQueueEvents();
  }
  const db = openDatabase(join(dir.path, 'bot.sqlite'));
  dbs.push(db);
  return { db, queue: createSqliteJobQueue(db, { events: events.current }) };
}

/** A runner as one bot process on the shared queue; `options` its role's switches. */
function startRunner(
  worker: string,
  engine: FakeEngine,
  options: Pick<JobRunnerOptions, 'runsJobs' | 'sharedQueue' | 'announcesLine' | 'announces'> = {},
) {
  const { db, queue } = connect();
  const reports: Report[] = [];
  const push = (type: string) => async (job: { id: string }) => {
    reports.push({ type, jobId: job.id });
  };
  const runner = createJobRunner({
    ...options,
    queue,
    store: createSqliteJobStore(db),
    worker,
    backends: [{ id: engine.id, engine }],
    reporter: {
      queued: async (job, _position, _total, note) => {
        reports.push({ type: 'queued', jobId: job.id, note });
      },
      running: push('running'),
      finished: push('finished'),
      failed: push('failed'),
      cancelled: push('cancelled'),
      imageArrived: () => undefined,
      keepReachable: async () => undefined,
    },
    log: createLogger({ level: 'silent' }),
    now: () => NOW,
    limits: { maxPendingPerUser: 1, maxQueueLength: 3 },
    progressIntervalMs: 1000,
    livePreview: false,
    concurrencyPerBackend: 1,
    maxAttempts: 2,
    probeTimeoutMs: 1000,
  });
  runners.push(runner);
  return { runner, reports, queue };
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function enqueued(queue: JobQueue, userId: string, now: number): Promise<string> {
  const result = await queue.enqueue(newJob(userId), LIMITS, now);
  if (!result.ok) throw new Error(result.reason);
  return result.job.id;
}

describe('createJobRunner views across processes', () => {
  it('counts another process’s running jobs in /queue and in admission', async () => {
    const other = connect().queue;
    const alices = await enqueued(other, 'alice', NOW);
    await enqueued(other, 'bob', NOW + 1);
    await other.claim(slot('w2', NOW + 2, { backendId: 'elsewhere' }));
    const { runner } = startRunner('gateway-1', createFakeEngine('gpu'), { runsJobs: false });
    await runner.start();
    expect(runner.queue().map((job) => [job.id, job.state])).toEqual([
      [alices, 'running'],
      [expect.any(String), 'queued'],
    ]);
    // Alice's one job runs on the other process: her cap (1) is reached; Bob's too (queued).
    expect(runner.admission('alice')).toEqual({ ok: false, reason: 'user-limit', limit: 1 });
    expect(runner.admission('carol')).toEqual({ ok: true });
    await enqueued(other, 'carol', NOW + 3);
    await until(() => runner.queue().length === 3, 'the third job seen');
    expect(runner.admission('dave')).toEqual({ ok: false, reason: 'queue-full', limit: 3 });
  });

  it('claims nothing as a gateway, announces the place, and leaves the job to a worker', async () => {
    const gatewayEngine = createFakeEngine('gpu');
    const gateway = startRunner('gateway-1', gatewayEngine, { runsJobs: false });
    await gateway.runner.start();
    const submitted = await gateway.runner.submit(newJob('alice'));
    if (!submitted.ok) throw new Error('not admitted');
    await until(() => gateway.reports.some((report) => report.type === 'queued'), 'the place announced');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gatewayEngine.runs).toHaveLength(0);
    expect(await gateway.queue.get(submitted.job.id)).toMatchObject({ state: 'queued' });

    const workerEngine = createFakeEngine('gpu');
    const worker = startRunner('worker-1', workerEngine, { announcesLine: false, sharedQueue: true });
    await worker.runner.start();
    (await workerEngine.run(0)).resolve();
    await until(() => worker.reports.some((report) => report.type === 'finished'), 'the job to finish');
    expect(gatewayEngine.runs).toHaveLength(0);
    expect(worker.reports.filter((report) => report.type === 'queued')).toEqual([]);
    expect(await gateway.queue.get(submitted.job.id)).toMatchObject({ state: 'succeeded' });
  });

  it('tells places in line only to the jobs of the guilds it carries', async () => {
    const other = connect().queue;
    const ours = await other.enqueue({ ...newJob('alice'), guildId: 'ours' }, LIMITS, NOW);
    const theirs = await other.enqueue({ ...newJob('bob'), guildId: 'theirs' }, LIMITS, NOW + 1);
    if (!ours.ok || !theirs.ok) throw new Error('not admitted');
    const { runner, reports } = startRunner('gateway-0', createFakeEngine('gpu'), {
      runsJobs: false,
      sharedQueue: true,
      announces: (job) => job.guildId === 'ours',
    });
    await runner.start();
    await until(() => reports.some((report) => report.type === 'queued'), 'a place announced');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const told = new Set(reports.filter((report) => report.type === 'queued').map((report) => report.jobId));
    expect([...told]).toEqual([ours.job.id]);
  });

  it.each([
    [true, ['mine']],
    [false, ['mine', 'waiting']],
  ])('tells "restarted" only its own taken-back job when the queue is shared (%s)', async (shared, told) => {
    const other = connect().queue;
    const ids: Record<string, string> = {
      mine: await enqueued(other, 'alice', NOW),
      waiting: await enqueued(other, 'bob', NOW + 1),
    };
    await other.claim(slot('w1', NOW + 2, { backendId: 'gpu' }));
    const { runner, reports } = startRunner('w1', createFakeEngine('gpu'), { sharedQueue: shared });
    await runner.start();
    const restarted = reports.filter((report) => report.note === 'restarted').map((report) => report.jobId);
    expect(restarted.sort()).toEqual(told.map((name) => ids[name]).sort());
  });
});
