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
  /**
   * Retention: forgets images kept before `cutoff`, and the input images carried in the parameters
   * of jobs finished before it. Returns how many kept images went.
   */
  pruneBefore(cutoff: number): number;
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
  const pruneImages = db.prepare('DELETE FROM job_images WHERE created_at < ?');
  const pruneInputs = db.prepare(
    `UPDATE jobs SET params = json_remove(params, '$.initImage')
     WHERE finished_at IS NOT NULL AND finished_at < ? AND json_extract(params, '$.initImage') IS NOT NULL`,
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
    pruneBefore(cutoff) {
      pruneInputs.run(cutoff);
      return pruneImages.run(cutoff).changes;
    },
  };
}
