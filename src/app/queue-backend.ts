import { type JobRecords, toJobRecords } from '../jobs/job-records.js';
import { createSqliteJobStore } from '../jobs/job-store.js';
import type { JobQueue } from '../queue/job-queue.js';
import { createSqliteJobQueue } from '../queue/sqlite-queue.js';
import type { Db } from '../store/database.js';

/** Where the jobs live: the queue and its records, usable at once; `ready` settles once they are open. */
export interface QueueBackend {
  kind: 'sqlite' | 'postgres';
  queue: JobQueue;
  records: JobRecords;
  /** Rejects when the database cannot be opened (start-up awaits it before logging in). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** The SQLite file's queue (with DATABASE_URL, `openStoreBackend` opens the PostgreSQL one with the stores). */
export function openSqliteQueueBackend(db: Db): QueueBackend {
  const queue = createSqliteJobQueue(db);
  return {
    kind: 'sqlite',
    queue,
    records: toJobRecords(createSqliteJobStore(db)),
    ready: Promise.resolve(),
    close: () => queue.close(),
  };
}

/**
 * The PostgreSQL queue while it opens in the background (migrations, its listening connection):
 * every call waits for it, so the app is still built synchronously.
 */
export function deferQueueBackend(
  opening: Promise<{ queue: JobQueue; records: JobRecords; close(): Promise<void> }>,
): QueueBackend {
  // Failures surface through `ready` (and each call); these copies only keep them from going unhandled.
  opening.catch(() => undefined);
  const ready = opening.then(() => undefined);
  ready.catch(() => undefined);
  const queue = async () => (await opening).queue;
  return {
    kind: 'postgres',
    queue: deferQueue(queue),
    records: {
      get: async (id) => (await opening).records.get(id),
      update: async (id, changes) => (await opening).records.update(id, changes),
    },
    ready,
    close: () =>
      opening.then(
        (opened) => opened.close(),
        () => undefined,
      ),
  };
}

/** A JobQueue whose every call waits for the real one. */
function deferQueue(queue: () => Promise<JobQueue>): JobQueue {
  return {
    enqueue: async (job, limits, now) => (await queue()).enqueue(job, limits, now),
    claim: async (request) => (await queue()).claim(request),
    heartbeat: async (jobId, worker, leaseMs, now) => (await queue()).heartbeat(jobId, worker, leaseMs, now),
    complete: async (jobId, worker, result, now) => (await queue()).complete(jobId, worker, result, now),
    fail: async (jobId, worker, error, now) => (await queue()).fail(jobId, worker, error, now),
    retry: async (jobId, worker, failedOn, now, unsent) =>
      (await queue()).retry(jobId, worker, failedOn, now, unsent),
    finishCancelled: async (jobId, worker, now) => (await queue()).finishCancelled(jobId, worker, now),
    cancel: async (jobId, now) => (await queue()).cancel(jobId, now),
    position: async (jobId) => (await queue()).position(jobId),
    line: async () => (await queue()).line(),
    running: async () => (await queue()).running(),
    overview: async () => (await queue()).overview(),
    get: async (jobId) => (await queue()).get(jobId),
    recoverStalled: async (now) => (await queue()).recoverStalled(now),
    adopt: async (worker, leaseMs, now) => (await queue()).adopt(worker, leaseMs, now),
    subscribe(listener) {
      let stop: (() => void) | undefined;
      let stopped = false;
      queue().then(
        (opened) => {
          if (!stopped) stop = opened.subscribe(listener);
        },
        () => undefined,
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
    close: async () => undefined,
  };
}
