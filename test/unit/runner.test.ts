import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SdOutOfMemoryError, SdServerError, SdUnreachableError } from '../../src/engines/errors.js';
import type { CancelOutcome, EngineProgress, EngineResult } from '../../src/engines/types.js';
import type { GenerationParams } from '../../src/generation/request.js';
import { canRun } from '../../src/jobs/eligibility.js';
import { CLAIM_WAIT_MS } from '../../src/jobs/execute.js';
import type { ImageStore } from '../../src/jobs/image-store.js';
import { createSqliteJobStore, type JobStore } from '../../src/jobs/job-store.js';
import type { QueueNote } from '../../src/jobs/reporter.js';
import { type CancelResult, createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import type { Job, NewJob } from '../../src/jobs/types.js';
import { createLogger } from '../../src/log.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { createSqliteJobQueue } from '../../src/queue/sqlite-queue.js';
import { type Db, openDatabase } from '../../src/store/database.js';
import { createFakeEngine, type FakeEngine } from '../fakes/engine.js';

/** An image handed over before its job's answer was whole, and how many reports had gone out by then. */
interface Arrival {
  jobId: string;
  image: Buffer;
  reportsBefore: number;
}

type Report =
  | { type: 'queued'; jobId: string; position: number; total: number; note: QueueNote }
  | { type: 'running'; jobId: string; progress: EngineProgress | null }
  | { type: 'finished'; jobId: string; result: EngineResult; kept?: Promise<void> | undefined }
  | { type: 'failed'; jobId: string; error: unknown }
  | { type: 'cancelled'; jobId: string };

const PARAMS: GenerationParams = {
  prompt: 'a lighthouse',
  negativePrompt: '',
  seed: 42,
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  count: 1,
  sampler: 'Euler a',
  scheduler: undefined,
  model: undefined,
};

function newJob(userId: string, prompt: string, overrides: Partial<NewJob> = {}): NewJob {
  return {
    kind: 'txt2img',
    userId,
    guildId: 'guild-1',
    channelId: 'channel-1',
    applicationId: 'app-1',
    interactionToken: `token-${prompt}`,
    tokenExpiresAt: Number.MAX_SAFE_INTEGER,
    params: { ...PARAMS, prompt },
    parentId: null,
    ...overrides,
  };
}

const upscaleJob = (userId: string, prompt: string): NewJob =>
  newJob(userId, prompt, {
    kind: 'upscale',
    params: {
      ...PARAMS,
      prompt,
      initImage: 'iVBORw0KGgo=',
      upscale: { upscaler: 'R-ESRGAN 4x+', factor: 2 },
    },
  });

interface World {
  dir: string;
  db: Db;
  store: JobStore;
  clock: { now: number };
  runners: JobRunner[];
}

const worlds: World[] = [];
const tick = () => {
  const world = worlds.at(-1);
  if (world !== undefined) world.clock.now += 1;
};

function createWorld(): World {
  const dir = mkdtempSync(join(tmpdir(), 'sdbot-runner-'));
  const db = openDatabase(join(dir, 'jobs.sqlite'));
  const world = { dir, db, store: createSqliteJobStore(db), clock: { now: 1_700_000_000_000 }, runners: [] };
  worlds.push(world);
  return world;
}

afterEach(async () => {
  for (const world of worlds.splice(0)) {
    await Promise.all(world.runners.map((runner) => runner.stop(0)));
    world.db.close();
    rmSync(world.dir, { recursive: true, force: true });
  }
});

interface Started {
  runner: JobRunner;
  engines: FakeEngine[];
  reports: Report[];
  arrivals: Arrival[];
  store: JobStore;
}

interface RunnerSetup {
  engines?: FakeEngine[];
  concurrency?: number;
  images?: ImageStore;
  keptWaitMs?: number;
  maxAttempts?: number;
  eligibility?: boolean;
  claimAheadMs?: number;
  /** Wraps the real SQLite queue (to hold a step back, say). */
  queue?: (queue: JobQueue) => JobQueue;
}

function createRunner(world: World, setup: RunnerSetup = {}): Started {
  const engines = setup.engines ?? [createFakeEngine('fake-1')];
  const reports: Report[] = [];
  const arrivals: Arrival[] = [];
  const runner = createJobRunner({
    queue: (setup.queue ?? ((queue: JobQueue) => queue))(createSqliteJobQueue(world.db)),
    store: world.store,
    backends: engines.map((engine) => ({ id: engine.id, engine })),
    reporter: {
      queued: async (job, position, total, note) => {
        reports.push({ type: 'queued', jobId: job.id, position, total, note });
      },
      running: async (job, progress) => {
        reports.push({ type: 'running', jobId: job.id, progress });
      },
      finished: async (job, result, kept) => {
        reports.push({ type: 'finished', jobId: job.id, result, kept });
      },
      failed: async (job, error) => {
        reports.push({ type: 'failed', jobId: job.id, error });
      },
      cancelled: async (job) => {
        reports.push({ type: 'cancelled', jobId: job.id });
      },
      imageArrived: (job, image) => {
        arrivals.push({ jobId: job.id, image, reportsBefore: reports.length });
      },
      keepReachable: async () => undefined,
    },
    log: createLogger({ level: 'silent' }),
    now: () => world.clock.now,
    limits: { maxPendingPerUser: 10, maxQueueLength: 50 },
    progressIntervalMs: 1000,
    livePreview: false,
    concurrencyPerBackend: setup.concurrency ?? 1,
    ...(setup.images === undefined ? {} : { images: setup.images }),
    ...(setup.keptWaitMs === undefined ? {} : { keptWaitMs: setup.keptWaitMs }),
    ...(setup.claimAheadMs === undefined ? {} : { claimAheadMs: setup.claimAheadMs }),
    maxAttempts: setup.maxAttempts ?? 2,
    probeTimeoutMs: 1000,
    ...(setup.eligibility === true
      ? {
          eligible: (job: Pick<Job, 'kind' | 'params'>, backendId: string, pool: JobRunner['pool']) => {
            const engine = pool.engine(backendId);
            return (
              engine !== undefined &&
              canRun(job, {
                capabilities: engine.capabilities,
                loadedModel: pool.views().find((view) => view.id === backendId)?.loadedModel,
                sameModel: (a, b) => a === b,
              })
            );
          },
        }
      : {}),
  });
  world.runners.push(runner);
  return { runner, engines, reports, arrivals, store: world.store };
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Long enough for the runner to dispatch (microtasks, a few timer turns) if it were going to. */
const settleALittle = () => new Promise((resolve) => setTimeout(resolve, 60));

/** Submits one job a millisecond after the previous one (same-instant jobs would tie on their random ids). */
async function submitted(runner: JobRunner, job: NewJob): Promise<Job> {
  tick();
  const result = await runner.submit(job);
  if (!result.ok) throw new Error(`not admitted: ${result.reason}`);
  return result.job;
}

const serverError = (backend: string) =>
  new SdServerError(`${backend} answered 500`, {
    backend,
    detail: 'RuntimeError',
    errorType: 'RuntimeError',
  });

const promptOf = (engine: FakeEngine, index: number) =>
  (engine.runs[index]?.request as { prompt?: string } | undefined)?.prompt;

const deferred = () => {
  let release: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
};

describe('createJobRunner', () => {
  it('runs a job to success, stores the result and reports each step when the engine answers', async () => {
    const world = createWorld();
    const { runner, engines, reports, store } = createRunner(world);
    const engine = engines[0] as FakeEngine;
    await runner.start();
    const job = await submitted(runner, newJob('alice', 'a lighthouse'));
    expect(store.get(job.id)?.state).toBe('queued');

    const run = await engine.run(0);
    const startedAt = world.clock.now;
    expect(store.get(job.id)).toMatchObject({ state: 'running', backend: 'fake-1', attempts: 1, startedAt });
    expect((run.request as { prompt: string; seed: number }).prompt).toBe('a lighthouse');
    expect(reports).toContainEqual({ type: 'running', jobId: job.id, progress: null });
    expect(runner.backends()[0]?.state).toBe('busy');

    world.clock.now += 1500;
    run.resolve({ seeds: [7], model: 'the-model', infotexts: ['info'] });
    await until(() => store.get(job.id)?.state === 'succeeded', 'the job to succeed');
    expect(store.get(job.id)).toMatchObject({
      finishedAt: startedAt + 1500,
      result: {
        seeds: [7],
        model: 'the-model',
        modelHash: 'abc123',
        sampler: 'Euler a',
        infotexts: ['info'],
        durationMs: 1500,
        backend: 'fake-1',
      },
    });
    await until(() => reports.some((report) => report.type === 'finished'), 'the finished report');
    const finished = reports.find((report) => report.type === 'finished');
    expect(finished?.jobId).toBe(job.id);
    expect(finished?.type === 'finished' && finished.result.images).toEqual([Buffer.from('fake-1 image 0')]);
    expect(runner.backends()[0]?.state).toBe('idle');
    expect(runner.queue()).toEqual([]);
  });

  it('hands the reporter the keeping of the originals, settled once they are kept, when keeping fails, or after its wait', async () => {
    const saves: { jobId: string; images: readonly Buffer[]; done: ReturnType<typeof deferred> }[] = [];
    const images: ImageStore = {
      save(jobId, kept) {
        const done = deferred();
        saves.push({ jobId, images: kept, done });
        return saves.length === 1
          ? done.promise
          : done.promise.then(() => Promise.reject(new Error('disk full')));
      },
      get: async () => undefined,
      count: () => 0,
      remove: async () => undefined,
      pruneBefore: async () => 0,
    };
    const world = createWorld();
    const { runner, engines, reports } = createRunner(world, { images, keptWaitMs: 400 });
    const engine = engines[0] as FakeEngine;
    await runner.start();
    // Kept; failed to keep; never kept (a stuck disk): the reply waits for the first two, and 400 ms for the last.
    for (const prompt of ['first', 'second', 'third']) {
      const job = await submitted(runner, newJob('alice', prompt));
      (await engine.run(saves.length)).resolve({ seeds: [7] });
      await until(
        () => reports.some((report) => report.type === 'finished' && report.jobId === job.id),
        prompt,
      );
      const finished = reports.find((report) => report.type === 'finished' && report.jobId === job.id);
      const kept = finished?.type === 'finished' ? finished.kept : undefined;
      expect(saves.at(-1)?.jobId).toBe(job.id);
      expect(saves.at(-1)?.images).toBe(finished?.type === 'finished' ? finished.result.images : undefined);
      const state = { settled: false };
      const since = Date.now();
      void kept?.then(() => {
        state.settled = true;
      });
      await settleALittle();
      expect(state.settled).toBe(false);
      if (prompt !== 'third') saves.at(-1)?.done.release();
      await until(() => state.settled, `${prompt}: the keeping to settle`);
      if (prompt === 'third') expect(Date.now() - since).toBeGreaterThanOrEqual(300);
      else expect(Date.now() - since).toBeLessThan(300);
    }
  });

  it('hands each image of an answer to the reporter before the finished report, as the same buffers', async () => {
    const world = createWorld();
    const { runner, engines, reports, arrivals } = createRunner(world);
    const engine = engines[0] as FakeEngine;
    await runner.start();
    const job = await submitted(
      runner,
      newJob('alice', 'a pair', { params: { ...PARAMS, prompt: 'a pair', count: 2 } }),
    );
    const run = await engine.run(0);
    expect(arrivals).toEqual([]);

    run.resolve();
    await until(() => reports.some((report) => report.type === 'finished'), 'the finished report');
    const finished = reports.find((report) => report.type === 'finished');
    const images = finished?.type === 'finished' ? finished.result.images : [];
    expect(images).toHaveLength(2);
    expect(arrivals.map((arrival) => arrival.jobId)).toEqual([job.id, job.id]);
    // The very buffers of the result, so work started on them is not done again.
    expect(arrivals[0]?.image).toBe(images[0]);
    expect(arrivals[1]?.image).toBe(images[1]);
    const finishedAt = reports.indexOf(finished as Report);
    for (const arrival of arrivals) expect(arrival.reportsBefore).toBeLessThanOrEqual(finishedAt);
  });

  it('hands over no image of a job cancelled while its server works', async () => {
    const world = createWorld();
    const { runner, engines, reports, arrivals, store } = createRunner(world);
    const engine = engines[0] as FakeEngine;
    await runner.start();
    const job = await submitted(
      runner,
      newJob('alice', 'cancelled pair', { params: { ...PARAMS, prompt: 'cancelled pair', count: 2 } }),
    );
    const run = await engine.run(0);
    engine.cancelOutcome = 'discard';
    await runner.cancel(job.id);
    await until(() => store.get(job.id)?.state === 'cancelled', 'the job to be cancelled');

    run.resolve();
    await until(() => runner.backends()[0]?.state === 'idle', 'the server to be free again');
    // The answer is read on once the next claim is made, or after CLAIM_WAIT_MS at most.
    await settleALittle();
    expect(arrivals).toEqual([]);
    expect(reports.some((report) => report.type === 'finished')).toBe(false);
  });

  it('claims for a backend that freed while another backend’s claim is still on its way', async () => {
    const world = createWorld();
    let openGate: () => void = () => undefined;
    let held: Promise<void> | undefined;
    const { runner, engines, reports } = createRunner(world, {
      engines: [createFakeEngine('fake-1'), createFakeEngine('fake-2')],
      // fake-1's next claim waits until the test lets it go, as a slow database would make it.
      queue: (queue) => ({
        ...queue,
        async claim(request) {
          if (request.backendId === 'fake-1' && held !== undefined) await held;
          return queue.claim(request);
        },
      }),
    });
    const [first, second] = engines as [FakeEngine, FakeEngine];
    await runner.start();
    for (const prompt of ['one', 'two', 'three', 'four'])
      await submitted(runner, newJob(`u-${prompt}`, prompt));
    const [one, two] = [await first.run(0), await second.run(0)];
    held = new Promise((resolve) => {
      openGate = resolve;
    });
    one.resolve();
    await until(() => reports.some((report) => report.type === 'finished'), 'the first job to finish');
    two.resolve();
    // fake-2 gets the next job although fake-1's claim has not come back.
    const third = await second.run(1);
    expect(first.runs).toHaveLength(1);
    openGate();
    const fourth = await first.run(1);
    expect([third.request, fourth.request].map((request) => (request as { prompt: string }).prompt)).toEqual([
      'three',
      'four',
    ]);
  });

  it('has an answer that freed its backend read on once the next job there is claimed, or after CLAIM_WAIT_MS', async () => {
    const world = createWorld();
    let openGate: () => void = () => undefined;
    let held: Promise<void> | undefined;
    const { runner, engines } = createRunner(world, {
      queue: (queue) => ({
        ...queue,
        async claim(request) {
          if (held !== undefined) await held;
          return queue.claim(request);
        },
      }),
    });
    const [engine] = engines as [FakeEngine];
    await runner.start();
    for (const prompt of ['one', 'two', 'three']) await submitted(runner, newJob(`u-${prompt}`, prompt));
    const one = await engine.run(0);
    // A quick claim: by the time the hand-over settles, the next job is on the server.
    await one.options.onFree?.();
    expect(engine.runs).toHaveLength(2);
    one.resolve();
    // A claim that does not come back: the answer waits for it no longer than CLAIM_WAIT_MS.
    held = new Promise((resolve) => {
      openGate = resolve;
    });
    const two = await engine.run(1);
    const began = performance.now();
    await two.options.onFree?.();
    const waited = performance.now() - began;
    expect(waited).toBeGreaterThanOrEqual(CLAIM_WAIT_MS - 2);
    expect(waited).toBeLessThan(CLAIM_WAIT_MS + 500);
    expect(engine.runs).toHaveLength(2);
    openGate();
    two.resolve();
    expect(((await engine.run(2)).request as { prompt: string }).prompt).toBe('three');
  });

  it('retries a job on the other backend and says so when its backend becomes unreachable', async () => {
    const world = createWorld();
    const { runner, engines, reports, store } = createRunner(world, {
      engines: [createFakeEngine('fake-1'), createFakeEngine('fake-2')],
    });
    const [first, second] = engines as [FakeEngine, FakeEngine];
    await runner.start();
    const job = await submitted(runner, newJob('alice', 'retried'));
    (await first.run(0)).reject(
      new SdUnreachableError('fake-1 refused the connection', { backend: 'fake-1' }),
    );

    const again = await second.run(0);
    expect((again.request as { prompt: string }).prompt).toBe('retried');
    expect(store.get(job.id)).toMatchObject({ state: 'running', backend: 'fake-2', attempts: 2 });
    expect(reports).toContainEqual(
      expect.objectContaining({ type: 'queued', jobId: job.id, note: 'retrying' }),
    );
    // The first backend left the rotation.
    expect(runner.backends().map((backend) => backend.state)).toEqual(['down', 'busy']);

    again.resolve();
    await until(() => store.get(job.id)?.state === 'succeeded', 'the retried job to succeed');
    expect(store.get(job.id)?.result?.backend).toBe('fake-2');
    expect(first.runs).toHaveLength(1);
    expect(reports.some((report) => report.type === 'failed')).toBe(false);
  });

  it('retries on the other backend after a server error, though the failed one is free again', async () => {
    const world = createWorld();
    const { runner, engines, store } = createRunner(world, {
      engines: [createFakeEngine('fake-1'), createFakeEngine('fake-2')],
      maxAttempts: 3,
    });
    const [first, second] = engines as [FakeEngine, FakeEngine];
    await runner.start();
    const job = await submitted(runner, newJob('alice', 'retried'));
    // A server error does not take the backend out of the rotation: both are free for the retry.
    (await first.run(0)).reject(serverError('fake-1'));
    const again = await second.run(0);
    expect(store.get(job.id)).toMatchObject({ state: 'running', backend: 'fake-2', attempts: 2 });
    expect(runner.backends().map((backend) => backend.state)).toEqual(['idle', 'busy']);
    expect(first.runs).toHaveLength(1);

    // Failing there too, its third attempt may go back to the first.
    again.reject(serverError('fake-2'));
    (await first.run(1)).resolve();
    await until(() => store.get(job.id)?.state === 'succeeded', 'the third attempt to succeed');
    expect(store.get(job.id)).toMatchObject({ attempts: 3, result: { backend: 'fake-1' } });
  });

  it('retries on the same backend when no other one can take the job', async () => {
    const world = createWorld();
    const plain = createFakeEngine('fake-plain', { capabilities: { upscale: false } });
    const upscaler = createFakeEngine('fake-upscaler');
    const { runner, store } = createRunner(world, { engines: [plain, upscaler], eligibility: true });
    await runner.start();
    const job = await submitted(runner, upscaleJob('alice', 'up'));
    (await upscaler.run(0)).reject(serverError('fake-upscaler'));
    (await upscaler.run(1)).resolve();
    await until(() => store.get(job.id)?.state === 'succeeded', 'the retry to succeed');
    expect(store.get(job.id)?.attempts).toBe(2);
    expect(plain.runs).toHaveLength(0);
  });

  it('fails a job at once without a retry when the server runs out of memory', async () => {
    const world = createWorld();
    const { runner, engines, reports, store } = createRunner(world, {
      engines: [createFakeEngine('fake-1'), createFakeEngine('fake-2')],
    });
    const [first, second] = engines as [FakeEngine, FakeEngine];
    await runner.start();
    const job = await submitted(runner, newJob('alice', 'too big'));
    const oom = new SdOutOfMemoryError('CUDA out of memory', {
      backend: 'fake-1',
      detail: 'CUDA out of memory',
    });
    (await first.run(0)).reject(oom);

    await until(() => store.get(job.id)?.state === 'failed', 'the job to fail');
    expect(store.get(job.id)).toMatchObject({ error: 'out-of-memory', attempts: 1 });
    await until(() => reports.some((report) => report.type === 'failed'), 'the failed report');
    expect(reports.find((report) => report.type === 'failed')).toEqual({
      type: 'failed',
      jobId: job.id,
      error: oom,
    });
    await settleALittle();
    expect(first.runs.length + second.runs.length).toBe(1);
    expect(reports.some((report) => report.type === 'queued' && report.note === 'retrying')).toBe(false);
    // Out of memory is the job's fault, not the server's: both stay in the rotation.
    expect(runner.backends().map((backend) => backend.state)).toEqual(['idle', 'idle']);
  });

  it('cancels a queued job before it reaches the engine', async () => {
    const world = createWorld();
    const { runner, engines, reports, store } = createRunner(world);
    const engine = engines[0] as FakeEngine;
    await runner.start();
    const running = await submitted(runner, newJob('alice', 'first'));
    const waiting = await submitted(runner, newJob('bob', 'second'));
    const run = await engine.run(0);
    expect(runner.position(waiting.id)).toEqual({ position: 1, total: 1 });

    expect(await runner.cancel(waiting.id)).toBe('cancelled');
    expect(store.get(waiting.id)?.state).toBe('cancelled');
    expect(reports).toContainEqual({ type: 'cancelled', jobId: waiting.id });
    expect(runner.position(waiting.id)).toBeUndefined();
    expect(await runner.cancel(waiting.id)).toBe('already-cancelled');
    expect(await runner.cancel('no-such-job')).toBe('not-found');

    run.resolve();
    await until(() => store.get(running.id)?.state === 'succeeded', 'the first job to finish');
    await settleALittle();
    expect(engine.runs).toHaveLength(1);
    expect(await runner.cancel(running.id)).toBe('finished');
  });

  it.each([
    ['interrupted', 'interrupting'],
    ['pending', 'pending'],
    ['discard', 'discarding'],
    ['dequeued', 'cancelled'],
  ] as [CancelOutcome, CancelResult][])(
    'ends a running job cancelled at once and keeps its slot until the server answers when the engine says %s',
    async (outcome, expected) => {
      const world = createWorld();
      const { runner, engines, reports, store } = createRunner(world);
      const engine = engines[0] as FakeEngine;
      await runner.start();
      const running = await submitted(runner, newJob('alice', 'cancelled one'));
      const next = await submitted(runner, newJob('bob', 'next one'));
      const run = await engine.run(0);

      engine.cancelOutcome = outcome;
      expect(await runner.cancel(running.id)).toBe(expected);
      expect(run.cancels).toBe(1);
      // A second press does not ask the server again.
      await runner.cancel(running.id);
      expect(run.cancels).toBe(1);

      await until(() => store.get(running.id)?.state === 'cancelled', 'the job to be cancelled');
      await until(() => reports.some((report) => report.type === 'cancelled'), 'the cancelled report');
      // The server is still busy with it: nothing else goes to this concurrency-1 backend yet.
      await settleALittle();
      expect(engine.runs).toHaveLength(1);
      expect(store.get(next.id)?.state).toBe('queued');
      expect(runner.backends()[0]).toMatchObject({ state: 'busy', running: 1 });

      // Its late answer is thrown away; then the next job starts.
      run.resolve();
      const second = await engine.run(1);
      expect((second.request as { prompt: string }).prompt).toBe('next one');
      expect(store.get(running.id)).toMatchObject({ state: 'cancelled', result: null });
      expect(reports.some((report) => report.type === 'finished' && report.jobId === running.id)).toBe(false);
      expect(reports.filter((report) => report.type === 'cancelled')).toHaveLength(1);
    },
  );

  it('frees the slot of a cancelled job when the server answers with an error', async () => {
    const world = createWorld();
    const { runner, engines, reports, store } = createRunner(world);
    const engine = engines[0] as FakeEngine;
    await runner.start();
    const running = await submitted(runner, newJob('alice', 'cancelled one'));
    await submitted(runner, newJob('bob', 'next one'));
    const run = await engine.run(0);
    engine.cancelOutcome = 'interrupted';
    expect(await runner.cancel(running.id)).toBe('interrupting');
    await until(() => store.get(running.id)?.state === 'cancelled', 'the job to be cancelled');
    await settleALittle();
    expect(engine.runs).toHaveLength(1);

    run.reject(new SdOutOfMemoryError('interrupted midway', { backend: 'fake-1', detail: 'x' }));
    await engine.run(1);
    expect(store.get(running.id)?.state).toBe('cancelled');
    expect(reports.some((report) => report.type === 'failed')).toBe(false);
  });

  it('puts a job still running past the grace period back in line when it stops', async () => {
    const world = createWorld();
    const { runner, engines, store } = createRunner(world);
    const engine = engines[0] as FakeEngine;
    await runner.start();
    const running = await submitted(runner, newJob('alice', 'long one'));
    const waiting = await submitted(runner, newJob('bob', 'waiting'));
    const run = await engine.run(0);

    await runner.stop(100);
    expect(store.get(running.id)).toMatchObject({ state: 'queued', backend: null });
    expect(store.get(waiting.id)?.state).toBe('queued');
    // Its own work on the server was stopped, and the request dropped.
    expect(run.cancels).toBe(1);
    expect(run.settled).toBe(true);
    expect(runner.isAccepting()).toBe(false);
    expect((await runner.submit(newJob('carol', 'too late'))).ok).toBe(true);
    await settleALittle();
    expect(engine.runs).toHaveLength(1);
  });

  it('lets a running job finish within the grace period when it stops', async () => {
    const world = createWorld();
    const { runner, engines, store } = createRunner(world);
    const engine = engines[0] as FakeEngine;
    await runner.start();
    const running = await submitted(runner, newJob('alice', 'quick one'));
    const run = await engine.run(0);
    const stopping = runner.stop(5000);
    setTimeout(() => run.resolve(), 50);
    await stopping;
    expect(store.get(running.id)?.state).toBe('succeeded');
    expect(run.cancels).toBe(0);
  });

  it('reloads unfinished jobs at start, a running one back in line as restarted', async () => {
    const world = createWorld();
    const older = world.store.create(newJob('alice', 'was running'), world.clock.now);
    world.store.update(older.id, {
      state: 'running',
      backend: 'fake-1',
      attempts: 1,
      startedAt: world.clock.now,
    });
    world.clock.now += 10;
    const newer = world.store.create(newJob('bob', 'was waiting'), world.clock.now);
    world.clock.now += 10;

    const { runner, engines, reports, store } = createRunner(world);
    const engine = engines[0] as FakeEngine;
    const gate = deferred();
    engine.probeGate = gate.promise;
    await runner.start();
    expect(store.get(older.id)).toMatchObject({ state: 'queued', backend: null });
    expect(store.get(newer.id)?.state).toBe('queued');
    expect(reports).toEqual([
      { type: 'queued', jobId: older.id, position: 1, total: 2, note: 'restarted' },
      { type: 'queued', jobId: newer.id, position: 2, total: 2, note: 'restarted' },
    ]);
    // Nothing runs before the server's first probe.
    await settleALittle();
    expect(engine.runs).toHaveLength(0);

    gate.release();
    (await engine.run(0)).resolve();
    (await engine.run(1)).resolve();
    expect([promptOf(engine, 0), promptOf(engine, 1)]).toEqual(['was running', 'was waiting']);
    await until(() => store.get(newer.id)?.state === 'succeeded', 'both jobs to finish');
    expect(store.get(older.id)).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('keeps who was served last across a new runner on the same database', async () => {
    const world = createWorld();
    const first = createRunner(world);
    await first.runner.start();
    const served = await submitted(first.runner, newJob('alice', 'alice 1'));
    (await (first.engines[0] as FakeEngine).run(0)).resolve();
    await until(() => first.store.get(served.id)?.state === 'succeeded', 'the first job');
    await first.runner.stop(0);
    expect([...world.store.servedHistory().keys()]).toEqual(['alice']);

    // A new process: alice's second job is older than bob's first, but alice was served last.
    const second = createRunner(world);
    const engine = second.engines[0] as FakeEngine;
    const gate = deferred();
    engine.probeGate = gate.promise;
    await second.runner.start();
    world.clock.now += 10;
    const aliceAgain = await submitted(second.runner, newJob('alice', 'alice 2'));
    world.clock.now += 10;
    const bob = await submitted(second.runner, newJob('bob', 'bob 1'));
    expect(second.runner.position(bob.id)).toEqual({ position: 1, total: 2 });
    expect(second.runner.position(aliceAgain.id)).toEqual({ position: 2, total: 2 });

    gate.release();
    (await engine.run(0)).resolve();
    await engine.run(1);
    expect([promptOf(engine, 0), promptOf(engine, 1)]).toEqual(['bob 1', 'alice 2']);
  });

  it('never sends an upscale to a backend that cannot upscale', async () => {
    const world = createWorld();
    const plain = createFakeEngine('fake-plain', { capabilities: { upscale: false } });
    const upscaler = createFakeEngine('fake-upscaler');
    const { runner, store } = createRunner(world, { engines: [plain, upscaler], eligibility: true });
    await runner.start();
    // Both free: the first backend in order would take it, were it not for its capabilities.
    const first = await submitted(runner, upscaleJob('alice', 'up 1'));
    const firstRun = await upscaler.run(0);
    expect(firstRun.kind).toBe('upscale');
    expect(store.get(first.id)?.backend).toBe('fake-upscaler');

    // The upscaler is busy: a second upscale waits, while a txt2img behind it takes the free backend.
    const second = await submitted(runner, upscaleJob('bob', 'up 2'));
    const text = await submitted(runner, newJob('carol', 'plain text'));
    const textRun = await plain.run(0);
    expect(textRun.kind).toBe('generate');
    expect(store.get(text.id)?.backend).toBe('fake-plain');
    await settleALittle();
    expect(store.get(second.id)?.state).toBe('queued');
    textRun.resolve();
    await until(() => store.get(text.id)?.state === 'succeeded', 'the txt2img job');
    await settleALittle();
    expect(store.get(second.id)?.state).toBe('queued');
    expect(plain.runs).toHaveLength(1);

    firstRun.resolve();
    expect((await upscaler.run(1)).kind).toBe('upscale');
    expect(store.get(second.id)?.backend).toBe('fake-upscaler');
    expect(plain.calls).not.toContain('upscale');
  });
});

describe('createJobRunner claiming ahead', () => {
  /**
   * Three jobs on one backend; the first one's answer comes 50 ms (on the runner's clock) after it
   * was sent, so the second, when like it, has a foreseen answer: the third is claimed 10 ms after
   * the second is sent (with a 40 ms lead).
   */
  async function heldBehindSecond(setup: RunnerSetup = {}, second: Partial<GenerationParams> = {}) {
    const world = createWorld();
    const started = createRunner(world, { claimAheadMs: 40, ...setup });
    const engine = started.engines[0] as FakeEngine;
    await started.runner.start();
    const jobs = [
      await submitted(started.runner, newJob('alice', 'one')),
      await submitted(
        started.runner,
        newJob('bob', 'two', { params: { ...PARAMS, prompt: 'two', ...second } }),
      ),
      await submitted(started.runner, newJob('carol', 'three')),
    ];
    const one = await engine.run(0);
    world.clock.now += 50;
    one.resolve();
    const two = await engine.run(1);
    return { ...started, world, engine, jobs, two };
  }

  it('claims the next job just before a like job is due to answer, and sends it once that answer begins', async () => {
    const { engine, store, jobs, two } = await heldBehindSecond();
    const third = jobs[2] as Job;
    await until(() => store.get(third.id)?.state === 'running', 'the third job to be claimed ahead');
    // Held, not sent: the server still has one job of ours.
    expect(store.get(third.id)).toMatchObject({ backend: 'fake-1', attempts: 1 });
    await settleALittle();
    expect(engine.runs).toHaveLength(2);
    // Sent as the answer begins, before the hand-over settles (no claim to wait for).
    const handedOver = two.options.onFree?.();
    expect(engine.runs).toHaveLength(3);
    expect(promptOf(engine, 2)).toBe('three');
    await handedOver;
    expect(engine.runs[1]?.settled).toBe(false);
    two.resolve();
    (await engine.run(2)).resolve();
    await until(() => store.get(third.id)?.state === 'succeeded', 'the third job');
    expect(store.get(third.id)?.attempts).toBe(1);
  });

  it('claims nothing ahead behind a job unlike the last one, nor with claimAheadMs 0', async () => {
    for (const [setup, second] of [
      [{}, { width: 768 }],
      [{ claimAheadMs: 0 }, {}],
    ] as const) {
      const { store, engine, jobs, two, runner } = await heldBehindSecond(setup, second);
      const third = jobs[2] as Job;
      await settleALittle();
      expect(store.get(third.id)?.state).toBe('queued');
      two.resolve();
      await engine.run(2);
      expect(promptOf(engine, 2)).toBe('three');
      await runner.stop(0);
    }
  });

  it('ends a job held ahead cancelled at once when its member cancels it, never sending it', async () => {
    const { runner, engine, store, jobs, two, reports } = await heldBehindSecond();
    const third = jobs[2] as Job;
    await until(() => store.get(third.id)?.state === 'running', 'the third job to be claimed ahead');
    // Never sent: the member reads "Cancelled", not "Stopping the generation".
    expect(await runner.cancel(third.id)).toBe('cancelled');
    await until(() => store.get(third.id)?.state === 'cancelled', 'the held job to end cancelled');
    expect(reports).toContainEqual({ type: 'cancelled', jobId: third.id });
    two.resolve();
    await until(() => store.get((jobs[1] as Job).id)?.state === 'succeeded', 'the second job');
    await settleALittle();
    expect(engine.runs).toHaveLength(2);
  });

  it('puts a job held ahead back in line, its attempt uncounted, when the server fails or the runner stops', async () => {
    const failing = await heldBehindSecond();
    const third = failing.jobs[2] as Job;
    await until(() => failing.store.get(third.id)?.state === 'running', 'the third job to be claimed ahead');
    failing.two.reject(new SdUnreachableError('fake-1 refused the connection', { backend: 'fake-1' }));
    await until(() => failing.store.get(third.id)?.state === 'queued', 'the held job back in line');
    // Never sent: a rolling restart that gives it back every time never uses up its attempts.
    expect(failing.store.get(third.id)).toMatchObject({ backend: null, attempts: 0 });
    expect(failing.engine.runs).toHaveLength(2);

    const stopping = await heldBehindSecond();
    const held = stopping.jobs[2] as Job;
    await until(() => stopping.store.get(held.id)?.state === 'running', 'the third job to be claimed ahead');
    await stopping.runner.stop(0);
    expect(stopping.store.get(held.id)).toMatchObject({ state: 'queued', backend: null, attempts: 0 });
    expect(stopping.engine.runs).toHaveLength(2);
  });
});
