import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { defineCapacityContract } from './job-queue-capacity.contract.js';
import { defineFairnessContract } from './job-queue-fairness.contract.js';
import {
  add,
  LIMITS,
  newJob,
  nextEvent,
  type QueueStore,
  RESULT,
  slot,
  useQueueStore,
} from './job-queue-kit.js';

/** The JobQueue contract: every adapter registers these same cases with its own store. */
export function defineJobQueueContract(name: string, makeStore: () => Promise<QueueStore>): void {
  describe(`JobQueue contract (${name})`, () => {
    const store = useQueueStore(makeStore);
    defineFairnessContract(store);
    defineCapacityContract(store);

    it('claims several members’ jobs round-robin when one member queued first', async () => {
      const queue = await store.open();
      const ids = {
        a1: await add(queue, 'A', 1),
        a2: await add(queue, 'A', 2),
        a3: await add(queue, 'A', 3),
        b1: await add(queue, 'B', 4),
        c1: await add(queue, 'C', 5),
      };
      expect((await queue.line()).map((job) => job.id)).toEqual([ids.a1, ids.b1, ids.c1, ids.a2, ids.a3]);
      const claimed: (string | undefined)[] = [];
      for (let step = 0; step < 6; step++) claimed.push((await queue.claim(slot('w1', 10 + step)))?.id);
      expect(claimed).toEqual([ids.a1, ids.b1, ids.c1, ids.a2, ids.a3, undefined]);
    });

    it('gives a backend the first-round job asking for the model it has loaded', async () => {
      const queue = await store.open();
      const a1 = await add(queue, 'A', 1, 'm1');
      const a2 = await add(queue, 'A', 2, 'm2');
      const b1 = await add(queue, 'B', 3, 'm2');
      // a2 asks for m2 too, but sits in round 2: b1 (round 1) passes a1, a2 does not.
      expect((await queue.claim(slot('w1', 10, { loadedModel: 'm2' })))?.id).toBe(b1);
      expect((await queue.claim(slot('w1', 11, { loadedModel: 'm2', affinity: false })))?.id).toBe(a1);
      expect((await queue.claim(slot('w1', 12, { loadedModel: 'm1' })))?.id).toBe(a2);
    });

    it('claims the store’s choice, not what this connection last read, once another changed the line', async () => {
      const [worker, front] = [await store.open(), await store.open()];
      const a1 = await add(worker, 'A', 1);
      const a2 = await add(worker, 'A', 2, 'm1');
      expect((await worker.claim(slot('w1', 10, { backendId: 'y' })))?.id).toBe(a1);
      expect((await worker.line()).map((job) => job.id)).toEqual([a2]);
      // Unseen here: B, never served, goes ahead of A's second job (A was served and runs one).
      const b1 = await add(front, 'B', 20, 'm1');
      expect((await worker.claim(slot('w1', 30)))?.id).toBe(b1);
      // Unseen here too: C's job asks for the loaded model, so affinity prefers it to A's.
      expect((await worker.line()).map((job) => job.id)).toEqual([a2]);
      const c1 = await add(front, 'C', 40, 'm2');
      expect((await worker.line()).length).toBe(2);
      const d1 = await add(front, 'D', 50, 'm3');
      expect((await worker.claim(slot('w1', 60, { backendId: 'z', loadedModel: 'm3' })))?.id).toBe(d1);
      // Retried since this connection read it: the job now waits for another backend.
      await worker.line();
      const running = await front.claim(slot('w2', 70, { backendId: 'v' }));
      expect(running?.id).toBe(c1);
      expect(await front.retry(c1, 'w2', 'x', 80)).toMatchObject({ id: c1, state: 'queued' });
      const elsewhere = { elsewhere: () => true };
      expect((await worker.claim(slot('w1', 90, { ...elsewhere, loadedModel: 'm2' })))?.id).toBe(a2);
      expect(
        await worker.claim(slot('w1', 91, { backendId: 'q', ...elsewhere, loadedModel: 'm2' })),
      ).toMatchObject({ id: c1 });
    });

    it('admits exactly the member’s cap when 20 enqueues race from two connections', async () => {
      const [one, two] = [await store.open(), await store.open()];
      const limits = { maxPendingPerUser: 3, maxQueueLength: 100 };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 === 0 ? one : two).enqueue(newJob('A'), limits, index),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(3);
      expect(results.filter((result) => !result.ok)).toEqual(
        Array.from({ length: 17 }, () => ({ ok: false, reason: 'user-limit', limit: 3 })),
      );
      expect(await one.line()).toHaveLength(3);
    });

    it('admits a burst from one connection in the order sent, each job told its own place', async () => {
      const queue = await store.open();
      const limits = { maxPendingPerUser: 5, maxQueueLength: 100 };
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => queue.enqueue(newJob('A'), limits, index)),
      );
      // The first five sent are in; the last three meet the member's cap, as if each came alone.
      expect(results.map((result) => result.ok)).toEqual([true, true, true, true, true, false, false, false]);
      const admitted = results.flatMap((result) => (result.ok ? [result] : []));
      expect(new Set(admitted.map((result) => result.job.id)).size).toBe(5);
      expect((await queue.line()).map((job) => job.id)).toEqual(admitted.map((result) => result.job.id));
      // One member's jobs keep their order: each is told the place it has behind the ones sent before it.
      expect(admitted.map((result) => result.position)).toEqual([1, 2, 3, 4, 5]);
    });

    it('admits exactly the global cap, running jobs included, when members race from two connections', async () => {
      const [one, two] = [await store.open(), await store.open()];
      await add(one, 'Z', 0);
      await one.claim(slot('w1', 1));
      const limits = { maxPendingPerUser: 10, maxQueueLength: 5 };
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          (index % 2 === 0 ? one : two).enqueue(newJob(`U${index}`), limits, 10 + index),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(4);
      expect(results.find((result) => !result.ok)).toEqual({ ok: false, reason: 'queue-full', limit: 5 });
    });

    it('never hands one job to two workers claiming at once from two connections', async () => {
      const [one, two] = [await store.open(), await store.open()];
      for (let index = 0; index < 8; index++) await add(one, `U${index % 3}`, index);
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          (index % 2 === 0 ? one : two).claim(slot(`w${index}`, 100, { backendId: `b${index}` })),
        ),
      );
      const ids = claims.flatMap((job) => (job === undefined ? [] : [job.id]));
      expect(ids).toHaveLength(8);
      expect(new Set(ids).size).toBe(8);
      expect(await one.line()).toEqual([]);
    });

    it('puts a job whose lease ran out back in line, and the old worker can no longer deliver it', async () => {
      const queue = await store.open();
      const id = await add(queue, 'A', 0);
      expect((await queue.claim(slot('w1', 1000, { leaseMs: 1000 })))?.lockedBy).toBe('w1');
      expect(await queue.heartbeat(id, 'w1', 1000, 1500)).toEqual({ held: true, cancelRequested: false });
      expect(await queue.recoverStalled(2400)).toEqual([]);
      const [stalled] = await queue.recoverStalled(2500);
      expect(stalled).toMatchObject({
        id,
        state: 'queued',
        attempts: 1,
        lockedBy: null,
        leaseExpiresAt: null,
      });
      const again = await queue.claim(slot('w2', 2600));
      expect(again).toMatchObject({
        id,
        state: 'running',
        attempts: 2,
        lockedBy: 'w2',
        leaseExpiresAt: 62_600,
      });
      expect(await queue.complete(id, 'w1', RESULT, 2700)).toBeUndefined();
      expect(await queue.fail(id, 'w1', 'late', 2700)).toBeUndefined();
      expect(await queue.heartbeat(id, 'w1', 1000, 2700)).toEqual({ held: false, cancelRequested: false });
      expect(await queue.complete(id, 'w2', RESULT, 2800)).toMatchObject({ id, state: 'succeeded' });
      expect(await queue.get(id)).toMatchObject({ state: 'succeeded', result: RESULT, finishedAt: 2800 });
      expect(await queue.complete(id, 'w2', RESULT, 2900)).toBeUndefined();
    });

    it('shows a cancel asked on one connection to the worker running the job on another', async () => {
      const [front, worker] = [await store.open(), await store.open()];
      const id = await add(front, 'A', 0);
      await worker.claim(slot('w1', 1));
      const seen = nextEvent(worker, (event) => event.type === 'cancel-requested');
      expect(await front.cancel(id, 2)).toBe('requested');
      expect(await seen).toEqual({ type: 'cancel-requested', jobId: id });
      expect(await worker.heartbeat(id, 'w1', 1000, 3)).toEqual({ held: true, cancelRequested: true });
      expect(await worker.finishCancelled(id, 'w1', 4)).toMatchObject({ id, state: 'cancelled' });
      expect(await front.get(id)).toMatchObject({ state: 'cancelled', finishedAt: 4, lockedBy: null });
      expect(await front.cancel(id, 5)).toBe('finished');
      expect(await front.cancel('no-such-job', 5)).toBe('not-found');
    });

    it('ends a job cancelled while running, not re-queues it, when its lease runs out or it is retried', async () => {
      const queue = await store.open();
      const [one, two] = [await add(queue, 'A', 0), await add(queue, 'B', 1)];
      await queue.claim(slot('w1', 10, { leaseMs: 100 }));
      await queue.claim(slot('w2', 10, { leaseMs: 100 }));
      await queue.cancel(one, 20);
      await queue.cancel(two, 20);
      expect(await queue.retry(two, 'w2', 'x', 30)).toMatchObject({ id: two, state: 'cancelled' });
      expect((await queue.recoverStalled(200)).map((job) => [job.id, job.state])).toEqual([
        [one, 'cancelled'],
      ]);
      expect((await queue.get(two))?.state).toBe('cancelled');
      expect(await queue.line()).toEqual([]);
    });

    it('cancels a queued job for every connection and moves the others up', async () => {
      const [one, two] = [await store.open(), await store.open()];
      const first = await add(one, 'A', 0);
      const second = await add(one, 'B', 1);
      expect(await two.position(second)).toEqual({ position: 2, total: 2 });
      const seen = nextEvent(two, (event) => event.type === 'cancelled');
      expect(await one.cancel(first, 2)).toBe('cancelled');
      expect(await seen).toEqual({ type: 'cancelled', jobId: first });
      expect(await two.get(first)).toMatchObject({ state: 'cancelled', finishedAt: 2 });
      expect(await two.position(second)).toEqual({ position: 1, total: 1 });
      expect(await two.position(first)).toBeUndefined();
      expect((await two.claim(slot('w1', 3)))?.id).toBe(second);
    });

    it('tells the position and length of the line on enqueue and as jobs start', async () => {
      const queue = await store.open();
      const a1 = await queue.enqueue(newJob('A'), LIMITS, 0);
      const a2 = await queue.enqueue(newJob('A'), LIMITS, 1);
      const b1 = await queue.enqueue(newJob('B'), LIMITS, 2);
      expect([a1, a2, b1].map((result) => result.ok && [result.position, result.total])).toEqual([
        [1, 1],
        [2, 2],
        [2, 3],
      ]);
      const id = (result: typeof a1) => (result.ok ? result.job.id : '');
      await queue.claim(slot('w1', 3));
      expect(await queue.position(id(b1))).toEqual({ position: 1, total: 2 });
      expect(await queue.position(id(a2))).toEqual({ position: 2, total: 2 });
      expect(await queue.position(id(a1))).toBeUndefined();
    });

    it('keeps every character of a job and of a claim as sent: quotes, backslashes, dollars, emoji', async () => {
      const queue = await store.open();
      const odd = `it's a "test" \\ with $$ and $1, 'quoted'; -- not SQL 🐱`;
      const job = {
        ...newJob(`O'Brien`),
        params: { ...newJob('x').params, prompt: odd, negativePrompt: '\\' },
      };
      const enqueued = await queue.enqueue(
        { ...job, locale: `fr'FR`, interactionToken: `tok'en\\` },
        LIMITS,
        0,
      );
      if (!enqueued.ok) throw new Error('refused');
      const claimed = await queue.claim(slot('w1', 1, { backendId: `http://127.0.0.1:7860/it's\\` }));
      expect(claimed).toMatchObject({
        id: enqueued.job.id,
        userId: `O'Brien`,
        locale: `fr'FR`,
        interactionToken: `tok'en\\`,
        backend: `http://127.0.0.1:7860/it's\\`,
        params: { prompt: odd, negativePrompt: '\\' },
      });
      const stored = JSON.parse(JSON.stringify(job.params)) as unknown;
      expect(await queue.get(enqueued.job.id)).toMatchObject({ params: stored, userId: `O'Brien` });
    });

    it('reads the line and the running jobs in one overview, as line() and running() tell them', async () => {
      const queue = await store.open();
      const first = await add(queue, 'A', 0);
      const second = await add(queue, 'B', 1);
      const third = await add(queue, 'A', 2);
      await queue.claim(slot('w1', 3));
      const overview = await queue.overview();
      expect(overview.line.map((job) => job.id)).toEqual([second, third]);
      expect(overview.running.map((job) => [job.id, job.lockedBy])).toEqual([[first, 'w1']]);
      expect(overview).toEqual({ line: await queue.line(), running: await queue.running() });
    });

    it('sends a retried job to another backend while one can take it, attempts kept', async () => {
      const queue = await store.open();
      const id = await add(queue, 'A', 0);
      const requeued = nextEvent(queue, (event) => event.type === 'requeued');
      await queue.claim(slot('w1', 1, { backendId: 'x' }));
      expect(await queue.retry(id, 'w1', 'x', 2)).toMatchObject({ id, state: 'queued' });
      expect(await requeued).toEqual({ type: 'requeued', jobId: id });
      expect(await queue.get(id)).toMatchObject({
        state: 'queued',
        attempts: 1,
        failedOn: 'x',
        lockedBy: null,
      });
      const elsewhere = () => true;
      expect(await queue.claim(slot('w1', 3, { backendId: 'x', elsewhere }))).toBeUndefined();
      expect(await queue.claim(slot('w1', 3, { backendId: 'x', elsewhere: () => false }))).toMatchObject({
        id,
        backend: 'x',
        attempts: 2,
      });
      expect(await queue.retry(id, 'w1', 'x', 4)).toMatchObject({ id, state: 'queued' });
      expect(await queue.claim(slot('w2', 5, { backendId: 'y', elsewhere }))).toMatchObject({
        id,
        backend: 'y',
      });
    });

    it('gives back the attempt of a job retried unsent', async () => {
      const queue = await store.open();
      const id = await add(queue, 'A', 0);
      expect(await queue.claim(slot('w1', 1, { backendId: 'x' }))).toMatchObject({ id, attempts: 1 });
      expect(await queue.retry(id, 'w1', null, 2, true)).toMatchObject({ id, state: 'queued', attempts: 0 });
      expect(await queue.claim(slot('w1', 3, { backendId: 'x' }))).toMatchObject({ id, attempts: 1 });
      // Sent, then stopped: that attempt counts.
      expect(await queue.retry(id, 'w1', null, 4)).toMatchObject({ id, state: 'queued', attempts: 1 });
      expect(await queue.get(id)).toMatchObject({ state: 'queued', attempts: 1, lockedBy: null });
    });

    it('lets only the lease holder fail or retry a job, and skips jobs a backend cannot run', async () => {
      const queue = await store.open();
      const upscale = await queue.enqueue({ ...newJob('A'), kind: 'upscale' }, LIMITS, 0);
      const plain = await add(queue, 'B', 1);
      const eligible = (job: { kind: string }) => job.kind !== 'upscale';
      expect((await queue.claim(slot('w1', 2, { eligible })))?.id).toBe(plain);
      expect(await queue.retry(plain, 'w2', 'x', 3)).toBeUndefined();
      expect(await queue.fail(plain, 'w2', 'no', 3)).toBeUndefined();
      // The step answers with the job as stored now.
      const failed = await queue.fail(plain, 'w1', 'out of memory', 4);
      expect(failed).toEqual(await queue.get(plain));
      expect(failed).toMatchObject({
        state: 'failed',
        error: 'out of memory',
        finishedAt: 4,
      });
      expect(await queue.claim(slot('w1', 5, { eligible }))).toBeUndefined();
      expect((await queue.claim(slot('w1', 6)))?.id).toBe(upscale.ok ? upscale.job.id : '');
    });

    it('wakes a dispatcher on another connection when a job is enqueued or a slot frees', async () => {
      const [front, worker] = [await store.open(), await store.open()];
      const enqueued = nextEvent(worker, (event) => event.type === 'enqueued');
      const id = await add(front, 'A', 0);
      expect(await enqueued).toEqual({ type: 'enqueued', jobId: id });
      const released = nextEvent(front, (event) => event.type === 'released');
      await worker.claim(slot('w1', 1));
      expect(await worker.complete(id, 'w1', RESULT, 2)).toMatchObject({ id, state: 'succeeded' });
      expect(await released).toEqual({ type: 'released', jobId: id });
    });
  });
}

export type { JobQueue };
