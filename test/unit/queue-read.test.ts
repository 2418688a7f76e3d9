import { describe, expect, it } from 'vitest';
import { createQueueSnapshot, readSpacingMs } from '../../src/jobs/queue-snapshot.js';

import type { JobQueue, QueueJob } from '../../src/queue/job-queue.js';
import { createLineCache } from '../../src/queue/line-cache.js';
import { literal } from '../../src/queue/postgres-literal.js';
import { newJob } from '../contract/job-queue-kit.js';

/** A queued job as the queue hands it back, built on the contract kit's new job. */
function job(id: string, userId = 'A'): QueueJob {
  return {
    ...newJob(userId),
    id,
    state: 'queued',
    locale: null,
    backend: null,
    serverRef: null,
    attempts: 0,
    error: null,
    result: null,
    messageId: null,
    createdAt: 0,
    startedAt: null,
    finishedAt: null,
    lockedBy: null,
    lockedAt: null,
    leaseExpiresAt: null,
    cancelRequested: false,
    failedOn: null,
  };
}

describe('the line cache', () => {
  it('asks only for rows that are new or whose stamp changed, and keeps only the current line', () => {
    const cache = createLineCache();
    const a = job('a');
    const b = job('b');
    expect(
      cache.stale([
        { id: 'a', stamp: '1' },
        { id: 'b', stamp: '1' },
      ]),
    ).toEqual(['a', 'b']);
    expect(
      cache.line(
        [
          { id: 'b', stamp: '1' },
          { id: 'a', stamp: '1' },
        ],
        new Map([
          ['a', a],
          ['b', b],
        ]),
      ),
    ).toEqual([b, a]);
    expect(
      cache.stale([
        { id: 'a', stamp: '2' },
        { id: 'b', stamp: '1' },
        { id: 'c', stamp: '1' },
      ]),
    ).toEqual(['a', 'c']);
    const a2 = { ...a, attempts: 1 };
    // `c` vanished between the ids and the rows (pruned): left out of this read, not a hole.
    expect(
      cache.line(
        [
          { id: 'a', stamp: '2' },
          { id: 'c', stamp: '1' },
        ],
        new Map([['a', a2]]),
      ),
    ).toEqual([a2]);
    // `b` left the line: a later read with it back (another stamp) fetches it again.
    expect(
      cache.stale([
        { id: 'a', stamp: '2' },
        { id: 'b', stamp: '1' },
      ]),
    ).toEqual(['b']);
  });
});

describe('SQL literals for the one-message queue steps', () => {
  it('quotes strings as PostgreSQL reads them back, and takes numbers only whole', () => {
    expect(literal(`it's`)).toBe(`'it''s'`);
    expect(literal('back\\slash')).toBe(` E'back\\\\slash'`);
    expect(literal(null)).toBe('NULL');
    expect(literal(1733052000000)).toBe('1733052000000');
    expect(() => literal(1.5)).toThrow(/whole number/);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(/whole number/);
  });
});

/** A queue whose overview answers when the test says, recording when each read began. */
function controlledQueue() {
  const reads: { began: number; answer: (value: { line: QueueJob[]; running: QueueJob[] }) => void }[] = [];
  const queue: Pick<JobQueue, 'overview'> = {
    overview: () =>
      new Promise((resolve) => {
        reads.push({ began: performance.now(), answer: resolve });
      }),
  };
  return { queue, reads };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the queue snapshot', () => {
  it('keeps a job claimed here out of the line when a read begun before the claim lands', async () => {
    const { queue, reads } = controlledQueue();
    const snapshot = createQueueSnapshot(queue, () => undefined);
    const first = snapshot.refresh();
    await settle();
    const claimed = { ...job('a'), state: 'running' as const, lockedBy: 'w1' };
    snapshot.claimed([claimed]);
    expect(snapshot.running).toEqual([claimed]);
    // The read began before the claim: it still shows `a` queued.
    reads[0]?.answer({ line: [job('a'), job('b')], running: [] });
    await first;
    expect(snapshot.line.map((queued) => queued.id)).toEqual(['b']);
    expect(snapshot.running.map((held) => held.id)).toEqual(['a']);
    // A read begun after the claim is believed: `a` finished meanwhile.
    const second = snapshot.refresh();
    await settle();
    reads[1]?.answer({ line: [job('b')], running: [] });
    await second;
    expect(snapshot.running).toEqual([]);
  });

  it('spaces the reads asked for by changes, and a read wanted now does not wait out that spacing', async () => {
    const { queue, reads } = controlledQueue();
    const snapshot = createQueueSnapshot(queue, () => undefined, 200);
    const first = snapshot.refreshSoon();
    await settle();
    expect(reads).toHaveLength(1);
    reads[0]?.answer({ line: [], running: [] });
    await first;
    const soon = snapshot.refreshSoon();
    expect(snapshot.refreshSoon()).toBe(soon);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reads).toHaveLength(1);
    const now = performance.now();
    const urgent = snapshot.refresh();
    expect(urgent).toBe(soon);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reads).toHaveLength(2);
    expect((reads[1]?.began ?? Number.POSITIVE_INFINITY) - now).toBeLessThan(50);
    reads[1]?.answer({ line: [job('c')], running: [] });
    await soon;
    expect(snapshot.line.map((queued) => queued.id)).toEqual(['c']);
  });

  it('begins a change’s read once the spacing has passed', async () => {
    const { queue, reads } = controlledQueue();
    const snapshot = createQueueSnapshot(queue, () => undefined, 60);
    const first = snapshot.refresh();
    await settle();
    reads[0]?.answer({ line: [], running: [] });
    await first;
    const soon = snapshot.refreshSoon();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(reads).toHaveLength(2);
    expect((reads[1]?.began ?? 0) - (reads[0]?.began ?? 0)).toBeGreaterThanOrEqual(55);
    reads[1]?.answer({ line: [], running: [] });
    await soon;
  });

  it('brings a read waiting out a long spacing forward when a later change asks for a short one', async () => {
    const { queue, reads } = controlledQueue();
    // A full worker's spacing, then (a slot freed) the usual one.
    let spacing = 1000;
    const snapshot = createQueueSnapshot(
      queue,
      () => undefined,
      () => spacing,
    );
    const first = snapshot.refresh();
    await settle();
    reads[0]?.answer({ line: [], running: [] });
    await first;
    const soon = snapshot.refreshSoon();
    expect(snapshot.behind).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads).toHaveLength(1);
    spacing = 20;
    expect(snapshot.refreshSoon()).toBe(soon);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).toHaveLength(2);
    expect(snapshot.behind).toBe(false);
    expect((reads[1]?.began ?? Number.POSITIVE_INFINITY) - (reads[0]?.began ?? 0)).toBeLessThan(500);
    reads[1]?.answer({ line: [job('d')], running: [] });
    await soon;
    expect(snapshot.line.map((queued) => queued.id)).toEqual(['d']);
  });
});

describe('readSpacingMs', () => {
  const role = { sharedQueue: true, runsJobs: true, announcesLine: false, full: () => false };

  it('reads at once alone on the queue, every 25 ms in a worker with a free slot, every 500 ms in a full one', () => {
    expect(readSpacingMs({ ...role, sharedQueue: false, runsJobs: false })).toBe(0);
    expect(readSpacingMs(role)).toBe(25);
    expect(readSpacingMs({ ...role, full: () => true })).toBe(500);
    // A process that tells places and runs jobs reads for both.
    expect(readSpacingMs({ ...role, announcesLine: true, full: () => true })).toBe(25);
  });

  it('reads every 200 ms in a process that runs no job: its reads only move places in line', () => {
    expect(readSpacingMs({ ...role, runsJobs: false, announcesLine: true })).toBe(200);
  });
});
