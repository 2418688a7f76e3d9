import pg from 'pg';
import type { JobRecords } from '../jobs/job-records.js';
import type { JobQueue } from './job-queue.js';
import { createPostgresJobQueue } from './postgres-queue.js';
import { createPostgresJobRecords } from './postgres-records.js';

/**
 * The job queue and its records on one PostgreSQL pool. Loaded only when DATABASE_URL is set, so a
 * bot on SQLite never loads `pg`.
 */
export async function openPostgresQueue(
  connectionString: string,
): Promise<{ queue: JobQueue; records: JobRecords; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString });
  // An idle client that loses its server emits here; the queue's own listener goes when it closes.
  pool.on('error', () => undefined);
  try {
    const queue = await createPostgresJobQueue({ pool });
    return {
      queue,
      records: createPostgresJobRecords(pool),
      async close() {
        await queue.close();
        await pool.end();
      },
    };
  } catch (error: unknown) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
