import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from '../log.js';
import { migratePostgres } from '../queue/postgres-migrations.js';
import { checkChannelName } from '../store/postgres-notifications.js';
import { inTransaction } from '../store/postgres-transaction.js';
import type { ImageStore } from './image-store.js';
import { type ImageIndexChange, startImageIndex } from './postgres-image-index.js';

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
 * (synchronous in the port) answers from the in-memory index of `startImageIndex`, which NOTIFY
 * keeps current in every process. Does not end the pool (the caller's).
 * One closure on purpose: the folder, the index and the saves in flight are shared by every method.
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
  const unlinkAll = (jobId: string, indices: readonly number[] = []) =>
    Promise.all(indices.map((at) => unlinkQuietly(pathOf(jobId, at))));
  await migratePostgres(pool);
  const index = await startImageIndex(pool, channel, options.log);

  /** Saves still being written: a click that comes in meanwhile (in this process) waits for its job's. */
  const pending = new Map<string, Promise<void>>();
  const settled = async (jobId: string) => {
    await pending.get(jobId)?.catch(() => undefined);
  };
  const write = async (jobId: string, images: readonly Buffer[], now: number) => {
    await Promise.all(
      images.map(async (image, at) => {
        // Written aside (under a name no other process writes), then renamed: a crash never leaves
        // half an image under the real name.
        const path = pathOf(jobId, at);
        const aside = `${path}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(aside, image);
        await rename(aside, path);
      }),
    );
    const saved: ImageIndexChange = { type: 'saved', jobId, count: images.length, createdAt: now };
    const { rows } = await index.commit(saved, (notify) =>
      pool.query<{ gone: number[] }>(SAVE_SQL, [jobId, images.length, now, ...notify]),
    );
    await unlinkAll(jobId, rows[0]?.gone);
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
      const kept = await pool.query('SELECT 1 FROM image_files WHERE job_id = $1 AND idx = $2', [jobId, at]);
      if (kept.rowCount !== 1) return undefined;
      try {
        return await readFile(pathOf(jobId, at));
      } catch (error: unknown) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    count: (jobId) => index.count(jobId),
    async remove(jobId) {
      if (!SAFE_ID.test(jobId)) return;
      await settled(jobId);
      const { rows } = await index.commit({ type: 'removed', jobId }, (notify) =>
        pool.query<{ gone: number[] }>(REMOVE_SQL, [jobId, ...notify]),
      );
      await unlinkAll(jobId, rows[0]?.gone);
    },
    async pruneBefore(cutoff) {
      // Two processes pruning at once: each row is deleted (and its file unlinked) by one of them.
      const old = await index.commit({ type: 'pruned', cutoff }, (notify) =>
        inTransaction(pool, async (client) => {
          await client.query(PRUNE_INPUTS_SQL, [cutoff]);
          const { rows } = await client.query<{ job_id: string; idx: number }>(
            'DELETE FROM image_files WHERE created_at < $1 RETURNING job_id, idx',
            [cutoff],
          );
          if (rows.length > 0) await client.query('SELECT pg_notify($1, $2)', notify);
          return rows;
        }),
      );
      for (const row of old) {
        if (SAFE_ID.test(row.job_id)) await unlinkQuietly(pathOf(row.job_id, row.idx));
      }
      return old.length;
    },
    close: () => index.close(),
  };
}

async function unlinkQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error: unknown) {
    if (!isMissing(error)) throw error;
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'code') === 'ENOENT';
}
