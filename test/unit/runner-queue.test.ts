import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteJobStore } from '../../src/jobs/job-store.js';
import type { QueueNote } from '../../src/jobs/reporter.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import { createLogger } from '../../src/log.js';
import { createQueueEvents, type QueueEvents } from '../../src/queue/events.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { createSqliteJobQueue } from '../../src/queue/sqlite-queue.js';
import { type Db, openDatabase } from '../../src/store/database.js';
import { LIMITS, newJob, slot } from '../contract/job-queue-kit.js';
import { createFakeEngine, type FakeEngine, type FakeRun } from '../fakes/engine.js';

type Report = { type: string; jobId: string; note?: QueueNote };

/** One database file; each `connect` is another connection to it (with this process's events, or none shared). */
interface World {
  dir: string;
  dbs: Db[];
  events: QueueEvents;
  clock: { now: number };
  runners: JobRunner[];
}
const worlds: World[] = [];

function createWorld(): World {
  const world = {
    dir: mkdtempSync(join(tmpdir(), 'sdbot-runnerq-')),
    dbs: [],
    events: createQueueEvents(),
    clock: { now: 1_700_000_000_000 },
    runners: [],
  };
  worlds.push(world);
  return world;
}

function connect(world: World, shared = true): { db: Db; queue: JobQueue } {
  const db = openDatabase(join(world.dir, 'bot.sqlite'));
  world.dbs.push(db);
  return { db, queue: createSqliteJobQueue(db, shared ? { events: world.events } : {}) };
}

afterEach(async () => {
  for (const world of worlds.splice(0)) {
    await Promise.all(world.runners.map((runner) => runner.stop(0)));
    for (const db of world.dbs) db.close();
    rmSync(world.dir, { recursive: true, force: true });
  }
});

function startRunner(
  world: World,
  worker: string,
  engine: FakeEngine,
  leaseMs = 60_000,
  wrap: (queue: JobQueue) => JobQueue = (queue) => queue,
) {
  const { db, queue: connected } = connect(world);
  const queue = wrap(connected);
  const reports: Report[] = [];
  const push = (type: string) => async (job: { id: string }) => {
    reports.push({ type, jobId: job.id });
  };
  const runner = createJobRunner({
    queue,
    store: createSqliteJobStore(db),
    worker,
    leaseMs,
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
    now: () => world.clock.now,
    limits: { maxPendingPerUser: 10, maxQueueLength: 50 },
    progressIntervalMs: 1000,
    livePreview: false,
    concurrencyPerBackend: 1,
    maxAttempts: 2,
    probeTimeoutMs: 1000,
  });
  world.runners.push(runner);
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

describe('createJobRunner on a shared queue', () => {
  it('stops its running job when a cancel is asked from another connection', async () => {
    const world = createWorld();
    const engine = createFakeEngine('gpu');
    const { runner, reports } = startRunner(world, 'w1', engine, 150);
    await runner.start();
    const submitted = await runner.submit(newJob('alice'));
    if (!submitted.ok) throw new Error('not admitted');
    const run = await engine.run(0);
    // Another process: no events shared, so this worker learns of it from its heartbeat.
    const other = connect(world, false).queue;
    expect(await other.cancel(submitted.job.id, world.clock.now)).toBe('requested');
    await until(() => run.cancels === 1, 'the attempt to be cancelled');
    await until(() => reports.some((report) => report.type === 'cancelled'), 'the cancelled report');
    expect(await other.get(submitted.job.id)).toMatchObject({ state: 'cancelled', lockedBy: null });
  });

  it('runs again, as a retry, a job whose worker stopped renewing its lease', async () => {
    const world = createWorld();
    const other = connect(world).queue;
    const id = await enqueued(other, 'alice', world.clock.now);
    await other.claim(slot('dead', world.clock.now, { backendId: 'gpu', leaseMs: 100 }));
    const engine = createFakeEngine('gpu');
    const { runner, reports } = startRunner(world, 'w1', engine, 150);
    await runner.start();
    // At start it is another worker's, within its lease: left alone.
    expect(engine.runs).toHaveLength(0);
    world.clock.now += 1000;
    (await engine.run(0)).resolve();
    await until(() => reports.some((report) => report.type === 'finished'), 'the job to finish');
    expect(reports).toContainEqual({ type: 'queued', jobId: id, note: 'retrying' });
    expect(await other.get(id)).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('tells "retrying" before the new start of a recovered job claimed before the line was read again', async () => {
    const world = createWorld();
    const other = connect(world).queue;
    const id = await enqueued(other, 'alice', world.clock.now);
    await other.claim(slot('dead', world.clock.now, { backendId: 'gpu', leaseMs: 100 }));
    const engine = createFakeEngine('gpu');
    // Once the job is back in line, reads of the line are slow and the claim is not: it lands first.
    let recovered = false;
    const { runner, reports } = startRunner(world, 'w1', engine, 150, (queue) => ({
      ...queue,
      recoverStalled: async (now) => {
        const jobs = await queue.recoverStalled(now);
        if (jobs.length > 0) recovered = true;
        return jobs;
      },
      overview: async () => {
        if (recovered) await new Promise((resolve) => setTimeout(resolve, 100));
        return queue.overview();
      },
    }));
    await runner.start();
    world.clock.now += 1000;
    (await engine.run(0)).resolve();
    await until(() => reports.some((report) => report.type === 'finished'), 'the job to finish');
    const told = reports.filter((report) => report.jobId === id).map(({ type, note }) => [type, note]);
    expect(told.slice(told.findIndex(([, note]) => note === 'retrying'))).toEqual([
      ['queued', 'retrying'],
      ['running', undefined],
      ['finished', undefined],
    ]);
  });

  it('takes back at start the job it left running, not one another worker holds', async () => {
    const world = createWorld();
    const other = connect(world).queue;
    const mine = await enqueued(other, 'alice', world.clock.now);
    const theirs = await enqueued(other, 'bob', world.clock.now + 1);
    await other.claim(slot('w1', world.clock.now + 2, { backendId: 'gpu' }));
    await other.claim(slot('w2', world.clock.now + 2, { backendId: 'gpu2' }));
    const engine = createFakeEngine('gpu');
    const { runner, reports } = startRunner(world, 'w1', engine);
    await runner.start();
    expect(reports).toEqual([{ type: 'queued', jobId: mine, note: 'restarted' }]);
    (await engine.run(0)).resolve();
    await until(() => reports.some((report) => report.type === 'finished'), 'the job to finish');
    expect(await other.get(mine)).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(await other.get(theirs)).toMatchObject({ state: 'running', lockedBy: 'w2' });
  });

  it('never runs more jobs on a server than its capacity across two runners', async () => {
    const world = createWorld();
    const [one, two] = [createFakeEngine('gpu'), createFakeEngine('gpu')];
    const first = startRunner(world, 'w1', one);
    const second = startRunner(world, 'w2', two);
    await Promise.all([first.runner.start(), second.runner.start()]);
    for (const user of ['alice', 'bob', 'carol']) {
      world.clock.now += 1;
      await first.runner.submit(newJob(user));
    }
    await until(() => one.runs.length + two.runs.length === 1, 'one job to start');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(one.runs.length + two.runs.length).toBe(1);
    const [started] = [...one.runs, ...two.runs];
    started?.resolve();
    await until(() => one.runs.length + two.runs.length === 2, 'the next job to start');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(one.runs.length + two.runs.length).toBe(2);
    // The last job is claimed ahead by the runner of the job like it now on the server (answers at
    // once on this clock), and held: not sent while that one runs, nor taken by the other runner.
    const bobs = [...one.runs, ...two.runs].find((run) => !run.settled);
    const holder = one.runs.includes(bobs as FakeRun) ? 'w1' : 'w2';
    const [carol] = (await first.queue.running()).filter((job) => job.userId === 'carol');
    expect(carol).toMatchObject({ lockedBy: holder, backend: 'gpu' });
    expect(await first.queue.line()).toEqual([]);
    bobs?.resolve();
    await until(() => one.runs.length + two.runs.length === 3, 'the held job to start');
    expect([...one.runs, ...two.runs].filter((run) => !run.settled)).toHaveLength(1);
    // Sent by the runner that held it.
    expect((holder === 'w1' ? one : two).runs.at(-1)?.settled).toBe(false);
  });
});
