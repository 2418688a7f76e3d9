import { firstRoundSize } from '../jobs/scheduling.js';
import type { ClaimRequest, QueueJob } from './job-queue.js';

/** The fair line's order (see `fairLineSql`), over its `waiting`, `busy` and `served` names. */
const FAIR_ORDER =
  'waiting.nth + COALESCE(busy.n, 0), served.stamp NULLS FIRST, waiting.created_at, waiting.id';

/**
 * `select` over the queued jobs in fair order, as one statement both databases run: each member's
 * k-th queued job (oldest first) sits in round k plus the jobs they have running; rounds go in order;
 * within a round the member served least recently (never served first), then creation time, then
 * id. Ids compare by code unit as in JavaScript: SQLite's default BINARY collation, and the
 * PostgreSQL column is declared `COLLATE "C"`. `waiting` carries only `columns` (with those the order
 * reads): the rows are sorted twice, so the prompt and parameters of every job stay out of it.
 */
function fairLineSql(columns: string, select: string): string {
  return `${lineCtes(`, ${columns}`)}
  ${select} ${LINE_FROM}
  ORDER BY ${FAIR_ORDER}`;
}

/** The queued jobs (numbered within each member's, oldest first) and each member's running count. */
const lineCtes = (columns = '') => `
  WITH waiting AS (
    SELECT id, user_id, created_at${columns},
      row_number() OVER (PARTITION BY user_id ORDER BY created_at, id) - 1 AS nth
    FROM jobs WHERE state = 'queued'
  ), busy AS (
    SELECT user_id, COUNT(*) AS n FROM jobs WHERE state = 'running' GROUP BY user_id
  )`;
const LINE_FROM = `FROM waiting
  LEFT JOIN busy ON busy.user_id = waiting.user_id
  LEFT JOIN served ON served.user_id = waiting.user_id`;

/**
 * The fair line as ids, each with a stamp of the columns that can change while a job waits: a
 * reader that keeps the rest of each row (params never change) reads only these and the new rows.
 */
export const FAIR_LINE_IDS_SQL = fairLineSql(
  `attempts, failed_on, message_id, interaction_token, backend, server_ref, locale, token_expires_at,
     cancel_requested`,
  `SELECT waiting.id, waiting.attempts || '|' || COALESCE(waiting.failed_on, '') || '|' ||
     COALESCE(waiting.message_id, '') || '|' || COALESCE(waiting.interaction_token, '') || '|' ||
     COALESCE(waiting.backend, '') || '|' || COALESCE(waiting.server_ref, '') || '|' ||
     COALESCE(waiting.locale, '') || '|' || waiting.token_expires_at || '|' || waiting.cancel_requested AS stamp`,
);

/**
 * The fair line as ids, each with its place (1 first) and what a claim weighs (the backend it last
 * failed on, the model it asks for): for a statement that picks from the line itself.
 */
export const FAIR_LINE_PLACES_SQL = fairLineSql(
  `failed_on, params->>'model' AS model`,
  `SELECT waiting.id, waiting.failed_on, waiting.model,
     row_number() OVER (ORDER BY ${FAIR_ORDER}) AS place`,
);

/**
 * The place (1 first) in the fair line of each job `ids` names (SQL literals), and the line's
 * length, as one row `(position, total)` per id in their order: the jobs whose sort key comes
 * before its own, counted, with no sort of the line, which is read once for them all. The key is
 * FAIR_ORDER's, with a never-served member (no stamp) first. A job no longer in line (another
 * process took it in the instant) is given place 1. PostgreSQL only (row comparison).
 */
export function fairPlacesSql(ids: readonly string[]): string {
  return `${lineCtes()}, keyed AS MATERIALIZED (
    SELECT waiting.id, waiting.nth + COALESCE(busy.n, 0) AS round, served.stamp IS NOT NULL AS served,
      COALESCE(served.stamp, 0) AS stamp, waiting.created_at
    ${LINE_FROM}
  )
  SELECT (SELECT COUNT(*) + 1 FROM keyed, keyed AS me WHERE me.id = asked.id
      AND (keyed.round, keyed.served, keyed.stamp, keyed.created_at, keyed.id)
        < (me.round, me.served, me.stamp, me.created_at, me.id)) AS position,
    (SELECT COUNT(*) FROM keyed) AS total
  FROM unnest(ARRAY[${ids.join(', ')}]::text[]) WITH ORDINALITY AS asked(id, nth)
  ORDER BY asked.nth`;
}

/**
 * Whether the backend a claim is for may take the job: it can (capabilities, models), and a retry
 * goes to another backend, as its member is told, unless no other one can take it.
 */
export function claimAllowed(
  request: Pick<ClaimRequest, 'backendId' | 'eligible' | 'elsewhere'>,
): (job: QueueJob) => boolean {
  const { backendId, eligible, elsewhere } = request;
  return (job) =>
    (eligible === undefined || eligible(job)) &&
    (job.failedOn !== backendId || elsewhere === undefined || !elsewhere(job));
}

/**
 * The jobs one free slot may take, best first, as `planDispatch` chooses for a single slot: with
 * affinity, a first-round job asking for the loaded model; then the line in order. A claim takes
 * the first it can lock (another worker may hold the best one). Lazy, so `eligible` runs only as far
 * as needed.
 */
export function* claimCandidates(
  line: readonly QueueJob[],
  request: Pick<ClaimRequest, 'backendId' | 'loadedModel' | 'affinity' | 'eligible' | 'elsewhere'>,
): Generator<QueueJob> {
  const { loadedModel } = request;
  const allowed = claimAllowed(request);
  const offered = new Set<string>();
  if (request.affinity && loadedModel !== undefined) {
    const window = firstRoundSize(
      line.map((job) => ({ id: job.id, userId: job.userId, createdAt: job.createdAt, model: undefined })),
    );
    for (const job of line.slice(0, window)) {
      if (job.params.model === loadedModel && allowed(job)) {
        offered.add(job.id);
        yield job;
      }
    }
  }
  for (const job of line) if (!offered.has(job.id) && allowed(job)) yield job;
}
