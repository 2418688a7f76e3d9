import { expect, it } from 'vitest';
import { planDispatch } from '../../src/jobs/dispatch.js';
import type { JobQueue, QueueJob } from '../../src/queue/job-queue.js';
import { createRandom, type Random } from '../unit/seeded-random.js';
import { add, LIMITS, newJob, slot } from './job-queue-kit.js';

const USERS = ['A', 'B', 'C', 'D'];
const MODELS = [undefined, 'm1', 'm2'];
const BACKENDS = ['x', 'y'];

/** What the test knows independently of the store: the same state `planDispatch` is given. */
interface Mirror {
  queued: { id: string; userId: string; createdAt: number; model: string | undefined }[];
  running: { id: string; userId: string }[];
  lastServed: Map<string, number>;
  failedOn: Map<string, string>;
  stamp: number;
}

/** Whether a backend can run a job: a fixed, arbitrary function of both ids. */
const eligibleOn = (jobId: string, backendId: string, salt: number) =>
  (jobId.charCodeAt(0) + jobId.charCodeAt(jobId.length - 1) + backendId.charCodeAt(0) + salt) % 4 !== 0;

/** One claim on the store, checked against `planDispatch` over the mirror for that single slot. */
async function claimAndCompare(queue: JobQueue, mirror: Mirror, random: Random, now: number, seed: number) {
  const backendId = random.pick(BACKENDS);
  const loadedModel = random.pick(MODELS);
  const affinity = random.next() < 0.6;
  const salt = random.int(0, 3);
  const filtered = random.next() < 0.5;
  const elsewhereFlag = random.next() < 0.5;
  const runningByUser = new Map<string, number>();
  for (const job of mirror.running) runningByUser.set(job.userId, (runningByUser.get(job.userId) ?? 0) + 1);
  const plan = planDispatch({
    queued: mirror.queued,
    runningByUser,
    lastServed: mirror.lastServed,
    backends: [{ id: backendId, healthy: true, running: 0, capacity: 1, loadedModel }],
    affinity,
    eligible: (job, backend) =>
      (!filtered || eligibleOn(job.id, backend, salt)) &&
      (mirror.failedOn.get(job.id) !== backend || !elsewhereFlag),
  });
  const expected = plan.assignments[0]?.jobId;
  expect(
    (await queue.line()).map((job) => job.id),
    `line, seed ${seed}`,
  ).toEqual(plan.line.map((job) => job.id));
  const claimed = await queue.claim(
    slot('w', now, {
      backendId,
      loadedModel,
      affinity,
      eligible: filtered ? (job: QueueJob) => eligibleOn(job.id, backendId, salt) : undefined,
      elsewhere: () => elsewhereFlag,
    }),
  );
  expect(claimed?.id, `claim, seed ${seed}`).toBe(expected);
  if (claimed === undefined) return;
  mirror.queued = mirror.queued.filter((job) => job.id !== claimed.id);
  mirror.failedOn.delete(claimed.id);
  mirror.running.push({ id: claimed.id, userId: claimed.userId });
  mirror.stamp += 1;
  mirror.lastServed.set(claimed.userId, mirror.stamp);
}

/** A random run of enqueues, claims, completions and retries on one store, every claim and place compared. */
async function runScenario(queue: JobQueue, seed: number): Promise<void> {
  const random = createRandom(seed);
  const mirror: Mirror = { queued: [], running: [], lastServed: new Map(), failedOn: new Map(), stamp: 0 };
  let now = 1000;
  for (let step = 0; step < 40; step++) {
    // Several jobs share a creation time now and then, so ties fall to the served stamp and the id.
    if (random.next() < 0.6) now += 1;
    const roll = random.next();
    if (roll < 0.45) {
      const userId = random.pick(USERS);
      const model = random.pick(MODELS);
      const result = await queue.enqueue(newJob(userId, model), LIMITS, now);
      if (!result.ok) throw new Error(`enqueue refused: ${result.reason}`);
      // The place the enqueue counted is the one the line itself gives.
      expect({ position: result.position, total: result.total }, `place, seed ${seed}`).toEqual(
        await queue.position(result.job.id),
      );
      mirror.queued.push({ id: result.job.id, userId, createdAt: now, model });
    } else if (roll < 0.8) {
      await claimAndCompare(queue, mirror, random, now, seed);
    } else if (mirror.running.length > 0) {
      const job = random.pick(mirror.running);
      mirror.running = mirror.running.filter((entry) => entry !== job);
      const original = await queue.get(job.id);
      if (random.next() < 0.5) {
        expect(await queue.complete(job.id, 'w', { ...emptyResult }, now)).toMatchObject({
          id: job.id,
          state: 'succeeded',
        });
      } else {
        const failedOn = random.pick(BACKENDS);
        expect(await queue.retry(job.id, 'w', failedOn, now)).toMatchObject({ id: job.id, state: 'queued' });
        mirror.failedOn.set(job.id, failedOn);
        const createdAt = original?.createdAt ?? -1;
        mirror.queued.push({ id: job.id, userId: job.userId, createdAt, model: original?.params.model });
      }
    }
  }
}

const emptyResult = {
  seeds: [],
  model: null,
  modelHash: null,
  sampler: null,
  infotexts: [],
  durationMs: 0,
  backend: 'x',
};

/** Registers the fairness property test in the JobQueue contract, one fresh store per seed. */
export function defineFairnessContract(store: { open(): Promise<JobQueue> }): void {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'claims exactly what planDispatch gives one free slot over random queues, history and running jobs (seed %i)',
    async (seed) => {
      await runScenario(await store.open(), seed);
    },
  );

  it('claims made at once for several backends take the head of the line, one job each', async () => {
    const queue = await store.open();
    for (const userId of ['A', 'B', 'C', 'A', 'B', 'C', 'D']) await add(queue, userId, 1000);
    const line = (await queue.line()).map((job) => job.id);
    const claimed = await Promise.all(
      ['x', 'y', 'z', 'v'].map((backendId) => queue.claim(slot('w', 1001, { backendId, capacity: 1 }))),
    );
    const ids = claimed.map((job) => job?.id);
    expect(new Set(ids).size).toBe(4);
    expect(new Set(ids)).toEqual(new Set(line.slice(0, 4)));
    expect(new Set((await queue.line()).map((job) => job.id))).toEqual(new Set(line.slice(4)));
  });
}
