import type { Db } from '../store/database.js';

/**
 * The original images of finished jobs (table `job_images`), kept so result buttons (upscale,
 * vary, full-size image) keep working after a restart and days later.
 */
export interface ImageStore {
  /** Keeps every image of a job, replacing any kept before. */
  save(jobId: string, images: readonly Buffer[], now: number): void;
  /** One image (0-based index); undefined when it was never kept or was removed. */
  get(jobId: string, index: number): Buffer | undefined;
  count(jobId: string): number;
  /** Forgets a job's images (its message was deleted). */
  remove(jobId: string): void;
}

export function createSqliteImageStore(db: Db): ImageStore {
  const insert = db.prepare('INSERT INTO job_images (job_id, idx, data, created_at) VALUES (?, ?, ?, ?)');
  const removeAll = db.prepare('DELETE FROM job_images WHERE job_id = ?');
  const selectOne = db.prepare<[string, number], { data: Buffer }>(
    'SELECT data FROM job_images WHERE job_id = ? AND idx = ?',
  );
  const countAll = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM job_images WHERE job_id = ?',
  );
  const saveAll = db.transaction((jobId: string, images: readonly Buffer[], now: number) => {
    removeAll.run(jobId);
    images.forEach((image, index) => {
      insert.run(jobId, index, image, now);
    });
  });
  return {
    save(jobId, images, now) {
      saveAll(jobId, images, now);
    },
    get(jobId, index) {
      return selectOne.get(jobId, index)?.data;
    },
    count(jobId) {
      return countAll.get(jobId)?.n ?? 0;
    },
    remove(jobId) {
      removeAll.run(jobId);
    },
  };
}
