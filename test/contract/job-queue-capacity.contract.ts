import { expect, it } from 'vitest';
import { add, RESULT, slot, type useQueueStore } from './job-queue-kit.js';

/** Backend capacity across workers, and a restarted worker taking its running jobs back. */
export function defineCapacityContract(store: ReturnType<typeof useQueueStore>): void {
  it('claims no more jobs on a backend than its capacity when two workers claim at once', async () => {
    const [one, two] = [await store.open(), await store.open()];
    for (let index = 0; index < 8; index++) await add(one, `U${index % 4}`, index);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        (index % 2 === 0 ? one : two).claim(slot(`w${index % 2}`, 100, { backendId: 'x', capacity: 3 })),
      ),
    );
    expect(claims.filter((job) => job !== undefined)).toHaveLength(3);
    // Another backend has slots of its own.
    expect(await one.claim(slot('w0', 101, { backendId: 'y', capacity: 3 }))).toMatchObject({ backend: 'y' });
    expect(await one.line()).toHaveLength(4);
  });

  it('lists every worker’s running jobs, oldest start first, to any connection', async () => {
    const [one, two] = [await store.open(), await store.open()];
    const ids = [await add(one, 'A', 0), await add(one, 'B', 1), await add(one, 'C', 2)];
    expect(await two.running()).toEqual([]);
    await one.claim(slot('w1', 10));
    await two.claim(slot('w2', 11));
    expect((await two.running()).map((job) => [job.id, job.lockedBy, job.state])).toEqual([
      [ids[0], 'w1', 'running'],
      [ids[1], 'w2', 'running'],
    ]);
    expect(await one.complete(ids[0] ?? '', 'w1', RESULT, 12)).toMatchObject({
      id: ids[0] ?? '',
      state: 'succeeded',
    });
    expect((await one.running()).map((job) => job.id)).toEqual([ids[1]]);
    expect((await one.line()).map((job) => job.id)).toEqual([ids[2]]);
  });

  it('frees a slot once a job ends or its worker says the server answered it', async () => {
    const queue = await store.open();
    for (let index = 0; index < 3; index++) await add(queue, `U${index}`, index);
    const first = await queue.claim(slot('w1', 10, { capacity: 1 }));
    expect(await queue.claim(slot('w2', 11, { capacity: 1 }))).toBeUndefined();
    // The other worker's released jobs still count; the claiming worker's own do not.
    expect(await queue.claim(slot('w2', 12, { capacity: 1, released: [first?.id ?? ''] }))).toBeDefined();
    expect(await queue.claim(slot('w1', 13, { capacity: 2 }))).toBeUndefined();
    expect(await queue.fail(first?.id ?? '', 'w1', 'gone', 14)).toMatchObject({
      id: first?.id ?? '',
      state: 'failed',
    });
    expect(await queue.claim(slot('w1', 15, { capacity: 2 }))).toMatchObject({ lockedBy: 'w1' });
  });

  it('gives a restarted worker its own running jobs and lease-less ones, not another worker’s', async () => {
    const queue = await store.open();
    const [mine, theirs] = [await add(queue, 'A', 0), await add(queue, 'B', 1)];
    await queue.claim(slot('w1', 10, { leaseMs: 100 }));
    await queue.claim(slot('w2', 10, { leaseMs: 100 }));
    const adopted = await queue.adopt('w1', 1000, 500);
    expect(adopted.map((job) => [job.id, job.lockedBy, job.leaseExpiresAt])).toEqual([[mine, 'w1', 1500]]);
    // Its lease is the new one: only the other worker's job has run out at 600.
    expect((await queue.recoverStalled(600)).map((job) => job.id)).toEqual([theirs]);
    expect(await queue.heartbeat(mine, 'w1', 1000, 700)).toEqual({ held: true, cancelRequested: false });
  });

  it('puts a job back in line without a backend to avoid when retried with none', async () => {
    const queue = await store.open();
    const id = await add(queue, 'A', 0);
    await queue.claim(slot('w1', 1, { backendId: 'x' }));
    expect(await queue.retry(id, 'w1', null, 2)).toMatchObject({ id, state: 'queued' });
    expect(await queue.get(id)).toMatchObject({
      state: 'queued',
      backend: null,
      failedOn: null,
      attempts: 1,
    });
    const elsewhere = () => true;
    expect(await queue.claim(slot('w1', 3, { backendId: 'x', elsewhere }))).toMatchObject({
      id,
      attempts: 2,
    });
  });
}
