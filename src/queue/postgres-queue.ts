import pg from 'pg';
import { checkChannelName } from '../store/postgres-notifications.js';
import { inTransaction } from '../store/postgres-transaction.js';
import { createQueueEvents } from './events.js';
import { FAIR_LINE_IDS_SQL } from './fair-line.js';
import type { JobQueue, QueueCancelResult, QueueEvent } from './job-queue.js';
import { createLineCache, type LineEntry } from './line-cache.js';
import { claimOnPostgres } from './postgres-claim.js';
import { createPostgresEnqueue } from './postgres-enqueue.js';
import { startQueueListener } from './postgres-listener.js';
import { migratePostgres } from './postgres-migrations.js';
import { type JobRow, toQueueJob } from './rows.js';

export type PostgresQueueOptions = ({ connectionString: string } | { pool: pg.Pool }) & {
  /** The LISTEN/NOTIFY channel; every process on one database must use the same. */
  channel?: string;
  /**
   * The WORKER_ID of a process that runs jobs: held for as long as the queue is open, so that no
   * second live process takes it (see postgres-worker-id.ts). `waitMs`: how long to wait for a
   * holder that is going away (default 60 s, a lease; the bot passes its lease).
   */
  worker?: { id: string; waitMs?: number };
};

const UNLOCK = 'locked_by = NULL, locked_at = NULL, lease_expires_at = NULL';
/** A job back in line runs afresh: no backend, no request on a server (a cancelled one keeps them). */
const REQUEUED = `backend = CASE WHEN cancel_requested THEN backend END,
  server_ref = CASE WHEN cancel_requested THEN server_ref END`;
/** How long a starting process waits for its WORKER_ID's holder to go (a host that died: 30 s). */
const WORKER_WAIT_MS = 60_000;
const RUNNING_SQL = "SELECT * FROM jobs WHERE state = 'running' ORDER BY started_at, created_at, id";
const HELD = "id = $1 AND state = 'running' AND locked_by = $2";
/** Sends one event per moved row, on commit, and returns the rows: `moved` is the CTE of an UPDATE … RETURNING *. */
const notifyMoved = (type: string) =>
  `SELECT moved.*, pg_notify($3, json_build_object('type', ${type}, 'jobId', id)::text) AS sent FROM moved`;
const AFTER_CANCEL = "CASE WHEN state = 'cancelled' THEN 'cancelled' ELSE 'requeued' END";

type Client = pg.PoolClient;
type Notify = (client: Client, type: QueueEvent['type'], jobId: string) => Promise<unknown>;

/**
 * The JobQueue shared by any number of processes on one PostgreSQL database. Claims lock their row
 * with FOR UPDATE SKIP LOCKED, so two workers never take one job and neither waits on the other;
 * every change to the line is sent with NOTIFY on commit, and one dedicated connection per queue
 * LISTENs and hands the events to `subscribe`rs (this process's own changes included).
 * One closure on purpose: the pool, the channel and the listener are this queue's state; its
 * longer steps (enqueue, claim, cancel) are functions below, the rest one SQL statement each.
 */
export async function createPostgresJobQueue(options: PostgresQueueOptions): Promise<JobQueue> {
  const owned = !('pool' in options);
  const pool = 'pool' in options ? options.pool : new pg.Pool({ connectionString: options.connectionString });
  const channel = checkChannelName(options.channel ?? 'job_queue');
  // A pool's idle client that loses its server emits here; without a listener that would crash.
  const onPoolError = () => undefined;
  pool.on('error', onPoolError);
  const events = createQueueEvents();
  let listener: Awaited<ReturnType<typeof startQueueListener>>;
  try {
    await migratePostgres(pool);
    const worker =
      options.worker === undefined
        ? undefined
        : { id: options.worker.id, waitMs: options.worker.waitMs ?? WORKER_WAIT_MS };
    listener = await startQueueListener(pool.options, channel, (event) => events.emit(event), worker);
  } catch (error: unknown) {
    if (owned) await pool.end().catch(() => undefined);
    throw error;
  }
  const notify = (client: Client, type: QueueEvent['type'], jobId: string) =>
    client.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ type, jobId })]);
  const enqueue = createPostgresEnqueue(pool, channel);
  const lineCache = createLineCache();
  // Ids and stamps first, then only the rows not kept from an earlier read (see line-cache.ts).
  const readLine = async (client: pg.Pool | Client, entries: LineEntry[]) => {
    const stale = lineCache.stale(entries);
    const fresh =
      stale.length === 0
        ? []
        : (await client.query<JobRow>('SELECT * FROM jobs WHERE id = ANY($1::text[])', [stale])).rows;
    return lineCache.line(entries, new Map(fresh.map((row) => [row.id, toQueueJob(row)])));
  };
  const fairLine = async (client: pg.Pool | Client) =>
    readLine(client, (await client.query<LineEntry>(FAIR_LINE_IDS_SQL)).rows);
  /** Moves a running job on for its lease holder (`$1` id, `$2` worker, `$3` channel): the job as it is now. */
  const moveHeld = async (sql: string, params: unknown[]) => {
    const row = (await pool.query<JobRow>(sql, params)).rows[0];
    return row === undefined ? undefined : toQueueJob(row);
  };

  return {
    enqueue: (job, limits, now) => enqueue({ job, limits, now }),
    claim: (request) => claimOnPostgres(pool, request, channel, { read: readLine, last: lineCache.last }),
    async heartbeat(jobId, worker, leaseMs, now) {
      const { rows } = await pool.query<{ cancel_requested: boolean }>(
        `UPDATE jobs SET locked_at = $3, lease_expires_at = $4 WHERE ${HELD} RETURNING cancel_requested`,
        [jobId, worker, now, now + leaseMs],
      );
      return { held: rows.length === 1, cancelRequested: rows[0]?.cancel_requested === true };
    },
    complete: (jobId, worker, result, now) =>
      moveHeld(
        `WITH moved AS (UPDATE jobs SET state = 'succeeded', result = $4::jsonb, finished_at = $5, ${UNLOCK}
           WHERE ${HELD} RETURNING *) ${notifyMoved("'released'")}`,
        [jobId, worker, channel, JSON.stringify(result), now],
      ),
    fail: (jobId, worker, error, now) =>
      moveHeld(
        `WITH moved AS (UPDATE jobs SET state = 'failed', error = $4, finished_at = $5, ${UNLOCK}
           WHERE ${HELD} RETURNING *) ${notifyMoved("'released'")}`,
        [jobId, worker, channel, error, now],
      ),
    finishCancelled: (jobId, worker, now) =>
      moveHeld(
        `WITH moved AS (UPDATE jobs SET state = 'cancelled', finished_at = $4, ${UNLOCK}
           WHERE ${HELD} RETURNING *) ${notifyMoved("'cancelled'")}`,
        [jobId, worker, channel, now],
      ),
    retry: (jobId, worker, failedOn, now, unsent = false) =>
      moveHeld(
        `WITH moved AS (UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
             finished_at = CASE WHEN cancel_requested THEN $5::bigint END, failed_on = $4, ${REQUEUED},
             attempts = GREATEST(0, attempts - CASE WHEN $6::boolean THEN 1 ELSE 0 END), ${UNLOCK}
           WHERE ${HELD} RETURNING *) ${notifyMoved(AFTER_CANCEL)}`,
        [jobId, worker, channel, failedOn, now, unsent],
      ),
    cancel: (jobId, now) => inTransaction(pool, (client) => cancelIn(client, jobId, now, notify)),
    async position(jobId) {
      const line = await fairLine(pool);
      const index = line.findIndex((job) => job.id === jobId);
      return index < 0 ? undefined : { position: index + 1, total: line.length };
    },
    line: () => fairLine(pool),
    async running() {
      const { rows } = await pool.query<JobRow>(RUNNING_SQL);
      return rows.map(toQueueJob);
    },
    async overview() {
      // Both in one message: a process reads this on every change to the line, in every process.
      const client = await pool.connect();
      try {
        const [ids, held] = (await client.query(`${FAIR_LINE_IDS_SQL}; ${RUNNING_SQL}`)) as unknown as [
          pg.QueryResult<LineEntry>,
          pg.QueryResult<JobRow>,
        ];
        const line = await readLine(client, ids.rows);
        client.release();
        return { line, running: held.rows.map(toQueueJob) };
      } catch (error: unknown) {
        client.release(true);
        throw error;
      }
    },
    async get(jobId) {
      const { rows } = await pool.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [jobId]);
      return rows[0] === undefined ? undefined : toQueueJob(rows[0]);
    },
    async adopt(worker, leaseMs, now) {
      const { rows } = await pool.query<JobRow>(
        `UPDATE jobs SET locked_by = $1, locked_at = $2, lease_expires_at = $3
         WHERE state = 'running' AND (locked_by = $1 OR locked_by IS NULL) RETURNING *`,
        [worker, now, now + leaseMs],
      );
      return rows.map(toQueueJob).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    },
    async recoverStalled(now) {
      const { rows } = await pool.query<JobRow>(
        `WITH moved AS (UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
             finished_at = CASE WHEN cancel_requested THEN $1::bigint END, ${REQUEUED}, ${UNLOCK}
           WHERE state = 'running' AND lease_expires_at <= $1::bigint RETURNING *)
         SELECT moved.*, pg_notify($2, json_build_object('type', ${AFTER_CANCEL}, 'jobId', id)::text) AS sent
         FROM moved ORDER BY created_at, id`,
        [now, channel],
      );
      return rows.map(toQueueJob);
    },
    subscribe: (listener) => events.subscribe(listener),
    async close() {
      await listener.stop();
      // An owned pool keeps its error listener: a client may still report its server going away.
      if (owned) await pool.end();
      else pool.off('error', onPoolError);
    },
  };
}

async function cancelIn(
  client: Client,
  jobId: string,
  now: number,
  notify: Notify,
): Promise<QueueCancelResult> {
  const { rows } = await client.query<{ state: string }>('SELECT state FROM jobs WHERE id = $1 FOR UPDATE', [
    jobId,
  ]);
  const state = rows[0]?.state;
  if (state === undefined) return 'not-found';
  if (state === 'queued') {
    await client.query("UPDATE jobs SET state = 'cancelled', finished_at = $2 WHERE id = $1", [jobId, now]);
    await notify(client, 'cancelled', jobId);
    return 'cancelled';
  }
  if (state !== 'running') return 'finished';
  await client.query('UPDATE jobs SET cancel_requested = true WHERE id = $1', [jobId]);
  await notify(client, 'cancel-requested', jobId);
  return 'requested';
}
