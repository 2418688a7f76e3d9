import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../store/database.js';

/**
 * The original images of finished jobs, kept so result buttons (upscale, vary, full-size image)
 * keep working after a restart and days later.
 */
export interface ImageStore {
  /** Keeps every image of a job, replacing any kept before. */
  save(jobId: string, images: readonly Buffer[], now: number): Promise<void>;
  /** One image (0-based index); undefined when it was never kept or was removed. */
  get(jobId: string, index: number): Promise<Buffer | undefined>;
  count(jobId: string): number;
  /** Forgets a job's images (its message was deleted). */
  remove(jobId: string): Promise<void>;
  /**
   * Retention: forgets images kept before `cutoff`, and the input images carried in the parameters
   * of jobs finished before it. Resolves with how many kept images went.
   */
  pruneBefore(cutoff: number): Promise<number>;
}

/** Job ids are base64url (see newJobId); anything else never becomes part of a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Images as files in `dir` (written and read on the thread pool, so a 4×1024² batch never holds
 * up the event loop), indexed in SQLite (`image_files`) for lookups and retention. Images kept in
 * SQLite by earlier versions (`job_images`) are moved to files when the store opens.
 */
// One closure on purpose: the prepared statements and the saves in flight are shared by every method.
export function createFileImageStore(db: Db, dir: string): ImageStore {
  mkdirSync(dir, { recursive: true });
  const pathOf = (jobId: string, index: number) => {
    if (!SAFE_ID.test(jobId) || !Number.isInteger(index) || index < 0) {
      throw new Error(`not an image of a job: ${JSON.stringify(jobId)} #${index}`);
    }
    return join(dir, `${jobId}-${index}.img`);
  };
  const insert = db.prepare('INSERT OR REPLACE INTO image_files (job_id, idx, created_at) VALUES (?, ?, ?)');
  const listOne = db.prepare<[string], { idx: number }>('SELECT idx FROM image_files WHERE job_id = ?');
  const removeAll = db.prepare('DELETE FROM image_files WHERE job_id = ?');
  const hasOne = db.prepare<[string, number], { n: number }>(
    'SELECT 1 AS n FROM image_files WHERE job_id = ? AND idx = ?',
  );
  const countAll = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM image_files WHERE job_id = ?',
  );
  const listOld = db.prepare<[number], { job_id: string; idx: number }>(
    'SELECT job_id, idx FROM image_files WHERE created_at < ?',
  );
  const removeOld = db.prepare('DELETE FROM image_files WHERE created_at < ?');
  const pruneInputs = db.prepare(
    `UPDATE jobs SET params = json_remove(params, '$.initImage')
     WHERE finished_at IS NOT NULL AND finished_at < ? AND json_extract(params, '$.initImage') IS NOT NULL`,
  );
  const replaceIndex = db.transaction((jobId: string, count: number, now: number) => {
    removeAll.run(jobId);
    for (let index = 0; index < count; index++) insert.run(jobId, index, now);
  });

  moveLegacyImages(db, pathOf, insert);

  const unlinkQuietly = async (path: string) => {
    try {
      await unlink(path);
    } catch (error: unknown) {
      if (!isMissing(error)) throw error;
    }
  };

  /** Saves still being written: a click that comes in meanwhile waits for its job's. */
  const pending = new Map<string, Promise<void>>();
  const settled = async (jobId: string) => {
    await pending.get(jobId)?.catch(() => undefined);
  };

  const write = async (jobId: string, images: readonly Buffer[], now: number) => {
    const previous = listOne.all(jobId).map((row) => row.idx);
    await Promise.all(
      images.map(async (image, index) => {
        // Written aside, then renamed: a crash never leaves half an image under the real name.
        const path = pathOf(jobId, index);
        await writeFile(`${path}.tmp`, image);
        await rename(`${path}.tmp`, path);
      }),
    );
    replaceIndex(jobId, images.length, now);
    await Promise.all(
      previous.filter((index) => index >= images.length).map((index) => unlinkQuietly(pathOf(jobId, index))),
    );
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
    async get(jobId, index) {
      if (!SAFE_ID.test(jobId)) return undefined;
      await settled(jobId);
      if (hasOne.get(jobId, index) === undefined) return undefined;
      try {
        return await readFile(pathOf(jobId, index));
      } catch (error: unknown) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    count(jobId) {
      return countAll.get(jobId)?.n ?? 0;
    },
    async remove(jobId) {
      if (!SAFE_ID.test(jobId)) return;
      await settled(jobId);
      const indices = listOne.all(jobId).map((row) => row.idx);
      removeAll.run(jobId);
      await Promise.all(indices.map((index) => unlinkQuietly(pathOf(jobId, index))));
    },
    async pruneBefore(cutoff) {
      pruneInputs.run(cutoff);
      const old = listOld.all(cutoff);
      removeOld.run(cutoff);
      for (const row of old) {
        if (SAFE_ID.test(row.job_id)) await unlinkQuietly(pathOf(row.job_id, row.idx));
      }
      return old.length;
    },
  };
}

/** Moves images an earlier version kept as SQLite blobs into files, once (at start-up). */
function moveLegacyImages(
  db: Db,
  pathOf: (jobId: string, index: number) => string,
  insert: { run(jobId: string, index: number, createdAt: number): unknown },
): void {
  const legacy = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'job_images'",
    )
    .get();
  if (legacy === undefined) return;
  // In batches: better-sqlite3 cannot write while a query is being iterated, and all of them at
  // once could be gigabytes.
  const batch = db.prepare<
    [number],
    { id: number; job_id: string; idx: number; data: Buffer; created_at: number }
  >(
    'SELECT rowid AS id, job_id, idx, data, created_at FROM job_images WHERE rowid > ? ORDER BY rowid LIMIT 20',
  );
  let after = 0;
  for (let rows = batch.all(after); rows.length > 0; rows = batch.all(after)) {
    for (const row of rows) {
      after = row.id;
      if (!SAFE_ID.test(row.job_id)) continue;
      writeFileSync(pathOf(row.job_id, row.idx), row.data);
      insert.run(row.job_id, row.idx, row.created_at);
    }
  }
  db.exec('DROP TABLE job_images');
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'code') === 'ENOENT';
}
