import type pg from 'pg';
import { releaseAfterFailure } from '../store/postgres-transaction.js';
import { claimAllowed, claimCandidates, FAIR_LINE_IDS_SQL, FAIR_LINE_PLACES_SQL } from './fair-line.js';
import type { ClaimRequest, QueueJob } from './job-queue.js';
import type { LineEntry } from './line-cache.js';
import { literal } from './postgres-literal.js';
import { type JobRow, toQueueJob } from './rows.js';

/** The first key of the advisory lock each claim takes on its backend (the second: the id's hash). */
const BACKEND_LOCK_SPACE = 723605191;
/** Claims tried again when another worker locked each candidate first (it will tell when it is done). */
const TRIES = 4;
/** The jobs a first-try claim may take, from the head of the line as last read (see `guessSql`). */
const GUESSES = 32;

/** Builds the line from ids and stamps, fetching only the rows not kept (see line-cache.ts). */
export type ReadLine = (client: pg.PoolClient, entries: LineEntry[]) => Promise<QueueJob[]>;

/** A claim's transaction, whose commit does not wait for the disk (see `openingSql`). */
const BEGIN = 'BEGIN; SET LOCAL synchronous_commit = off;';

/** Literal text values as one SQL array. */
const textArray = (values: readonly string[]) => `ARRAY[${values.map(literal).join(', ')}]::text[]`;

/** The backend's lock, held until commit: one claim per backend at a time across processes. */
const backendLockSql = (request: ClaimRequest) =>
  `SELECT pg_advisory_xact_lock(${BACKEND_LOCK_SPACE}, hashtext(${literal(request.backendId)}));`;

/** The jobs running on the backend that hold a slot (the caller's released ones do not). */
const runningOnSql = (request: ClaimRequest) =>
  `SELECT COUNT(*) FROM jobs AS held WHERE held.state = 'running' AND held.backend = ${literal(request.backendId)}
      AND NOT (held.id = ANY(${textArray(request.released ?? [])}))`;

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
  if (request.capacity === undefined) return `${BEGIN} ${FAIR_LINE_IDS_SQL}`;
  return `${BEGIN} ${backendLockSql(request)}
    SELECT (${runningOnSql(request)}) AS n;
    ${FAIR_LINE_IDS_SQL}`;
}

/**
 * The job `locked` names (a CTE body: the id, or none) moved to running, its member marked served,
 * the event sent, and the transaction committed: one message.
 */
function takingSql(request: ClaimRequest, channel: string, locked: string, before = ''): string {
  const now = literal(request.now);
  return `WITH ${before} locked AS (${locked}), claimed AS (
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

/** The candidate locked (skipped when another worker is claiming it), then taken. */
function candidateSql(request: ClaimRequest, candidate: QueueJob, channel: string): string {
  return takingSql(
    request,
    channel,
    `SELECT id FROM jobs WHERE id = ${literal(candidate.id)} AND state = 'queued' FOR UPDATE SKIP LOCKED`,
  );
}

/** A job of the line as the guess tells it: its id and the one column that can change where it may go. */
const GUESS_KEY = "line.id || '|' || COALESCE(line.failed_on, '')";
/** The first jobs of the line a first-try claim looks at, to pass over those another worker is locking. */
const HEAD = 4;
const guessKey = (job: QueueJob) => `${job.id}|${job.failedOn ?? ''}`;

/**
 * What this process knows of the head of the line (as last read), for a claim in one message: the
 * jobs this backend may take and those it passes over, as `GUESS_KEY`s; none when it knows of
 * nothing to take.
 */
function guessOf(request: ClaimRequest, known: readonly QueueJob[]) {
  const allowed = claimAllowed(request);
  const affinity = request.affinity && request.loadedModel !== undefined;
  const take: string[] = [];
  const pass: string[] = [];
  for (const job of known) {
    if (take.length >= GUESSES) break;
    (allowed(job) ? take : pass).push(guessKey(job));
  }
  return take.length === 0 ? undefined : { take, pass, affinity };
}

/**
 * A claim in one message, on what this process knows: the first job of the line, read in the
 * statement itself, that it does not know to pass over and that no other worker is locking. It is
 * taken when this process knows that this backend may take it and affinity agrees, which makes it
 * the job `claimCandidates` would choose from the same line: every job ahead of it is one this
 * backend may not take. Otherwise nothing is taken and the claim goes the long way. The count says
 * when the backend is full or the line empty, so that needs no second try.
 */
function guessSql(
  request: ClaimRequest,
  guess: NonNullable<ReturnType<typeof guessOf>>,
  channel: string,
): string {
  const room =
    request.capacity === undefined ? 'true' : `(${runningOnSql(request)}) < ${literal(request.capacity)}`;
  // With affinity, the first job this backend may take is the store's choice when it asks for the
  // loaded model (the first such in the first round) or when no queued job does.
  const model = literal(request.loadedModel ?? '');
  const affinityAgrees = guess.affinity
    ? `AND (line.model = ${model} OR NOT EXISTS (SELECT 1 FROM line AS wanting WHERE wanting.model = ${model}))`
    : '';
  const lock = request.capacity === undefined ? '' : backendLockSql(request);
  return `${BEGIN} ${lock}
    SELECT (${request.capacity === undefined ? 'false' : `NOT ${room}`}) AS full,
      EXISTS (SELECT 1 FROM jobs WHERE state = 'queued') AS waiting;
    ${takingSql(
      request,
      channel,
      `SELECT id FROM picked WHERE allowed`,
      `line AS MATERIALIZED (${FAIR_LINE_PLACES_SQL}), head AS MATERIALIZED (
        SELECT line.id, line.failed_on, line.place, (${GUESS_KEY} = ANY(${textArray(guess.take)}) ${affinityAgrees}) AS allowed
        FROM line WHERE NOT (${GUESS_KEY} = ANY(${textArray(guess.pass)})) AND ${room}
        ORDER BY line.place LIMIT ${HEAD}
      ), picked AS (
        SELECT jobs.id, head.allowed FROM head JOIN jobs ON jobs.id = head.id
        WHERE jobs.state = 'queued' AND COALESCE(jobs.failed_on, '') = COALESCE(head.failed_on, '')
        ORDER BY head.place
        FOR UPDATE OF jobs SKIP LOCKED
        LIMIT 1
      ),`,
    )}`;
}

/**
 * One claim in one round trip when this process's last read of the line is enough to choose (see
 * `guessSql`), otherwise in two more when nothing stands in the way: open, lock, count and read
 * the line; then take the best candidate and commit. A candidate another worker holds makes this
 * start over without it, a few times at most.
 */
export async function claimOnPostgres(
  pool: pg.Pool,
  request: ClaimRequest,
  channel: string,
  lines: { read: ReadLine; last: () => readonly QueueJob[] },
): Promise<QueueJob | undefined> {
  const client = await pool.connect();
  const skipped = new Set<string>();
  let open = false;
  try {
    const guess = guessOf(request, lines.last());
    if (guess !== undefined) {
      const results = (await client.query(guessSql(request, guess, channel))) as unknown as pg.QueryResult[];
      const state = results.find((result) => result.fields.some((field) => field.name === 'waiting'));
      const row = results.at(-2)?.rows[0] as JobRow | undefined;
      if (row !== undefined) {
        client.release();
        return toQueueJob(row);
      }
      const facts = state?.rows[0] as { full: boolean; waiting: boolean } | undefined;
      if (facts?.full === true || facts?.waiting === false) {
        client.release();
        return undefined;
      }
    }
    for (let tries = 0; tries < TRIES; tries += 1) {
      open = true;
      const opened = (await client.query(openingSql(request))) as unknown as pg.QueryResult[];
      const lineIds = opened[opened.length - 1] as pg.QueryResult<LineEntry>;
      const busy = request.capacity === undefined ? 0 : Number(opened[3]?.rows[0]?.n ?? 0);
      const candidate =
        request.capacity !== undefined && busy >= request.capacity
          ? undefined
          : claimCandidates(
              (await lines.read(client, lineIds.rows)).filter((job) => !skipped.has(job.id)),
              request,
            ).next().value;
      if (candidate === undefined) break;
      const taken = (await client.query(
        candidateSql(request, candidate, channel),
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
