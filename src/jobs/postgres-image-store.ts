import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from '../log.js';
import { migratePostgres } from '../queue/postgres-migrations.js';
import { checkChannelName, createSerialSteps, listenOn } from '../store/postgres-notifications.js';
import { inTransaction } from '../store/postgres-transaction.js';
import type { ImageStore } from './image-store.js';

/** The ImageStore shared by every process on one PostgreSQL database and one image folder. */
export interface PostgresImageStore extends ImageStore {
  /** Stops listening (after the index changes heard so far are applied). Does not end the pool. */
  close(): Promise<void>;
}

export interface PostgresImageOptions {
  log: Pick<Logger, 'error'>;
  /** The LISTEN/NOTIFY channel; every process on one database must use the same. */
  channel?: string;
}

/** Job ids are base64url (see newJobId); anything else never becomes part of a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * An index change, as sent with NOTIFY on its commit (absolute values: applying one twice is
 * harmless); `tag` names the store instance and change that sent it.
 */
type IndexChange = (
  | { type: 'saved'; jobId: string; count: number; createdAt: number }
  | { type: 'removed'; jobId: string }
  | { type: 'pruned'; cutoff: number }
) & { tag: string };

/** A NOTIFY payload as sent by this store; anything else on the channel is ignored. */
export function parseIndexChange(payload: string | undefined): IndexChange | undefined {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const { type, jobId, count, createdAt, cutoff, tag } = value as Record<string, unknown>;
    if (typeof tag !== 'string') return undefined;
    if (
      type === 'saved' &&
      typeof jobId === 'string' &&
      typeof count === 'number' &&
      typeof createdAt === 'number'
    )
      return { type, jobId, count, createdAt, tag };
    if (type === 'removed' && typeof jobId === 'string') return { type, jobId, tag };
    if (type === 'pruned' && typeof cutoff === 'number') return { type, cutoff, tag };
    return undefined;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

const SAVE_SQL = `WITH gone AS (DELETE FROM image_files WHERE job_id = $1 AND idx >= $2 RETURNING idx),
    put AS (INSERT INTO image_files (job_id, idx, created_at)
      SELECT $1::text, i, $3::bigint FROM generate_series(0, $2::int - 1) AS i
      ON CONFLICT (job_id, idx) DO UPDATE SET created_at = excluded.created_at RETURNING idx)
  SELECT ARRAY(SELECT idx FROM gone) AS gone, (SELECT COUNT(*) FROM put) AS put, pg_notify($4, $5) AS sent`;
const REMOVE_SQL = `WITH gone AS (DELETE FROM image_files WHERE job_id = $1 RETURNING idx)
  SELECT ARRAY(SELECT idx FROM gone) AS gone, pg_notify($2, $3) AS sent`;
const PRUNE_INPUTS_SQL = `UPDATE jobs SET params = params - 'initImage'
  WHERE finished_at IS NOT NULL AND finished_at < $1 AND params ? 'initImage'`;

/**
 * Images as files in `dir`, which every process reads (operators point IMAGE_DIR at shared storage),
 * indexed in PostgreSQL (`image_files`) for lookups and retention. `get` asks the database; `count`
 * (synchronous in the port) answers from an in-memory index read at creation and kept current by
 * NOTIFY: each change carries its result, and PostgreSQL delivers them in commit order, so every
 * process's index ends where the table is. A process applies its own change as soon as it commits,
 * unless its NOTIFY was applied already (then later changes may have been applied after it, and
 * must stay). After a lost LISTEN connection the index is read again.
 * One closure on purpose: the index, the saves in flight and the listener are this store's state.
 */
export async function createPostgresImageStore(
  pool: pg.Pool,
  dir: string,
  options: PostgresImageOptions,
): Promise<PostgresImageStore> {
  const channel = checkChannelName(options.channel ?? 'image_index');
  mkdirSync(dir, { recursive: true });
  const pathOf = (jobId: string, index: number) => {
    if (!SAFE_ID.test(jobId) || !Number.isInteger(index) || index < 0) {
      throw new Error(`not an image of a job: ${JSON.stringify(jobId)} #${index}`);
    }
    return join(dir, `${jobId}-${index}.img`);
  };
  const unlinkQuietly = async (path: string) => {
    try {
      await unlink(path);
    } catch (error: unknown) {
      if (!isMissing(error)) throw error;
    }
  };

  const index = new Map<string, { count: number; createdAt: number }>();
  const origin = randomBytes(6).toString('base64url');
  let sent = 0;
  /** Our own changes in flight, and those of them whose NOTIFY was applied before their commit came back. */
  const inFlight = new Set<string>();
  const heardFirst = new Set<string>();
  const nextTag = () => `${origin}.${++sent}`;
  /** Runs our change's statement, then applies the change unless its NOTIFY beat the reply. */
  const commitOwn = async <T>(change: IndexChange, run: () => Promise<T>): Promise<T> => {
    inFlight.add(change.tag);
    try {
      const result = await run();
      if (!heardFirst.delete(change.tag)) apply(change);
      return result;
    } finally {
      inFlight.delete(change.tag);
    }
  };
  const apply = (change: IndexChange) => {
    if (change.type === 'saved')
      index.set(change.jobId, { count: change.count, createdAt: change.createdAt });
    else if (change.type === 'removed') index.delete(change.jobId);
    else for (const [jobId, kept] of index) if (kept.createdAt < change.cutoff) index.delete(jobId);
  };
  const reload = async () => {
    const { rows } = await pool.query<{ job_id: string; n: number; at: string }>(
      'SELECT job_id, COUNT(*)::int AS n, MIN(created_at) AS at FROM image_files GROUP BY job_id',
    );
    index.clear();
    for (const row of rows) index.set(row.job_id, { count: row.n, createdAt: Number(row.at) });
  };
  // Changes heard and reloads in one line: a change heard during a reload is applied after it.
  const steps = createSerialSteps((error) =>
    options.log.error({ err: error }, 'reading the image index failed'),
  );
  const announce = (change: IndexChange) => [channel, JSON.stringify(change)];

  await migratePostgres(pool);
  const listener = await listenOn(pool.options, channel, {
    onPayload(payload) {
      const change = parseIndexChange(payload);
      if (change === undefined) return;
      steps.run(() => {
        apply(change);
        if (inFlight.has(change.tag)) heardFirst.add(change.tag);
      });
    },
    onReconnected: () => steps.run(reload),
  });
  try {
    await steps.wait(reload);
  } catch (error: unknown) {
    await listener.stop().catch(() => undefined);
    throw error;
  }

  /** Saves still being written: a click that comes in meanwhile (in this process) waits for its job's. */
  const pending = new Map<string, Promise<void>>();
  const settled = async (jobId: string) => {
    await pending.get(jobId)?.catch(() => undefined);
  };
  const write = async (jobId: string, images: readonly Buffer[], now: number) => {
    await Promise.all(
      images.map(async (image, at) => {
        // Written aside, then renamed: a crash never leaves half an image under the real name.
        const path = pathOf(jobId, at);
        await writeFile(`${path}.tmp`, image);
        await rename(`${path}.tmp`, path);
      }),
    );
    const change: IndexChange = {
      type: 'saved',
      jobId,
      count: images.length,
      createdAt: now,
      tag: nextTag(),
    };
    const { rows } = await commitOwn(change, () =>
      pool.query<{ gone: number[] }>(SAVE_SQL, [jobId, images.length, now, ...announce(change)]),
    );
    await Promise.all((rows[0]?.gone ?? []).map((at) => unlinkQuietly(pathOf(jobId, at))));
  };

  return {
    save(jobId, images, now) {
      const saving = settled(jobId).then(() => write(jobId, images, now));
      pending.set(jobId, saving);
      const forget = () => {
        if (pending.get(jobId) === saving) pending.delete(jobId);
      };
      saving.then(forget, forget);
      return saving;
    },
    async get(jobId, at) {
      if (!SAFE_ID.test(jobId) || !Number.isInteger(at) || at < 0) return undefined;
      await settled(jobId);
      const { rowCount } = await pool.query('SELECT 1 FROM image_files WHERE job_id = $1 AND idx = $2', [
        jobId,
        at,
      ]);
      if (rowCount !== 1) return undefined;
      try {
        return await readFile(pathOf(jobId, at));
      } catch (error: unknown) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    count: (jobId) => index.get(jobId)?.count ?? 0,
    async remove(jobId) {
      if (!SAFE_ID.test(jobId)) return;
      await settled(jobId);
      const change: IndexChange = { type: 'removed', jobId, tag: nextTag() };
      const { rows } = await commitOwn(change, () =>
        pool.query<{ gone: number[] }>(REMOVE_SQL, [jobId, ...announce(change)]),
      );
      await Promise.all((rows[0]?.gone ?? []).map((at) => unlinkQuietly(pathOf(jobId, at))));
    },
    async pruneBefore(cutoff) {
      const change: IndexChange = { type: 'pruned', cutoff, tag: nextTag() };
      // Two processes pruning at once: each row is deleted (and its file unlinked) by one of them.
      const old = await commitOwn(change, () =>
        inTransaction(pool, async (client) => {
          await client.query(PRUNE_INPUTS_SQL, [cutoff]);
          const { rows } = await client.query<{ job_id: string; idx: number }>(
            'DELETE FROM image_files WHERE created_at < $1 RETURNING job_id, idx',
            [cutoff],
          );
          if (rows.length > 0) await client.query('SELECT pg_notify($1, $2)', announce(change));
          return rows;
        }),
      );
      for (const row of old) {
        if (SAFE_ID.test(row.job_id)) await unlinkQuietly(pathOf(row.job_id, row.idx));
      }
      return old.length;
    },
    async close() {
      await listener.stop();
      await steps.idle();
    },
  };
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'code') === 'ENOENT';
}
