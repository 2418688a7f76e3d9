import type pg from 'pg';
import { newJobId } from '../jobs/job-store.js';
import { checkAdmission } from '../jobs/scheduling.js';
import type { NewJob } from '../jobs/types.js';
import { releaseAfterFailure } from '../store/postgres-transaction.js';
import { fairPlacesSql } from './fair-line.js';
import type { AdmissionLimits, EnqueueResult } from './job-queue.js';
import { literal } from './postgres-literal.js';
import { type JobRow, toQueueJob } from './rows.js';

/** Held by every enqueue's transaction: admission counts and the insert are one step across processes. */
const ADMISSION_LOCK = '7236051917338522625';
const PENDING = "state IN ('queued', 'running')";

/** A limit as SQL can compare it (an unlimited one is larger than any count). */
const limitOf = (limit: number) => literal(Number.isFinite(limit) ? limit : Number.MAX_SAFE_INTEGER);

/**
 * One job's admission as a statement of the batch's transaction: the member's and the line's
 * counts, and the insert when they allow it, with its event. It sees the inserts of the statements
 * before it in the batch, so each job is admitted as if it came alone, in the order sent.
 */
function admitSql({ id, args: { job, limits, now } }: Entry, channel: string): string {
  const values = [
    literal(id),
    literal(job.kind),
    "'queued'",
    literal(job.userId),
    literal(job.guildId),
    literal(job.channelId),
    literal(job.applicationId),
    literal(job.interactionToken),
    literal(job.tokenExpiresAt),
    `${literal(JSON.stringify(job.params))}::jsonb`,
    '0',
    literal(job.parentId),
    literal(now),
    literal(job.locale ?? null),
  ].join(', ');
  return `WITH counts AS (
      SELECT COUNT(*) FILTER (WHERE user_id = ${literal(job.userId)}) AS mine, COUNT(*) AS total
      FROM jobs WHERE ${PENDING}
    ), added AS (
      INSERT INTO jobs (id, kind, state, user_id, guild_id, channel_id, application_id, interaction_token,
          token_expires_at, params, attempts, parent_id, created_at, locale)
        SELECT ${values} FROM counts
        WHERE counts.mine < ${limitOf(limits.maxPendingPerUser)} AND counts.total < ${limitOf(limits.maxQueueLength)}
      RETURNING *
    )
    SELECT counts.mine AS admission_mine, counts.total AS admission_total, added.*,
      CASE WHEN added.id IS NOT NULL
        THEN pg_notify(${literal(channel)}, json_build_object('type', 'enqueued', 'jobId', added.id)::text) END AS sent
    FROM counts LEFT JOIN added ON true;`;
}

/**
 * A batch of enqueues in one message: the admission lock; each job's admission (`admitSql`), in
 * the order sent; one commit; then the new jobs' places in the line, counted by the server in one
 * statement (`fairPlacesSql`: the line itself is neither sorted nor sent back). The lock is held only while
 * the server runs these, never across a round trip.
 */
function batchSql(entries: readonly Entry[], channel: string): string {
  return `BEGIN;
    SELECT pg_advisory_xact_lock(${ADMISSION_LOCK});
    ${entries.map((entry) => admitSql(entry, channel)).join('\n    ')}
    COMMIT;
    ${fairPlacesSql(entries.map((entry) => literal(entry.id)))}`;
}

interface Args {
  job: NewJob;
  limits: AdmissionLimits;
  now: number;
}

interface Entry {
  id: string;
  args: Args;
}

interface Waiting extends Entry {
  resolve: (result: EnqueueResult) => void;
  reject: (error: unknown) => void;
}

type Counted = JobRow & { admission_mine: string; admission_total: string };

/** The most enqueues one batch carries (its message stays a few hundred KB at most). */
const MOST_PER_BATCH = 50;

/**
 * The enqueues of one process, admitted in the order they were asked for: one batch in flight at a
 * time, and the enqueues that arrive meanwhile sent together as the next. Sent each on its own
 * pooled connection, a burst's enqueues raced for the admission lock, and a member's later command
 * could take the last place under the cap while an earlier one was refused. A lone command goes at
 * once, as before; a burst costs one commit per batch instead of one per command. A batch that
 * fails (nothing of it is committed) is sent again one enqueue at a time, in order, so a job the
 * database refuses fails alone, with its own error, and the others of its batch go in.
 */
export function createPostgresEnqueue(
  pool: pg.Pool,
  channel: string,
): (args: Args) => Promise<EnqueueResult> {
  const waiting: Waiting[] = [];
  let sending = false;
  const send = async (batch: Waiting[]) => {
    const results = await sendBatch(pool, batch, channel);
    batch.forEach((entry, index) => {
      const result = results[index];
      if (result instanceof Error) entry.reject(result);
      else if (result !== undefined) entry.resolve(result);
    });
  };
  const sendAll = async () => {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, MOST_PER_BATCH);
      try {
        await send(batch);
      } catch (error: unknown) {
        if (batch.length === 1) {
          batch[0]?.reject(error);
          continue;
        }
        for (const entry of batch) await send([entry]).catch((alone: unknown) => entry.reject(alone));
      }
    }
    sending = false;
  };
  return (args) =>
    new Promise<EnqueueResult>((resolve, reject) => {
      waiting.push({ id: newJobId(), args, resolve, reject });
      if (!sending) void sendAll();
    });
}

/** One batch's message, and what each of its enqueues comes to (see `batchSql`). */
async function sendBatch(
  pool: pg.Pool,
  batch: readonly Entry[],
  channel: string,
): Promise<(EnqueueResult | Error)[]> {
  const client = await pool.connect();
  let results: pg.QueryResult[];
  try {
    results = (await client.query(batchSql(batch, channel))) as unknown as pg.QueryResult[];
  } catch (error: unknown) {
    await releaseAfterFailure(client);
    throw error;
  }
  client.release();
  // BEGIN, the lock, one admission per entry, COMMIT, then the places: one row per entry.
  const admitted = 2;
  const placed = admitted + batch.length + 1;
  return batch.map((entry, index) => {
    const counted = results[admitted + index]?.rows[0] as Counted | undefined;
    if (counted?.id !== entry.id) {
      const mine = Number(counted?.admission_mine ?? 0);
      const refused = checkAdmission(mine, Number(counted?.admission_total ?? 0), entry.args.limits);
      return refused.ok ? new Error('the queue took no job though its counts allowed one') : refused;
    }
    // Another process may have taken the job in the instant between the commit and the count.
    const place = results[placed]?.rows[index] as { position: string | null; total: string } | undefined;
    const total = Math.max(1, Number(place?.total ?? 1));
    const position = Number(place?.position ?? 1);
    return { ok: true, job: toQueueJob(counted), position, total };
  });
}
