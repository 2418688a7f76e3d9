import type pg from 'pg';
import { newJobId } from '../jobs/job-store.js';
import { checkAdmission } from '../jobs/scheduling.js';
import type { NewJob } from '../jobs/types.js';
import { releaseAfterFailure } from '../store/postgres-transaction.js';
import { fairPlaceSql } from './fair-line.js';
import type { AdmissionLimits, EnqueueResult } from './job-queue.js';
import { literal } from './postgres-literal.js';
import { type JobRow, toQueueJob } from './rows.js';

/** Held by every enqueue's transaction: admission counts and the insert are one step across processes. */
const ADMISSION_LOCK = '7236051917338522625';
const PENDING = "state IN ('queued', 'running')";

/** A limit as SQL can compare it (an unlimited one is larger than any count). */
const limitOf = (limit: number) => literal(Number.isFinite(limit) ? limit : Number.MAX_SAFE_INTEGER);

/**
 * One enqueue in one message: the admission lock; then, in one statement, the member's and the
 * line's counts and the insert when they allow it, with its event; the commit; and the new job's
 * place in the line, counted by the server (`fairPlaceSql`: the line itself is neither sorted nor
 * sent back). The lock is held only while the server runs these, never across a round trip, so a
 * burst of commands from every gateway does not queue on it.
 */
function enqueueSql(id: string, { job, limits, now }: Args, channel: string): string {
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
  return `BEGIN;
    SELECT pg_advisory_xact_lock(${ADMISSION_LOCK});
    WITH counts AS (
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
    FROM counts LEFT JOIN added ON true;
    COMMIT;
    ${fairPlaceSql(literal(id))}`;
}

interface Args {
  job: NewJob;
  limits: AdmissionLimits;
  now: number;
}

type Counted = JobRow & { admission_mine: string; admission_total: string };

/** Admission and insert as one step across every process (see `enqueueSql`), then the job's place. */
export async function enqueueOnPostgres(pool: pg.Pool, args: Args, channel: string): Promise<EnqueueResult> {
  const id = newJobId();
  const client = await pool.connect();
  let results: pg.QueryResult[];
  try {
    results = (await client.query(enqueueSql(id, args, channel))) as unknown as pg.QueryResult[];
  } catch (error: unknown) {
    await releaseAfterFailure(client);
    throw error;
  }
  client.release();
  const counted = results[2]?.rows[0] as Counted | undefined;
  if (counted?.id !== id) {
    const mine = Number(counted?.admission_mine ?? 0);
    const refused = checkAdmission(mine, Number(counted?.admission_total ?? 0), args.limits);
    if (refused.ok) throw new Error('the queue took no job though its counts allowed one');
    return refused;
  }
  // Another process may have taken the job in the instant between the commit and the count.
  const place = results[4]?.rows[0] as { position: string | null; total: string } | undefined;
  const total = Math.max(1, Number(place?.total ?? 1));
  const position = Number(place?.position ?? 1);
  return { ok: true, job: toQueueJob(counted), position, total };
}
