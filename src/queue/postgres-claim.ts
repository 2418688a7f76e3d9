import type pg from 'pg';
import { releaseAfterFailure } from '../store/postgres-transaction.js';
import { claimCandidates, FAIR_LINE_IDS_SQL } from './fair-line.js';
import type { ClaimRequest, QueueJob } from './job-queue.js';
import type { LineEntry } from './line-cache.js';
import { literal } from './postgres-literal.js';
import { type JobRow, toQueueJob } from './rows.js';

/** The first key of the advisory lock each claim takes on its backend (the second: the id's hash). */
const BACKEND_LOCK_SPACE = 723605191;
/** Claims tried again when another worker locked each candidate first (it will tell when it is done). */
const TRIES = 4;

/**
 * Builds the line from ids and stamps, fetching only the rows neither kept (see line-cache.ts) nor
 * in `known` (rows the caller just read).
 */
export type ReadLine = (client: pg.PoolClient, entries: LineEntry[], known?: JobRow[]) => Promise<QueueJob[]>;

/**
 * What the claim's first message runs: open the transaction, take the backend's lock (one claim
 * per backend at a time across processes, so the count stays true until commit), count its running
 * jobs, and read the line. Each statement sees what committed before it began, so the count and
 * the line follow the lock's wait.
 *
 * The commit does not wait for the disk: were the server to crash in the instant after, the claim
 * is undone and the job back in line, and the lease is what makes that safe — the worker that ran
 * it no longer holds it, so it can neither record nor deliver an outcome (`complete` and the rest
 * check `locked_by`), and its lease keeping stops the attempt. The steps that end a job wait.
 */
function openingSql(request: ClaimRequest): string {
  const begin = 'BEGIN; SET LOCAL synchronous_commit = off;';
  if (request.capacity === undefined) return `${begin} ${FAIR_LINE_IDS_SQL}`;
  const backend = literal(request.backendId);
  const released = [...(request.released ?? [])].map(literal).join(', ');
  return `${begin}
    SELECT pg_advisory_xact_lock(${BACKEND_LOCK_SPACE}, hashtext(${backend}));
    SELECT COUNT(*) AS n FROM jobs WHERE state = 'running' AND backend = ${backend}
      AND NOT (id = ANY(ARRAY[${released}]::text[]));
    ${FAIR_LINE_IDS_SQL}`;
}

/**
 * The candidate locked (skipped when another worker is claiming it), moved to running, its member
 * marked served, the event sent, and the transaction committed: one message.
 */
function takingSql(request: ClaimRequest, candidate: QueueJob, channel: string): string {
  const now = literal(request.now);
  return `WITH locked AS (
      SELECT id FROM jobs WHERE id = ${literal(candidate.id)} AND state = 'queued' FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE jobs SET state = 'running', backend = ${literal(request.backendId)}, attempts = attempts + 1,
        started_at = ${now}, locked_by = ${literal(request.worker)}, locked_at = ${now},
        lease_expires_at = ${literal(request.now + request.leaseMs)}, cancel_requested = false,
        failed_on = NULL, server_ref = NULL
      FROM locked WHERE jobs.id = locked.id RETURNING jobs.*
    ), marked AS (
      INSERT INTO served (user_id, stamp) SELECT user_id, nextval('served_stamp') FROM claimed
      ON CONFLICT (user_id) DO UPDATE SET stamp = excluded.stamp
    )
    SELECT claimed.*, pg_notify(${literal(channel)}, json_build_object('type', 'claimed', 'jobId', id)::text) AS sent
    FROM claimed;
    COMMIT`;
}

/**
 * One claim in two round trips when nothing stands in the way (the dispatch gap of every job):
 * open, lock, count and read the line; then take the best candidate and commit. A candidate another
 * worker holds makes this start over without it, a few times at most.
 */
export async function claimOnPostgres(
  pool: pg.Pool,
  request: ClaimRequest,
  channel: string,
  readLine: ReadLine,
): Promise<QueueJob | undefined> {
  const client = await pool.connect();
  const skipped = new Set<string>();
  let open = false;
  try {
    for (let tries = 0; tries < TRIES; tries += 1) {
      open = true;
      const opened = (await client.query(openingSql(request))) as unknown as pg.QueryResult[];
      const lineIds = opened[opened.length - 1] as pg.QueryResult<LineEntry>;
      const busy = request.capacity === undefined ? 0 : Number(opened[3]?.rows[0]?.n ?? 0);
      const candidate =
        request.capacity !== undefined && busy >= request.capacity
          ? undefined
          : claimCandidates(
              (await readLine(client, lineIds.rows)).filter((job) => !skipped.has(job.id)),
              request,
            ).next().value;
      if (candidate === undefined) break;
      const taken = (await client.query(
        takingSql(request, candidate, channel),
      )) as unknown as pg.QueryResult[];
      open = false;
      const row = taken[0]?.rows[0] as JobRow | undefined;
      if (row !== undefined) {
        client.release();
        return toQueueJob(row);
      }
      skipped.add(candidate.id);
    }
    if (open) await client.query('ROLLBACK');
    client.release();
    return undefined;
  } catch (error: unknown) {
    await releaseAfterFailure(client);
    throw error;
  }
}
