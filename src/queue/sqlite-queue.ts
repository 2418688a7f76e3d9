import type { Statement } from 'better-sqlite3';
import { newJobId } from '../jobs/job-store.js';
import { checkAdmission } from '../jobs/scheduling.js';
import type { Db } from '../store/database.js';
import { createQueueEvents, type QueueEvents } from './events.js';
import { claimCandidates } from './fair-line.js';
import type { JobQueue, QueueCancelResult, QueueEvent, QueueJob } from './job-queue.js';
import { type JobRow, toQueueJob } from './rows.js';
import { createSqliteLine } from './sqlite-line.js';

/** What clears a job's lease when it leaves `running`. */
const UNLOCK = 'locked_by = NULL, locked_at = NULL, lease_expires_at = NULL';
/** A job back in line runs afresh: no backend, no request on a server (a cancelled one keeps them). */
const REQUEUED = `backend = CASE WHEN cancel_requested = 1 THEN backend END,
  server_ref = CASE WHEN cancel_requested = 1 THEN server_ref END`;
/** Only the worker holding a running job's lease may move it on. */
const HELD = "id = @id AND state = 'running' AND locked_by = @worker";

/**
 * The JobQueue on the bot's SQLite file (tables `jobs` and `served`). Every step that reads and then
 * writes runs in an IMMEDIATE transaction, which takes the write lock before the first read: another
 * connection, even in another process, cannot decide on the same rows in between. Events stay in
 * this process: queues on one file share `events` (one is made when none is given). The caller owns
 * `db`; listeners must not throw. One closure on purpose, like the runner: its statements and events
 * are this queue's state, and each method is one named step of a job's life (see job-queue.ts).
 */
export function createSqliteJobQueue(db: Db, options: { events?: QueueEvents } = {}): JobQueue {
  const events = options.events ?? createQueueEvents();
  const subscriptions = new Set<() => void>();
  const emit = (type: QueueEvent['type'], jobId: string) => events.emit({ type, jobId });
  const statements = prepare(db);
  const line = createSqliteLine(db, (id) => statements.one.get(id));
  /** A copy: callers may keep or change what they are given. */
  const fairLine = (): QueueJob[] => [...line.current()];

  const enqueue = db.transaction(
    (job: Parameters<JobQueue['enqueue']>[0], limits: Parameters<JobQueue['enqueue']>[1], now: number) => {
      const counts = statements.pending.get(job.userId) ?? { mine: 0, total: 0 };
      const admission = checkAdmission(counts.mine ?? 0, counts.total, limits);
      if (!admission.ok) return admission;
      const id = newJobId();
      line.step(
        () =>
          statements.insert.get({
            ...job,
            id,
            params: JSON.stringify(job.params),
            createdAt: now,
            locale: job.locale ?? null,
          }) as JobRow,
        (row, edit) => edit.add(toQueueJob(row)),
      );
      const order = line.current();
      const index = order.findIndex((queued) => queued.id === id);
      return { ok: true as const, job: order[index] as QueueJob, position: index + 1, total: order.length };
    },
  ).immediate;

  const claim = db.transaction((request: Parameters<JobQueue['claim']>[0]): QueueJob | undefined => {
    if (request.capacity !== undefined) {
      const busy = statements.busy.get(request.backendId, JSON.stringify(request.released ?? []));
      if ((busy?.n ?? 0) >= request.capacity) return undefined;
    }
    const picked = claimCandidates(line.current(), request).next();
    if (picked.done === true) return undefined;
    const { id, userId } = picked.value;
    return line.step(
      () => {
        const row = statements.claim.get({
          id,
          worker: request.worker,
          backend: request.backendId,
          now: request.now,
          expires: request.now + request.leaseMs,
        });
        const served = statements.served.get(userId) as { stamp: number };
        return row === undefined ? undefined : { job: toQueueJob(row), stamp: served.stamp };
      },
      (claimed, edit) => {
        if (claimed !== undefined) edit.start(claimed.job, claimed.stamp);
      },
    )?.job;
  }).immediate;

  /** One read transaction: both halves from the same state of the file. */
  const overview = db.transaction(() => ({
    line: fairLine(),
    running: statements.running.all().map(toQueueJob),
  }));

  const cancel = db.transaction((jobId: string, now: number): QueueCancelResult => {
    const state = statements.state.get(jobId)?.state;
    if (state === undefined) return 'not-found';
    if (state === 'queued') {
      line.step(
        () => statements.cancelQueued.run(now, jobId),
        (_, edit) => edit.remove(jobId),
      );
      return 'cancelled';
    }
    if (state === 'running') {
      statements.requestCancel.run(jobId);
      return 'requested';
    }
    return 'finished';
  }).immediate;

  /** Moves a running job on for its lease holder: the job in its new state; the event goes out only when it moved. */
  const release = (
    sql: Statement<[object], JobRow>,
    params: { id: string; worker: string; now: number } & Record<string, unknown>,
    event: (job: QueueJob) => QueueEvent['type'],
  ) => {
    const job = line.step(
      () => {
        const row = sql.get(params);
        return row === undefined ? undefined : toQueueJob(row);
      },
      (moved, edit) => {
        if (moved !== undefined) edit.leave(moved);
      },
    );
    if (job === undefined) return undefined;
    emit(event(job), params.id);
    return job;
  };

  return {
    async enqueue(job, limits, now) {
      const result = enqueue(job, limits, now);
      if (result.ok) emit('enqueued', result.job.id);
      return result;
    },
    async claim(request) {
      const job = claim(request);
      if (job !== undefined) emit('claimed', job.id);
      return job;
    },
    async heartbeat(jobId, worker, leaseMs, now) {
      const row = statements.heartbeat.get({ id: jobId, worker, now, expires: now + leaseMs });
      return { held: row !== undefined, cancelRequested: row?.cancel_requested === 1 };
    },
    async complete(jobId, worker, result, now) {
      return release(
        statements.complete,
        { id: jobId, worker, now, result: JSON.stringify(result) },
        () => 'released',
      );
    },
    async fail(jobId, worker, error, now) {
      return release(statements.fail, { id: jobId, worker, now, error }, () => 'released');
    },
    async finishCancelled(jobId, worker, now) {
      return release(statements.finishCancelled, { id: jobId, worker, now }, () => 'cancelled');
    },
    async retry(jobId, worker, failedOn, now, unsent = false) {
      return release(statements.retry, { id: jobId, worker, now, failedOn, unsent: unsent ? 1 : 0 }, (job) =>
        job.state === 'cancelled' ? 'cancelled' : 'requeued',
      );
    },
    async cancel(jobId, now) {
      const outcome = cancel(jobId, now);
      if (outcome === 'cancelled') emit('cancelled', jobId);
      if (outcome === 'requested') emit('cancel-requested', jobId);
      return outcome;
    },
    async position(jobId) {
      const order = line.current();
      const index = order.findIndex((job) => job.id === jobId);
      return index < 0 ? undefined : { position: index + 1, total: order.length };
    },
    async line() {
      return fairLine();
    },
    async running() {
      return statements.running.all().map(toQueueJob);
    },
    async overview() {
      return overview();
    },
    async get(jobId) {
      const row = statements.one.get(jobId);
      return row === undefined ? undefined : toQueueJob(row);
    },
    async adopt(worker, leaseMs, now) {
      return statements.adopt
        .all({ worker, now, expires: now + leaseMs })
        .map(toQueueJob)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    },
    async recoverStalled(now) {
      const jobs = line.step(
        () => statements.recover.all({ now }).map(toQueueJob),
        (moved, edit) => {
          for (const job of moved) edit.leave(job);
        },
      );
      for (const job of jobs) emit(job.state === 'cancelled' ? 'cancelled' : 'requeued', job.id);
      return jobs;
    },
    subscribe(listener) {
      const stop = events.subscribe(listener);
      subscriptions.add(stop);
      return () => {
        subscriptions.delete(stop);
        stop();
      };
    },
    async close() {
      for (const stop of subscriptions) stop();
      subscriptions.clear();
    },
  };
}

function prepare(db: Db) {
  return {
    one: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?'),
    running: db.prepare<[], JobRow>(
      "SELECT * FROM jobs WHERE state = 'running' ORDER BY started_at, created_at, id",
    ),
    state: db.prepare<[string], { state: string }>('SELECT state FROM jobs WHERE id = ?'),
    pending: db.prepare<[string], { mine: number | null; total: number }>(
      `SELECT SUM(CASE WHEN user_id = ? THEN 1 ELSE 0 END) AS mine, COUNT(*) AS total
       FROM jobs WHERE state IN ('queued', 'running')`,
    ),
    insert: db.prepare<[object], JobRow>(
      `INSERT INTO jobs (id, kind, state, user_id, guild_id, channel_id, application_id, interaction_token,
         token_expires_at, params, attempts, parent_id, created_at, locale)
       VALUES (@id, @kind, 'queued', @userId, @guildId, @channelId, @applicationId, @interactionToken,
         @tokenExpiresAt, @params, 0, @parentId, @createdAt, @locale) RETURNING *`,
    ),
    claim: db.prepare<[object], JobRow>(
      `UPDATE jobs SET state = 'running', backend = @backend, attempts = attempts + 1, started_at = @now,
         locked_by = @worker, locked_at = @now, lease_expires_at = @expires, cancel_requested = 0,
         failed_on = NULL, server_ref = NULL
       WHERE id = @id AND state = 'queued' RETURNING *`,
    ),
    busy: db.prepare<[string, string], { n: number }>(
      `SELECT COUNT(*) AS n FROM jobs WHERE state = 'running' AND backend = ?
         AND id NOT IN (SELECT value FROM json_each(?))`,
    ),
    adopt: db.prepare<[object], JobRow>(
      `UPDATE jobs SET locked_by = @worker, locked_at = @now, lease_expires_at = @expires
       WHERE state = 'running' AND (locked_by = @worker OR locked_by IS NULL) RETURNING *`,
    ),
    served: db.prepare<[string], { stamp: number }>(
      `INSERT INTO served (user_id, stamp) VALUES (?, (SELECT COALESCE(MAX(stamp), 0) + 1 FROM served))
       ON CONFLICT(user_id) DO UPDATE SET stamp = excluded.stamp RETURNING stamp`,
    ),
    heartbeat: db.prepare<[object], { cancel_requested: number }>(
      `UPDATE jobs SET locked_at = @now, lease_expires_at = @expires WHERE ${HELD} RETURNING cancel_requested`,
    ),
    complete: db.prepare<[object], JobRow>(
      `UPDATE jobs SET state = 'succeeded', result = @result, finished_at = @now, ${UNLOCK} WHERE ${HELD} RETURNING *`,
    ),
    fail: db.prepare<[object], JobRow>(
      `UPDATE jobs SET state = 'failed', error = @error, finished_at = @now, ${UNLOCK} WHERE ${HELD} RETURNING *`,
    ),
    finishCancelled: db.prepare<[object], JobRow>(
      `UPDATE jobs SET state = 'cancelled', finished_at = @now, ${UNLOCK} WHERE ${HELD} RETURNING *`,
    ),
    retry: db.prepare<[object], JobRow>(
      `UPDATE jobs SET state = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'queued' END,
         finished_at = CASE WHEN cancel_requested = 1 THEN @now ELSE NULL END, failed_on = @failedOn,
         attempts = MAX(0, attempts - @unsent), ${REQUEUED}, ${UNLOCK}
       WHERE ${HELD} RETURNING *`,
    ),
    cancelQueued: db.prepare(`UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ?`),
    requestCancel: db.prepare('UPDATE jobs SET cancel_requested = 1 WHERE id = ?'),
    recover: db.prepare<[{ now: number }], JobRow>(
      `UPDATE jobs SET state = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'queued' END,
         finished_at = CASE WHEN cancel_requested = 1 THEN @now ELSE NULL END, ${REQUEUED}, ${UNLOCK}
       WHERE state = 'running' AND lease_expires_at <= @now RETURNING *`,
    ),
  };
}
